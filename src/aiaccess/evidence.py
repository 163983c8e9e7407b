"""Turning curated evidence blank nodes into located Web Annotations.

Curated data writes ``<fact> aia:evidence [ aia:supports <property> ; aia:quote "…"@xx ;
aia:gloss "…"@en ]``. The build proves each quote is in the article's seed, verbatim, and
replaces the blank node by an ``aia:Evidence`` annotation with the quote's offsets, keeping
the properties of the fact whose stated values the quote backs (``aia:supports``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from aiaccess.annotations import annotation_quads, local_name, locate, target_quads
from aiaccess.errors import DataError, EvidenceError
from aiaccess.graphindex import Term
from aiaccess.namespaces import AIA, ID

EVIDENCE = ox.NamedNode(AIA + "evidence")
QUOTE = ox.NamedNode(AIA + "quote")
GLOSS = ox.NamedNode(AIA + "gloss")
SUPPORTS = ox.NamedNode(AIA + "supports")
_ALLOWED = {QUOTE, GLOSS, SUPPORTS}


@dataclass(frozen=True)
class Source:
    """The article a data file describes, as the evidence expansion needs it."""

    slug: str
    seed: str
    path: Path
    iri: ox.NamedNode
    graph: ox.NamedNode
    language: str
    text: str


def expand(triples: list[ox.Triple], source: Source) -> list[ox.Quad]:
    """Return the file's triples as quads in the article graph, evidence expanded.

    :raises EvidenceError: if a quote is not verbatim in the seed, or its tags are wrong.
    :raises DataError: if a blank node is used anywhere but as an evidence node, or evidence
        supports a property its fact does not state in this file.
    """
    nodes: dict[ox.BlankNode, list[ox.Triple]] = defaultdict(list)
    stated: dict[ox.NamedNode | ox.Triple, set[ox.NamedNode]] = defaultdict(set)
    described: list[tuple[ox.NamedNode | ox.Triple, ox.NamedNode, Term]] = []
    for triple in triples:
        subject, predicate = triple.subject, triple.predicate
        if isinstance(subject, ox.BlankNode):
            nodes[subject].append(triple)
        else:
            stated[subject].add(predicate)
            described.append((subject, predicate, triple.object))
    quads: list[ox.Quad] = []
    used: set[ox.BlankNode] = set()
    graph = source.graph
    for subject, predicate, obj in described:
        if isinstance(obj, ox.BlankNode):
            if predicate != EVIDENCE:
                raise DataError(
                    source.path,
                    f"blank node object of <{predicate.value}>: only aia:evidence may use [ ]",
                )
            if not isinstance(subject, ox.NamedNode):
                raise DataError(source.path, "quoted triples cannot carry evidence")
            used.add(obj)
            _check_supports(subject, nodes[obj], stated[subject], source)
            quads += _evidence(subject, nodes[obj], source)
        else:
            quads.append(ox.Quad(subject, predicate, obj, graph))
    for node in nodes.keys() - used:
        raise DataError(source.path, f"blank node {node} is not the object of aia:evidence")
    return quads


def _evidence(fact: ox.NamedNode, props: list[ox.Triple], source: Source) -> list[ox.Quad]:
    """Return the quads of one evidence annotation backing ``fact``."""
    quote = _single(props, QUOTE, source, fact)
    gloss = _single(props, GLOSS, source, fact)
    for extra in (t.predicate for t in props if t.predicate not in _ALLOWED):
        raise DataError(source.path, f"evidence of <{fact.value}> has unexpected <{extra.value}>")
    if quote.language != source.language:
        raise EvidenceError(
            source.path,
            quote.value,
            f"quote must be tagged @{source.language} (the article's language)",
        )
    if gloss.language != "en":
        raise EvidenceError(source.path, gloss.value, "gloss must be tagged @en")
    span = locate(source.text, quote.value)
    if span is None:
        raise EvidenceError(
            source.path, quote.value, f"quote not found verbatim in seed {source.slug}"
        )
    iri = ox.NamedNode(f"{ID}evidence/{source.slug}/{span.start}-{span.end}-{local_name(fact)}")
    graph = source.graph
    supported = [ox.Quad(iri, SUPPORTS, t.object, graph) for t in props if t.predicate == SUPPORTS]
    return [
        ox.Quad(fact, EVIDENCE, iri, graph),
        ox.Quad(iri, GLOSS, gloss, graph),
        *supported,
        *annotation_quads(iri, AIA + "Evidence", "describing", fact, graph),
        *target_quads(iri, source.iri, span, quote.language, graph),
    ]


def _check_supports(
    fact: ox.NamedNode, props: list[ox.Triple], stated: set[ox.NamedNode], source: Source
) -> None:
    """Refuse evidence that backs a value its fact has not in this article.

    SHACL sees the union of all articles, where another article may state the
    value; only the file knows what this article states.
    """
    for prop in (t.object for t in props if t.predicate == SUPPORTS):
        if prop not in stated:
            shown = prop.value if isinstance(prop, ox.NamedNode | ox.Literal) else str(prop)
            raise DataError(
                source.path,
                f"evidence of <{fact.value}> supports <{shown}>, which the fact "
                "does not state in this article",
            )


def _single(
    props: list[ox.Triple], predicate: ox.NamedNode, source: Source, fact: ox.NamedNode
) -> ox.Literal:
    """Return the one literal value of ``predicate`` on an evidence node."""
    values = [t.object for t in props if t.predicate == predicate]
    name = predicate.value.rsplit("#", 1)[-1]
    if len(values) != 1 or not isinstance(values[0], ox.Literal):
        raise DataError(
            source.path, f"evidence of <{fact.value}> needs exactly one aia:{name} literal"
        )
    return values[0]
