"""Dates the corpus allows: the computed graph of derived dates and temporal conflicts.

The build reads every temporal statement of the five articles
(:mod:`aiaccess.temporal_statements`), propagates them across all articles and
their printed dates (:mod:`aiaccess.temporal_network`), and writes, in the named
graph ``https://w3id.org/aiaccess/graph/temporal``:

* one ``aia:DerivedDate`` per date of a fact or article that the statements
  bound: ``aia:earliestDate`` / ``aia:latestDate`` (Wikidata P1319 / P1326),
  ``time:inXSDDate`` when that is one day, stated or derived, each source's own
  wording, the chain of statements behind each bound in words, and
  ``prov:wasDerivedFrom`` the statements, articles and evidence used;
* one ``aia:TemporalConflict`` per statement that cannot hold with those before
  it, naming the statements behind each of the two crossing bounds.

Derived values live only in this graph: the article graphs keep what each
article states, as it states it.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from aiaccess.annotations import local_name
from aiaccess.graphindex import GraphIndex, Props
from aiaccess.namespaces import (
    AIA,
    ID,
    ORG,
    PROV,
    RDF,
    RDFS,
    REGISTRY_GRAPH,
    TEMPORAL_GRAPH,
    TIME,
    XSD,
    term,
)
from aiaccess.temporal_network import Bound, Clash, Interval, Network, Point, solve
from aiaccess.temporal_statements import CHANGES, Reading, Source, extent, read

GRAPH = ox.NamedNode(TEMPORAL_GRAPH)
_DATE = ox.NamedNode(XSD + "date")
ACTORS = [AIA + "actor", ORG + "member", AIA + "party", AIA + "fromParty", AIA + "toParty"]
"""Who acted or took part in a fact: its actor, the member of a role, the parties."""


@dataclass(frozen=True)
class Derivation:
    """The reading, the solved network, and the IRIs minted for conflicts."""

    reading: Reading
    network: Network
    conflicts: dict[int, ox.NamedNode]

    @functools.cached_property
    def languages(self) -> list[str]:
        """The language tags of the registry's labels, found once (:func:`_name_languages`)."""
        return _name_languages(self.reading)

    @functools.cached_property
    def about(self) -> dict[str, list[Props]]:
        """Resource IRI -> its statements in each graph that has some, indexed once."""
        found: dict[str, list[Props]] = defaultdict(list)
        for graph in self.reading.graphs.values():
            for subject, props in graph.items():
                found[subject].append(props)
        return found

    @functools.cached_property
    def own(self) -> dict[Point, list[Source]]:
        """Point -> the sources that date it (not reports), in reading order."""
        found: dict[Point, list[Source]] = defaultdict(list)
        for source in self.reading.sources.values():
            if source.kind != "report":
                found[source.point].append(source)
        return found


def derive(index: GraphIndex, files: dict[str, Path] | None = None) -> list[ox.Quad]:
    """Return the quads of the temporal graph computed from the assembled quads, indexed.

    A step of :data:`aiaccess.dataset.DATASET_STEPS`: it needs every article at once.

    :param files: named-graph IRI -> the curated file it comes from, for messages
        (default: ``data/articles/<slug>.ttl``).
    :raises DataError: if a temporal statement cannot be read.
    """
    reading = read(index, files or {})
    network = solve(reading.constraints)
    conflicts = {i: _conflict_iri(c, reading) for i, c in enumerate(network.clashes)}
    derivation = Derivation(reading, network, conflicts)
    found: list[ox.Quad] = []
    for point, interval in sorted(network.bounds.items()):
        if interval.earliest is not None or interval.latest is not None:
            found += _derived_date(derivation, point, interval)
    for number, clash in enumerate(network.clashes):
        found += _conflict(derivation, conflicts[number], clash)
    return found


def derived_iri(point: Point) -> ox.NamedNode:
    """Return the IRI of the derived date of ``point``.

    >>> derived_iri((ID + "event/x", "https://schema.org/startDate")).value
    'https://w3id.org/aiaccess/id/derived-date/event-x-start'
    """
    return ox.NamedNode(
        f"{ID}derived-date/{local_name(ox.NamedNode(point[0]))}-{CHANGES[point[1]]}"
    )


def iso(day: int) -> str:
    """Return a day number as an ISO date.

    >>> iso(date(2024, 7, 9).toordinal())
    '2024-07-09'
    """
    return date.fromordinal(day).isoformat()


def _derived_date(derivation: Derivation, point: Point, interval: Interval) -> list[ox.Quad]:
    """Return the quads describing one derived date."""
    node = derived_iri(point)
    reading = derivation.reading
    own = derivation.own.get(point, [])
    labelled = _label_article(reading, point, own)
    stated = _stated(own, interval)
    triples: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (RDF + "type", term(AIA + "DerivedDate")),
        (AIA + "timeOf", ox.NamedNode(point[0])),
        (AIA + "timeProperty", term(point[1])),
        (AIA + "dateStatus", term(AIA + ("Stated" if stated else "Derived"))),
        (AIA + "dateText", ox.Literal(stated or _bounds_text(interval))),
        (AIA + "statedAs", ox.Literal("; ".join(sorted(s.wording() for s in own)))),
        (AIA + "explanation", ox.Literal(_explanation(derivation, point, interval))),
        (AIA + "sourceLanguages", ox.Literal(", ".join(_languages(reading, point[0])))),
        (AIA + "sortKey", ox.Literal(_sort_key(point, interval))),
        (AIA + "labelFrom", ox.NamedNode(labelled)),
        (RDFS + "label", _fact_label(reading, point[0], labelled)),
    ]
    triples += [(AIA + "actorNames", names) for names in _actor_names(derivation, point[0])]
    triples.append((AIA + "nameLanguages", ox.Literal(" ".join(derivation.languages))))
    triples += _bounds(interval)
    triples += _provenance(reading, interval)
    triples += [
        (AIA + "conflict", derivation.conflicts[number])
        for number, clash in enumerate(derivation.network.clashes)
        if clash.point == point
    ]
    return [ox.Quad(node, term(p), o, GRAPH) for p, o in triples]


def _actor_names(derivation: Derivation, resource: str) -> list[ox.Literal]:
    """Return who acted in ``resource``, as any article names them: one sorted list per language.

    There is a list in every language of :func:`_name_languages`, each naming an
    actor in that language where it has a label in it, else in English (empty when
    nobody acted), so a query picks one by language tag alone.
    """
    actors = sorted(
        {
            actor.value
            for props in derivation.about.get(resource, [])
            for predicate in ACTORS
            for actor in props.get(predicate, [])
            if isinstance(actor, ox.NamedNode)
        }
    )
    labels = [_labels(derivation, actor) for actor in actors]
    return [
        ox.Literal(", ".join(sorted(n.get(lang, n.get("en", "")) for n in labels)), language=lang)
        for lang in derivation.languages
    ]


def _name_languages(reading: Reading) -> list[str]:
    """Return the language tags of the registry's labels (English always), sorted."""
    registry = reading.graphs.get(REGISTRY_GRAPH, {})
    tags = {
        label.language
        for props in registry.values()
        for label in props.get(RDFS + "label", [])
        if isinstance(label, ox.Literal) and label.language
    }
    return sorted(tags | {"en"})


def _labels(derivation: Derivation, resource: str) -> dict[str, str]:
    """Return one label of ``resource`` per language tag, the smallest when several."""
    found: dict[str, str] = {}
    for props in derivation.about.get(resource, []):
        for label in props.get(RDFS + "label", []):
            if isinstance(label, ox.Literal) and label.language:
                known = found.get(label.language)
                found[label.language] = label.value if known is None else min(known, label.value)
    return found


def _bounds(interval: Interval) -> list[tuple[str, ox.NamedNode | ox.Literal]]:
    """Return the earliest and latest dates, and the day itself when they agree."""
    found: list[tuple[str, ox.NamedNode | ox.Literal]] = []
    if interval.earliest is not None:
        found.append((AIA + "earliestDate", _date(interval.earliest.day)))
    if interval.latest is not None:
        found.append((AIA + "latestDate", _date(interval.latest.day)))
    if interval.earliest and interval.latest and interval.earliest.day == interval.latest.day:
        found.append((TIME + "inXSDDate", _date(interval.earliest.day)))
    return found


def _provenance(
    reading: Reading, interval: Interval
) -> list[tuple[str, ox.NamedNode | ox.Literal]]:
    """Return what each bound rests on, and everything the derivation used."""
    found: list[tuple[str, ox.NamedNode | ox.Literal]] = []
    used: set[str] = set()
    for name, bound in (("earliestFrom", interval.earliest), ("latestFrom", interval.latest)):
        statements, everything = _chain_iris(reading, bound)
        found += [(AIA + name, ox.NamedNode(iri)) for iri in sorted(statements)]
        used |= everything
    return found + [(PROV + "wasDerivedFrom", ox.NamedNode(iri)) for iri in sorted(used)]


def _chain_iris(reading: Reading, bound: Bound | None) -> tuple[set[str], set[str]]:
    """Return the statements a bound rests on, and those plus their evidence and facts."""
    statements: set[str] = set()
    everything: set[str] = set()
    for step in bound.chain if bound else ():
        source = reading.sources[step.constraint]
        statements.update(source.statements)
        everything.update(source.statements, source.evidence, {step.point[0]})
    return statements, everything


def _stated(own: list[Source], interval: Interval) -> str | None:
    """Return a stated value with a year whose extent is exactly the derived interval."""
    if interval.earliest is None or interval.latest is None:
        return None
    days = (interval.earliest.day, interval.latest.day)
    for source in sorted(own, key=lambda s: (s.precision, s.article.language)):
        if source.stated is not None and extent(source.stated) == days:
            return source.stated.value[:10]
    return None


def _bounds_text(interval: Interval) -> str:
    """Return derived bounds for readers: a day, ``A – B``, or an open interval."""
    first = iso(interval.earliest.day) if interval.earliest else None
    last = iso(interval.latest.day) if interval.latest else None
    if first == last:
        return str(first)
    if first and last:
        return f"{first} – {last}"
    return f"on or after {first}" if first else f"on or before {last}"


def _explanation(derivation: Derivation, point: Point, interval: Interval) -> str:
    """Return each bound's chain of statements, by name, then any conflict here.

    Short on purpose: the statements' own words are in ``aia:statedAs`` and on the
    statements themselves, and Virtuoso mishandles long texts (docs/engines.md, V12).
    """
    parts = []
    for name, bound in (("earliest", interval.earliest), ("latest", interval.latest)):
        if bound is not None:
            parts.append(f"{name} {iso(bound.day)}: {_chain_text(derivation.reading, bound)}")
    for clash in derivation.network.clashes:
        if clash.point == point:
            aside = _statement_name(derivation.reading.sources[clash.constraint.ident])
            parts.append(
                f"conflict: {aside} set aside (on or after {iso(clash.earliest.day)},"
                f" but on or before {iso(clash.latest.day)})"
            )
    return " | ".join(parts)


def _chain_text(
    reading: Reading, bound: Bound, describe: Callable[[Source], str] | None = None
) -> str:
    """Return the steps of a bound's chain, oldest first, each statement named by ``describe``."""
    name = describe or _statement_name
    steps = []
    for step in bound.chain:
        source = reading.sources[step.constraint]
        steps.append(f"{name(source)} ⇒ {_name(step.point)} {iso(step.day)}")
    return "; ".join(steps)


def _statement_name(source: Source) -> str:
    """Name a statement: ``tlink/zh-nakasone-eve-of-notice``, or the report an article makes."""
    if source.kind == "report":
        return f"the {source.article.language} article's report"
    return source.ident.removeprefix(ID)


def _clash_text(reading: Reading, clash: Clash) -> str:
    """Describe a conflict in the statements' words: the bounds that cross, what was set aside."""
    early = _chain_text(reading, clash.earliest, _step_words)
    late = _chain_text(reading, clash.latest, _step_words)
    return (
        f"conflict: earliest {iso(clash.earliest.day)} ({early})"
        f" is after latest {iso(clash.latest.day)} ({late});"
        f" set aside: {_step_words(reading.sources[clash.constraint.ident])}"
    )


def _step_words(source: Source) -> str:
    """Describe one statement: its article's words, or the report it makes."""
    if source.kind == "report":
        return f"the {source.article.language} article reports it, so by the article's date"
    return source.wording()


def _conflict(derivation: Derivation, node: ox.NamedNode, clash: Clash) -> list[ox.Quad]:
    """Return the quads describing one temporal conflict."""
    reading = derivation.reading
    early, early_all = _chain_iris(reading, clash.earliest)
    late, late_all = _chain_iris(reading, clash.latest)
    aside = reading.sources[clash.constraint.ident]
    triples: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (RDF + "type", term(AIA + "TemporalConflict")),
        (RDFS + "label", ox.Literal(f"Temporal conflict: {_name(clash.point)}", language="en")),
        (AIA + "timeOf", ox.NamedNode(clash.point[0])),
        (AIA + "timeProperty", term(clash.point[1])),
        (AIA + "earliestDate", _date(clash.earliest.day)),
        (AIA + "latestDate", _date(clash.latest.day)),
        (AIA + "setAside", ox.NamedNode(aside.statements[0])),
        (AIA + "explanation", ox.Literal(_clash_text(reading, clash))),
    ]
    triples += [(AIA + "earliestFrom", ox.NamedNode(i)) for i in sorted(early)]
    triples += [(AIA + "latestFrom", ox.NamedNode(i)) for i in sorted(late)]
    triples += [(PROV + "wasDerivedFrom", ox.NamedNode(i)) for i in sorted(early_all | late_all)]
    return [ox.Quad(node, term(p), o, GRAPH) for p, o in triples]


def _conflict_iri(clash: Clash, reading: Reading) -> ox.NamedNode:
    """Name a conflict after the statement it set aside."""
    aside = reading.sources[clash.constraint.ident].statements[0]
    return ox.NamedNode(f"{ID}temporal-conflict/{local_name(ox.NamedNode(aside))}")


def _languages(reading: Reading, resource: str) -> list[str]:
    """Return the languages of the articles describing ``resource``, sorted."""
    if resource in reading.articles:
        return [reading.articles[resource].language]
    return sorted({a.language for a in reading.described.get(resource, [])})


def _label_article(reading: Reading, point: Point, own: list[Source]) -> str:
    """Return the article whose label names the fact: the one dating it most precisely."""
    if point[0] in reading.articles:
        return point[0]
    ranked = sorted((s.precision, s.article.language, s.article.iri) for s in own)
    if ranked:
        return ranked[0][2]
    return reading.described[point[0]][0].iri


def _fact_label(reading: Reading, resource: str, article: str) -> ox.Literal:
    """Return the English label the graph of ``article`` gives ``resource``."""
    graph = reading.graphs[reading.articles[article].graph]
    labels = sorted(
        label.value
        for label in graph.get(resource, {}).get(RDFS + "label", [])
        if isinstance(label, ox.Literal) and label.language == "en"
    )
    return ox.Literal(labels[0] if labels else resource, language="en")


def _sort_key(point: Point, interval: Interval) -> str:
    """Order by earliest (unknown first), then latest (unknown last), then kind and IRI."""
    first = iso(interval.earliest.day) if interval.earliest else "0000-00-00"
    last = iso(interval.latest.day) if interval.latest else "9999-12-31"
    return f"{first} {last} {list(CHANGES).index(point[1])} {point[0]}"


def _name(point: Point) -> str:
    """Return a short readable name of a point: ``event/x start``."""
    return f"{point[0].removeprefix(ID)} {CHANGES[point[1]]}"


def _date(day: int) -> ox.Literal:
    """Return a day as an xsd:date literal."""
    return ox.Literal(iso(day), datatype=_DATE)
