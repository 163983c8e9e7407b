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

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from aiaccess.namespaces import AIA, ID, ONTOLOGY_GRAPH, RDF, RDFS, REGISTRY_GRAPH, SKOS

_BEARS_ON = ox.NamedNode(AIA + "bearsOn")
_NAMING = frozenset(ox.NamedNode(p) for p in (RDF + "type", RDFS + "label", SKOS + "prefLabel"))
_LABELS = frozenset(ox.NamedNode(p) for p in (RDFS + "label", SKOS + "prefLabel"))

Index = dict[ox.NamedNode, list[ox.Quad]]
"""Subject -> its quads."""


def independent(articles: dict[str, list[ox.Quad]], base: list[ox.Quad]) -> list[list[str]]:
    """Return the groups of linked articles: slugs in article order, groups by first article.

    >>> def says(slug: str, *facts: str) -> list[ox.Quad]:
    ...     graph = ox.NamedNode("urn:graph:" + slug)
    ...     certainty = ox.NamedNode(AIA + "certainty")
    ...     reported = ox.NamedNode(AIA + "Reported")
    ...     return [ox.Quad(ox.NamedNode(ID + f), certainty, reported, graph) for f in facts]
    >>> independent({"a": says("a", "x"), "b": says("b", "y"), "c": says("c", "x")}, [])
    [['a', 'c'], ['b']]
    """
    links = _links(articles)
    root = {slug: slug for slug in articles}

    def find(slug: str) -> str:
        while root[slug] != slug:
            root[slug] = root[root[slug]]
            slug = root[slug]
        return slug

    for linked in links:
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


def _links(articles: dict[str, list[ox.Quad]]) -> list[list[str]]:
    """Return, per linking resource, the articles it links (see the module's rules)."""
    naming: dict[ox.NamedNode, dict[str, set[tuple[object, object]]]] = defaultdict(
        lambda: defaultdict(set)
    )
    other: dict[ox.NamedNode, set[str]] = defaultdict(set)
    named: dict[ox.NamedNode, set[str]] = defaultdict(set)
    outcomes: dict[object, set[str]] = defaultdict(set)
    for slug, quads in articles.items():
        for quad in quads:
            subject, obj = quad.subject, quad.object
            if isinstance(subject, ox.NamedNode) and subject.value.startswith(ID):
                named[subject].add(slug)
                if quad.predicate in _NAMING:
                    naming[subject][slug].add((quad.predicate, obj))
                else:
                    other[subject].add(slug)
            if isinstance(obj, ox.NamedNode) and obj.value.startswith(ID):
                named[obj].add(slug)
            if quad.predicate == _BEARS_ON:
                outcomes[obj].add(slug)
    links = [sorted(slugs) for slugs in outcomes.values() if len(slugs) > 1]
    for resource, slugs in named.items():
        describing = other.get(resource, set()) | set(naming.get(resource, {}))
        if len(slugs) < 2 or not describing:
            continue
        if _exempt(resource, slugs, other, naming):
            continue
        links.append(sorted(slugs))
    return links


def _exempt(
    resource: ox.NamedNode,
    slugs: set[str],
    other: dict[ox.NamedNode, set[str]],
    naming: dict[ox.NamedNode, dict[str, set[tuple[object, object]]]],
) -> bool:
    """Tell whether every article naming ``resource`` describes it alike, by type and labels."""
    if resource in other:
        return False
    descriptions = naming.get(resource, {})
    if set(descriptions) != slugs:
        return False
    first, *rest = descriptions.values()
    return all(description == first for description in rest)


def _same_languages(
    articles: dict[str, list[ox.Quad]], base: list[ox.Quad], groups: list[list[str]]
) -> bool:
    """Tell whether each group's labels, with the registry's, use every language the data does."""
    common = _languages(base)
    own = {slug: _languages(quads) for slug, quads in articles.items()}
    everything = common.union(*own.values())
    return all(common.union(*(own[s] for s in group)) == everything for group in groups)


def _languages(quads: Iterable[ox.Quad]) -> set[tuple[ox.NamedNode, str]]:
    """Return each label property among ``quads`` with the language tags it is used with."""
    return {
        (q.predicate, q.object.language)
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

    Followed transitively through the objects of the quads found.
    """
    todo = [n for q in quads for n in (q.subject, q.object) if isinstance(n, ox.NamedNode)]
    seen: set[ox.NamedNode] = set()
    found: list[ox.Quad] = []
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for quad in by_subject.get(node, ()):
            found.append(quad)
            if isinstance(quad.object, ox.NamedNode):
                todo.append(quad.object)
    return found


def context(quads: list[ox.Quad], base: list[ox.Quad], by_subject: Index) -> list[ox.Quad]:
    """Return what a group's computed graphs need besides its articles' ``quads``.

    The whole ontology graph, and the registry quads the articles reach; the
    whole base when that part of the registry would not carry every language
    of the registry's labels.
    """
    ontology = ox.NamedNode(ONTOLOGY_GRAPH)
    registry = ox.NamedNode(REGISTRY_GRAPH)
    found = [q for q in base if q.graph_name == ontology]
    found += [q for q in reached(quads, by_subject) if q.graph_name == registry]
    in_registry = [q for q in base if q.graph_name == registry]
    if _languages(q for q in found if q.graph_name == registry) != _languages(in_registry):
        return base
    return found
