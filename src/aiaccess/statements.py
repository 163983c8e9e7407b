"""What each article states about each fact, with the quotes backing each value.

The same fact IRI is described in several article graphs, each with its own
values. This module reads the assembled quads into one :class:`Statement` per
(fact, article): the values of every property, and for each property the
evidence annotations whose ``aia:supports`` names it. Comparing sources
(:mod:`aiaccess.comparison`) works on these.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from aiaccess.graphindex import Index, Term
from aiaccess.namespaces import AIA, ARTICLE_GRAPH, OA, RDF, RDFS, SCHEMA

TYPE = RDF + "type"
_CERTAINTY = AIA + "certainty"


@dataclass(frozen=True)
class Quote:
    """One evidence annotation: where its quote starts, the quote and its English gloss."""

    evidence: ox.NamedNode
    start: int
    exact: str
    gloss: str


@dataclass(frozen=True)
class Statement:
    """What one article states about one fact."""

    fact: ox.NamedNode
    article: ox.NamedNode
    language: str
    label: str
    values: dict[str, frozenset[Term]]
    quotes: dict[str, tuple[Quote, ...]] = field(default_factory=dict)

    def backing(self, properties: tuple[str, ...]) -> tuple[Quote, ...]:
        """Return the quotes backing any of ``properties``, in text order, each once.

        A statement whose evidence backs none of them falls back to the quotes
        backing the fact itself (``rdf:type``).
        """
        found = {q for p in properties for q in self.quotes.get(p, ())}
        found = found or set(self.quotes.get(TYPE, ()))
        return tuple(sorted(found, key=lambda q: (q.start, q.exact)))


def statements(graphs: dict[ox.NamedNode, Index]) -> dict[ox.NamedNode, list[Statement]]:
    """Return every fact's statements, one per article graph stating it, by article order."""
    found: dict[ox.NamedNode, list[Statement]] = defaultdict(list)
    for graph in sorted(graphs, key=lambda g: g.value):
        if graph.value.startswith(ARTICLE_GRAPH):
            for statement in _article_statements(graphs[graph]):
                found[statement.fact].append(statement)
    return dict(found)


def _article_statements(graph: Index) -> list[Statement]:
    """Return the statements of one article graph: one per reported fact."""
    article, language = _article(graph)
    return [
        _statement(subject, props, graph, article, language)
        for subject, props in graph.items()
        if _CERTAINTY in props and article != subject
    ]


def _article(graph: Index) -> tuple[ox.NamedNode, str]:
    """Return the article an article graph describes, and its language."""
    for subject, props in graph.items():
        if ox.NamedNode(AIA + "Article") in props.get(TYPE, []):
            (language,) = props[SCHEMA + "inLanguage"]
            assert isinstance(language, ox.Literal)
            return subject, language.value
    raise ValueError("an article graph without its article")


def _statement(
    fact: ox.NamedNode,
    props: dict[str, list[Term]],
    graph: Index,
    article: ox.NamedNode,
    language: str,
) -> Statement:
    """Return what the article states about ``fact``: values and backing quotes."""
    values = {p: frozenset(objects) for p, objects in props.items()}
    quotes: dict[str, list[Quote]] = defaultdict(list)
    for evidence in props.get(AIA + "evidence", []):
        assert isinstance(evidence, ox.NamedNode)
        quote = _quote(evidence, graph)
        for prop in graph[evidence].get(AIA + "supports", []):
            assert isinstance(prop, ox.NamedNode)
            quotes[prop.value].append(quote)
    label = next(iter(sorted(_text(v) for v in props.get(RDFS + "label", []))), fact.value)
    return Statement(
        fact, article, language, label, values, {p: tuple(q) for p, q in quotes.items()}
    )


def _quote(evidence: ox.NamedNode, graph: Index) -> Quote:
    """Return an evidence annotation's quote, start offset and gloss."""
    (target,) = graph[evidence][OA + "hasTarget"]
    assert isinstance(target, ox.NamedNode)
    exact, start = "", 0
    for selector in graph[target][OA + "hasSelector"]:
        assert isinstance(selector, ox.NamedNode)
        props = graph[selector]
        if OA + "exact" in props:
            exact = _text(props[OA + "exact"][0])
        if OA + "start" in props:
            start = int(_text(props[OA + "start"][0]))
    gloss = _text(graph[evidence][AIA + "gloss"][0])
    return Quote(evidence, start, exact, gloss)


def _text(term: Term) -> str:
    """Return the lexical form of a literal or IRI."""
    assert not isinstance(term, ox.Triple)
    return term.value
