"""Comparing the sources: where articles state different values for the same thing.

The build compares, for every fact several articles state, each aspect that
carries a value (type, dates, amounts, direction, parties, actor, claimant,
operator, service, jurisdiction, audiences, target, conditions, certainty,
credited outlet), and, across facts, what sources say about one outcome
(``aia:bearsOn``): the actors they name, and the stance they take
(``aia:stance``). Each finding is judged (:mod:`aiaccess.judging`) and written
into the computed graph ``graph/comparison``, one ``aia:Position`` per source
with its value in words and the quotes that back *that* value (the evidence
whose ``aia:supports`` names the aspect's properties), derived from them
(``prov:wasDerivedFrom``). A summary per fact records which sources report it
and which of them conflict, for ``corroboration``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations

import pyoxigraph as ox

from aiaccess import judging
from aiaccess.annotations import local_name
from aiaccess.aspects import ASPECTS, OUTCOME_ASPECTS, Aspect, Value, terms, texts, value_of
from aiaccess.graphindex import GraphIndex
from aiaccess.judging import Hierarchy
from aiaccess.listings import languages_quads, listing_quads
from aiaccess.namespaces import AIA, COMPARISON_GRAPH, DCTERMS, ID, PROV, RDF, XSD, term
from aiaccess.naming import Names
from aiaccess.statements import TYPE, Quote, Statement, statements
from aiaccess.valuelists import value_lists

GRAPH = ox.NamedNode(COMPARISON_GRAPH)


@dataclass(frozen=True)
class Position:
    """What one source states on one aspect: its statements and the value they give."""

    statements: tuple[Statement, ...]
    value: Value

    @property
    def article(self) -> ox.NamedNode:
        """Return the source article."""
        return self.statements[0].article


@dataclass(frozen=True)
class Finding:
    """Sources that state one aspect of one fact (or outcome) differently, judged."""

    about: ox.NamedNode
    aspect: Aspect
    judgement: str
    positions: tuple[Position, ...]

    @property
    def iri(self) -> ox.NamedNode:
        """Return the finding's IRI, minted from what it is about and the aspect."""
        return ox.NamedNode(f"{ID}finding/{local_name(self.about)}/{self.aspect.slug}")


def compare(index: GraphIndex) -> list[ox.Quad]:
    """Return the computed comparison graph of the assembled quads, indexed.

    >>> from aiaccess.dataset import assemble
    >>> found = compare(GraphIndex.of(assemble().quads))
    >>> len({q.subject for q in found if q.object == ox.NamedNode(AIA + "Finding")}) > 10
    True
    """
    by_fact = statements(index.graphs)
    within = Hierarchy.read(index)
    names = Names.read(index)
    found = findings(by_fact, within)
    out = [q for f in found for q in _finding_quads(f, names)]
    out += languages_quads(names, GRAPH)
    for fact, said in sorted(by_fact.items()):
        out += _summary(fact, said, found)
        out += listing_quads(_comparison_iri(fact), said, names, GRAPH)
    return out + value_lists(index, GRAPH)


def findings(by_fact: dict[ox.NamedNode, list[Statement]], within: Hierarchy) -> list[Finding]:
    """Return every finding: per fact and aspect, then per outcome and aspect."""
    found = [
        finding
        for fact, said in sorted(by_fact.items())
        for aspect in ASPECTS
        if (finding := _judge(fact, aspect, [(s,) for s in said], within)) is not None
    ]
    for outcome, groups in sorted(_outcomes(by_fact).items()):
        for aspect in OUTCOME_ASPECTS:
            if (finding := _judge(outcome, aspect, groups, within)) is not None:
                found.append(finding)
    return found


def _outcomes(
    by_fact: dict[ox.NamedNode, list[Statement]],
) -> dict[ox.NamedNode, list[tuple[Statement, ...]]]:
    """Group, per outcome, each source's statements that bear on it."""
    grouped: dict[ox.NamedNode, dict[ox.NamedNode, list[Statement]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for said in by_fact.values():
        for statement in said:
            for outcome in statement.values.get(AIA + "bearsOn", ()):
                assert isinstance(outcome, ox.NamedNode)
                grouped[outcome][statement.article].append(statement)
    return {
        outcome: [tuple(s) for _, s in sorted(sources.items())]
        for outcome, sources in grouped.items()
    }


def _judge(
    about: ox.NamedNode, aspect: Aspect, groups: list[tuple[Statement, ...]], within: Hierarchy
) -> Finding | None:
    """Return the finding on one aspect, or None when the sources stating it agree."""
    stating = [tuple(s for s in g if any(p in s.values for p in aspect.properties)) for g in groups]
    positions = [
        Position(group, value)
        for group in stating
        if group and (value := value_of(aspect, group)) is not None
    ]
    judgement = judging.worst(
        _pair(aspect, a.value, b.value, within) for a, b in combinations(positions, 2)
    )
    if judgement is None:
        return None
    return Finding(about, aspect, judgement, tuple(positions))


def _pair(aspect: Aspect, a: Value, b: Value, within: Hierarchy) -> str | None:
    """Judge two sources' values of one aspect."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        assert isinstance(a, tuple) and isinstance(b, tuple)
        return judging.amounts(a, b)
    judges: dict[str, Callable[[], str | None]] = {
        "sets": lambda: judging.sets(terms(a), terms(b), within, sole=False),
        "types": lambda: judging.sets(terms(a), terms(b), within, sole=False),
        "actors": lambda: judging.sets(terms(a), terms(b), within, sole=True),
        "dates": lambda: judging.dates(terms(a), terms(b)),
        "directions": lambda: judging.directions(a, b),  # type: ignore[arg-type]
        "difference": lambda: judging.plain(a, b, judging.DIFFERENCE),
        "conflict": lambda: judging.plain(a, b, judging.CONFLICT),
    }
    return judges[aspect.kind]()


# --- writing findings ---------------------------------------------------------


def _finding_quads(finding: Finding, names: Names) -> list[ox.Quad]:
    """Return the quads of one finding and its positions."""
    iri = finding.iri
    quads = [
        _quad(iri, RDF + "type", term(AIA + "Finding")),
        _quad(iri, AIA + "about", finding.about),
        _quad(iri, AIA + "aspect", ox.Literal(finding.aspect.name, language="en")),
        _quad(iri, AIA + "classification", term(AIA + finding.judgement)),
    ]
    for position in finding.positions:
        quads += _position_quads(iri, finding.aspect, position, names)
    return quads


def _position_quads(
    finding: ox.NamedNode, aspect: Aspect, position: Position, names: Names
) -> list[ox.Quad]:
    """Return the quads of one source's position: value in words, quotes, provenance."""
    article = position.article
    iri = ox.NamedNode(f"{finding.value}/{article.value.rsplit('/', 1)[-1]}")
    quotes = _quotes(aspect, position.statements)
    language = position.statements[0].language
    labels = sorted({s.label for s in position.statements})
    quads = [
        _quad(finding, AIA + "position", iri),
        _quad(iri, RDF + "type", term(AIA + "Position")),
        _quad(iri, AIA + "statedIn", article),
        _quad(iri, DCTERMS + "language", ox.Literal(language)),
        _quad(iri, AIA + "factLabel", ox.Literal("; ".join(labels), language="en")),
        _quad(
            iri, AIA + "quotes", ox.Literal(" | ".join(q.exact for q in quotes), language=language)
        ),
        _quad(iri, AIA + "glosses", ox.Literal(" | ".join(q.gloss for q in quotes), language="en")),
    ]
    quads += [_quad(iri, PROV + "wasDerivedFrom", q.evidence) for q in quotes]
    quads += [
        _quad(iri, AIA + "valueText", ox.Literal(text, language=lang))
        for lang, text in texts(aspect, position.value, names).items()
    ]
    return quads


def _quotes(aspect: Aspect, said: Iterable[Statement]) -> tuple[Quote, ...]:
    """Return the quotes backing a source's value of the aspect, in text order."""
    found = {q for s in said for q in s.backing(aspect.properties)}
    return tuple(sorted(found, key=lambda q: (q.start, q.exact)))


# --- summaries for corroboration -----------------------------------------------


def _summary(fact: ox.NamedNode, said: list[Statement], found: list[Finding]) -> list[ox.Quad]:
    """Return which sources report a fact, which agree and which conflict."""
    disagreeing = {
        p.article
        for f in found
        if f.about == fact and f.judgement == judging.CONFLICT
        for p in f.positions
    }
    reporting = sorted({s.language: s for s in said}.items())
    agreeing = [lang for lang, s in reporting if s.article not in disagreeing]
    against = [lang for lang, s in reporting if s.article in disagreeing]
    status = "single source" if len(reporting) == 1 else "contested" if against else "corroborated"
    iri = _comparison_iri(fact)
    wording = "; ".join(f"{lang}: {s.label}" for lang, s in reporting)
    count = ox.Literal(str(len(reporting)), datatype=term(XSD + "integer"))
    return [
        _quad(iri, RDF + "type", term(AIA + "SourceComparison")),
        _quad(iri, AIA + "about", fact),
        *(_quad(iri, AIA + "kind", kind) for kind in _kinds(said)),
        _quad(iri, AIA + "sourceCount", count),
        _quad(
            iri, AIA + "reportingLanguages", ox.Literal(", ".join(lang for lang, _ in reporting))
        ),
        _quad(iri, AIA + "agreeingLanguages", ox.Literal(", ".join(agreeing))),
        _quad(iri, AIA + "disagreeingLanguages", ox.Literal(", ".join(against))),
        _quad(iri, AIA + "status", ox.Literal(status)),
        _quad(iri, AIA + "sourceLabels", ox.Literal(wording, language="en")),
    ]


def _kinds(said: list[Statement]) -> list[ox.NamedNode]:
    """Return the classes the sources give a fact, sorted."""
    kinds = {k for s in said for k in s.values.get(TYPE, ()) if isinstance(k, ox.NamedNode)}
    return sorted(kinds, key=lambda k: k.value)


def _comparison_iri(fact: ox.NamedNode) -> ox.NamedNode:
    """Return the IRI of the comparison of a fact's sources."""
    return ox.NamedNode(f"{ID}comparison/{local_name(fact)}")


def _quad(subject: ox.NamedNode, predicate: str, obj: ox.NamedNode | ox.Literal) -> ox.Quad:
    """Return a quad of the comparison graph."""
    return ox.Quad(subject, term(predicate), obj, GRAPH)
