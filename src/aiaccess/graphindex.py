"""The quads the computed steps read, indexed once by graph, subject and predicate.

The computed steps (:data:`aiaccess.dataset.DATASET_STEPS`: the temporal
network, then the comparison of sources with its value lists, names and
hierarchies) all read the same quads of a group of articles. Reading a quad's
terms out of Oxigraph costs more than what the steps then do with them, so the
quads are read once into a :class:`GraphIndex` that every step reads; a later
step sees the graphs the earlier ones computed through :meth:`GraphIndex.plus`,
which indexes only those.

The index keeps the order of the quads it was given (graphs, subjects,
predicates and objects in order of first appearance), so a step reads the
index as it would have read the sorted quads.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Props = dict[str, list[Term]]
"""Predicate IRI -> objects, of one subject in one graph."""
Index = dict[ox.NamedNode, Props]
"""Subject -> predicate IRI -> objects, for one graph."""


@dataclass(frozen=True)
class GraphIndex:
    """Quads by named graph, subject (IRIs only) and predicate IRI.

    A lookup of a subject or predicate that is not there gives an empty value
    (and, as with :class:`collections.defaultdict`, adds it): read with ``get``
    where that matters.
    """

    graphs: dict[ox.NamedNode, Index]

    @classmethod
    def of(cls, quads: Iterable[ox.Quad]) -> GraphIndex:
        """Index ``quads`` (the quads of the default graph and of blank subjects are left out).

        >>> g, s = ox.NamedNode("urn:g"), ox.NamedNode("urn:s")
        >>> label = ox.Quad(s, ox.NamedNode("urn:label"), ox.Literal("x"), g)
        >>> [o.value for o in GraphIndex.of([label]).graphs[g][s]["urn:label"]]
        ['x']
        """
        return cls(_index(quads))

    def plus(self, quads: list[ox.Quad]) -> GraphIndex:
        """Return the index with ``quads`` added: quads of graphs it does not hold yet.

        The graphs already indexed are shared, not copied.

        :raises ValueError: if a quad is in a graph the index already holds.
        """
        return self.joined(GraphIndex(_index(quads)))

    def joined(self, other: GraphIndex) -> GraphIndex:
        """Return the index with the graphs of ``other`` added after its own (both shared).

        :raises ValueError: if ``other`` holds a graph this index holds.
        """
        if other.graphs.keys() & self.graphs.keys():
            raise ValueError("a computed step wrote into a graph that it or an earlier step read")
        graphs = _graphs()
        graphs.update(self.graphs)
        graphs.update(other.graphs)
        return GraphIndex(graphs)

    def named(self) -> set[Term]:
        """Return every subject and object of the index (its literals too)."""
        found: set[Term] = set()
        for subjects in self.graphs.values():
            found.update(subjects)
            for props in subjects.values():
                for objects in props.values():
                    found.update(objects)
        return found

    @functools.cached_property
    def by_iri(self) -> dict[str, dict[str, Props]]:
        """The same index keyed by the graphs' and subjects' IRIs (the objects are shared)."""
        found: dict[str, dict[str, Props]] = defaultdict(lambda: defaultdict(_props))
        for graph, subjects in self.graphs.items():
            by_subject = found[graph.value]
            for subject, props in subjects.items():
                by_subject[subject.value] = props
        return found


def _props() -> Props:
    """Return the objects of a new subject, by predicate."""
    return defaultdict(list)


def _subjects() -> Index:
    """Return the subjects of a new graph."""
    return defaultdict(_props)


def _graphs() -> dict[ox.NamedNode, Index]:
    """Return an empty index."""
    return defaultdict(_subjects)


def _index(quads: Iterable[ox.Quad]) -> dict[ox.NamedNode, Index]:
    """Group ``quads`` by named graph, IRI subject and predicate, keeping their order.

    Sorted quads come subject by subject, so a quad's subject is looked up only
    when it differs from the previous quad's (or the graph does).
    """
    graphs = _graphs()
    last: tuple[object, object] = (None, None)
    props: Props = {}
    for quad in quads:
        graph, subject = quad.graph_name, quad.subject
        if not isinstance(graph, ox.NamedNode) or not isinstance(subject, ox.NamedNode):
            continue
        if last[0] != subject or last[1] != graph:
            props = graphs[graph][subject]
            last = (subject, graph)
        props[quad.predicate.value].append(quad.object)
    return graphs
