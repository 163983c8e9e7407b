"""Independent groups of articles: the computed graphs worked out one group at a time.

The computed graphs (the temporal network, the comparison of sources, the
value lists) read several articles at once, but only articles that speak about
the same things. Two articles are *linked* when they share a resource of the
``id/`` namespace that some article describes (the same fact, event, claim,
person...) or an outcome their facts bear on (``aia:bearsOn``); a *group* is a
set of articles linked directly or through others. A group's computed graphs
are then those of the whole dataset restricted to it, computed from the group's
articles and the ontology and registry resources they reach, so a build
remembers them per group and an edit recomputes one group.

Two things are exempt from linking, because every group sees them the same:
a resource only the registry or ontology describes, and one that every article
naming it describes identically with a type and labels only (a role such as
"chief executive officer"). Where the groups would not see the dataset's
languages as the whole does (the languages the computed lists are written in),
all articles form one group.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from aiaccess.graphindex import GraphIndex
from aiaccess.namespaces import AIA, ID, ONTOLOGY_GRAPH, RDF, RDFS, SKOS

_BEARS_ON = AIA + "bearsOn"
_NAMING = frozenset((RDF + "type", RDFS + "label", SKOS + "prefLabel"))
_LABEL_IRIS = frozenset((RDFS + "label", SKOS + "prefLabel"))
_LABELS = frozenset(ox.NamedNode(p) for p in _LABEL_IRIS)

Index = dict[ox.NamedNode, list[ox.Quad]]
"""Subject -> its quads."""


@dataclass(frozen=True)
class Links:
    """What one article's part says that may link it to other articles (the module's rules).

    Small beside the part, so the build remembers it per part and groups a
    thousand articles without reading their quads again.
    """

    named: tuple[str, ...]
    """The ``id/`` resources the part names, as subject or object."""
    described: tuple[str, ...]
    """The ``id/`` resources it describes with more than a type and labels."""
    naming: dict[str, str]
    """The other ``id/`` resources it describes (by a type and labels only) -> that description."""
    outcomes: tuple[str, ...]
    """What its facts bear on (``aia:bearsOn``), in N-Triples syntax."""
    languages: tuple[tuple[str, str], ...]
    """Each label property it uses with a language tag, and the tag."""

    @classmethod
    def of(cls, quads: Iterable[ox.Quad]) -> Links:
        """Read what links an article from its part's quads."""
        named: set[str] = set()
        other: set[str] = set()
        naming: dict[str, list[str]] = defaultdict(list)
        outcomes: set[str] = set()
        languages: set[tuple[str, str]] = set()
        for quad in quads:
            subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
            if predicate in _LABEL_IRIS and isinstance(obj, ox.Literal) and obj.language:
                languages.add((predicate, obj.language))
            if isinstance(obj, ox.NamedNode) and (iri := obj.value).startswith(ID):
                named.add(iri)
            if predicate == _BEARS_ON:
                outcomes.add(str(obj))
            if isinstance(subject, ox.NamedNode) and (iri := subject.value).startswith(ID):
                named.add(iri)
                if predicate in _NAMING:
                    naming[iri].append(f"<{predicate}> {obj}")
                else:
                    other.add(iri)
        return cls(
            named=tuple(sorted(named)),
            described=tuple(sorted(other)),
            naming={s: "\n".join(sorted(d)) for s, d in sorted(naming.items()) if s not in other},
            outcomes=tuple(sorted(outcomes)),
            languages=tuple(sorted(languages)),
        )

    def to_json(self) -> bytes:
        """Return the links as JSON, to be remembered."""
        return json.dumps(vars(self)).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Links:
        """Read links remembered as JSON."""
        found = json.loads(data)
        return cls(
            named=tuple(found["named"]),
            described=tuple(found["described"]),
            naming=found["naming"],
            outcomes=tuple(found["outcomes"]),
            languages=tuple((p, lang) for p, lang in found["languages"]),
        )


def independent(articles: dict[str, Links], base: list[ox.Quad]) -> list[list[str]]:
    """Return the groups of linked articles: slugs in article order, groups by first article.

    >>> def says(*facts: str) -> Links:
    ...     certainty = ox.NamedNode(AIA + "certainty")
    ...     reported = ox.NamedNode(AIA + "Reported")
    ...     return Links.of(ox.Quad(ox.NamedNode(ID + f), certainty, reported) for f in facts)
    >>> independent({"a": says("x"), "b": says("y"), "c": says("x")}, [])
    [['a', 'c'], ['b']]
    """
    root = {slug: slug for slug in articles}

    def find(slug: str) -> str:
        while root[slug] != slug:
            root[slug] = root[root[slug]]
            slug = root[slug]
        return slug

    for linked in _linked(articles):
        first, *rest = linked
        for other in rest:
            root[find(other)] = find(first)
    groups: dict[str, list[str]] = defaultdict(list)
    for slug in articles:
        groups[find(slug)].append(slug)
    found = list(groups.values())
    if len(found) > 1 and not _same_languages(articles, base, found):
        return [list(articles)]
    return found


def _linked(articles: dict[str, Links]) -> list[list[str]]:
    """Return, per linking resource, the articles it links (see the module's rules).

    Most resources an article names are its own (its evidence, its mentions), so
    the resources named by several articles are found first, with set
    operations, and only those are followed.
    """
    described: set[str] = set().union(*(links.described for links in articles.values()))
    naming: dict[str, dict[str, str]] = defaultdict(dict)
    outcomes: dict[str, set[str]] = defaultdict(set)
    seen: set[str] = set()
    repeated: set[str] = set()
    for slug, links in articles.items():
        for iri, description in links.naming.items():
            naming[iri][slug] = description
        for outcome in links.outcomes:
            outcomes[outcome].add(slug)
        named = set(links.named)
        repeated |= seen & named
        seen |= named
    linking = {iri for iri in repeated if iri in described or iri in naming}
    found = [sorted(slugs) for slugs in outcomes.values() if len(slugs) > 1]
    named_by: dict[str, list[str]] = defaultdict(list)
    for slug, links in articles.items():
        for iri in linking.intersection(links.named):
            named_by[iri].append(slug)
    for iri, slugs in named_by.items():
        if iri not in described and _alike(set(slugs), naming[iri]):
            continue
        found.append(sorted(slugs))
    return found


def _alike(slugs: set[str], descriptions: dict[str, str]) -> bool:
    """Tell whether every article naming a resource describes it, all in the same words."""
    return set(descriptions) == slugs and len(set(descriptions.values())) == 1


def _same_languages(
    articles: dict[str, Links], base: list[ox.Quad], groups: list[list[str]]
) -> bool:
    """Tell whether each group's labels, with the registry's, use every language the data does."""
    common = _languages(base)
    own = {slug: set(links.languages) for slug, links in articles.items()}
    everything = common.union(*own.values())
    return all(common.union(*(own[s] for s in group)) == everything for group in groups)


def _languages(quads: Iterable[ox.Quad]) -> set[tuple[str, str]]:
    """Return each label property among ``quads`` with the language tags it is used with."""
    return {
        (q.predicate.value, q.object.language)
        for q in quads
        if q.predicate in _LABELS and isinstance(q.object, ox.Literal) and q.object.language
    }


def index(quads: Iterable[ox.Quad]) -> Index:
    """Return the quads by subject (IRIs only)."""
    found: Index = defaultdict(list)
    for quad in quads:
        if isinstance(quad.subject, ox.NamedNode):
            found[quad.subject].append(quad)
    return found


def reached(quads: list[ox.Quad], by_subject: Index) -> list[ox.Quad]:
    """Return the quads of ``by_subject`` reachable from the resources ``quads`` name.

    Followed transitively through the objects of the quads found; each quad
    once, in no particular order. A resource ``quads`` name many times is
    looked up once.
    """
    named = {quad.subject for quad in quads}
    named.update([obj for quad in quads if isinstance(obj := quad.object, ox.NamedNode)])
    return reachable([node for node in named if isinstance(node, ox.NamedNode)], by_subject)


def reachable(todo: list[ox.NamedNode], by_subject: Index) -> list[ox.Quad]:
    """Return the quads of ``by_subject`` reachable from the resources ``todo`` (emptied).

    Followed transitively through the objects of the quads found; each quad
    once, in no particular order.
    """
    todo[:] = dict.fromkeys(node for node in todo if node in by_subject)
    seen = set(todo)
    found: list[ox.Quad] = []
    while todo:
        for quad in by_subject[todo.pop()]:
            found.append(quad)
            obj = quad.object
            if isinstance(obj, ox.NamedNode) and obj not in seen and obj in by_subject:
                seen.add(obj)
                todo.append(obj)
    return found


Step = tuple[int, list[ox.Quad], list[ox.NamedNode]]
"""A base subject's place in the registry, its registry quads, the base subjects its quads name."""


@dataclass(frozen=True)
class Base:
    """The ontology and registry graphs, prepared once for every group's computed graphs."""

    steps: dict[ox.NamedNode, Step]
    """Each base subject (an IRI): where the registry describes it, how, and what it leads to."""
    ontology: GraphIndex
    """The whole ontology graph, which every group's computed graphs read, indexed once."""
    registry: list[ox.Quad]
    languages: set[tuple[str, str]]
    """The label languages of the registry graph."""

    @classmethod
    def of(cls, quads: list[ox.Quad]) -> Base:
        """Index the base quads and set the ontology graph and the registry's languages aside.

        The ontology's quads are indexed in their N-Quads order, as the whole
        dataset's sorted quads would give them.
        """
        ontology = ox.NamedNode(ONTOLOGY_GRAPH)
        named = [(q, q.graph_name) for q in quads]
        registry = [q for q, graph in named if graph != ontology]
        return cls(
            _steps(quads, registry),
            GraphIndex.of(sorted((q for q, graph in named if graph == ontology), key=str)),
            registry,
            _languages(registry),
        )


def _steps(quads: list[ox.Quad], registry: list[ox.Quad]) -> dict[ox.NamedNode, Step]:
    """Return, per base subject, its place in the registry (its first quad's), its registry
    quads, and the base subjects its quads name as objects."""
    by_subject = index(quads)
    place: dict[ox.NamedNode | ox.BlankNode | ox.Triple, int] = {}
    for number, quad in enumerate(registry):
        place.setdefault(quad.subject, number)
    own = index(registry)
    steps: dict[ox.NamedNode, Step] = {}
    for subject, described in by_subject.items():
        objects = {q.object for q in described}
        named = [o for o in objects if isinstance(o, ox.NamedNode) and o in by_subject]
        steps[subject] = (place.get(subject, -1), own.get(subject, []), named)
    return steps


def context(articles: GraphIndex, base: Base) -> list[ox.Quad]:
    """Return the registry quads a group's computed graphs need besides its ``articles``.

    Those the articles reach (followed through the objects of the base quads
    found, as :func:`reached` does), subject by subject in the registry's order;
    the whole registry when they would not carry every language of the
    registry's labels. (The ontology graph is read whole, from ``base.ontology``.)
    """
    steps = base.steps
    todo = [n for n in articles.named() if isinstance(n, ox.NamedNode) and n in steps]
    seen: set[ox.NamedNode] = set()
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo += steps[node][2]
    found = sorted(steps[node][:2] for node in seen if steps[node][1])
    reach = [quad for _, quads in found for quad in quads]
    if _languages(reach) != base.languages:
        return base.registry
    return reach
