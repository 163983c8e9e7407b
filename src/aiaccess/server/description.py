"""The SPARQL 1.1 Service Description answered by ``GET /sparql`` without a query.

It names the endpoint, the language (queries only: the service is read-only),
the result formats, the union default graph and each named graph with its
size, and links the dataset to its VoID description.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox

from aiaccess.namespaces import DATASET_IRI, RDF, SD, VOID, XSD
from aiaccess.server import formats

_SERVICE = ox.BlankNode("service")
_DEFAULT = ox.BlankNode("default")
_SIMPLE = "http://www.w3.org/ns/entailment/Simple"


def describe(endpoint: str, quads: list[ox.Quad], federated: bool) -> list[ox.Triple]:
    """Return the service description of the endpoint at ``endpoint`` serving ``quads``.

    :param federated: whether some SERVICE endpoints are allowed.
    """
    dataset = ox.NamedNode(DATASET_IRI)
    triples = [
        _t(_SERVICE, RDF + "type", ox.NamedNode(SD + "Service")),
        _t(_SERVICE, SD + "endpoint", ox.NamedNode(endpoint)),
        _t(_SERVICE, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query")),
        _t(_SERVICE, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph")),
        _t(_SERVICE, SD + "defaultEntailmentRegime", ox.NamedNode(_SIMPLE)),
        _t(_SERVICE, SD + "defaultDataset", dataset),
        _t(dataset, RDF + "type", ox.NamedNode(SD + "Dataset")),
        _t(dataset, SD + "defaultGraph", _DEFAULT),
        _t(_DEFAULT, RDF + "type", ox.NamedNode(SD + "Graph")),
        _t(_DEFAULT, VOID + "triples", _integer(len({q.triple for q in quads}))),
    ]
    if federated:
        triples.append(_t(_SERVICE, SD + "feature", ox.NamedNode(SD + "BasicFederatedQuery")))
    for fmt in {*formats.SOLUTIONS, *formats.GRAPH}:
        assert fmt.syntax is not None
        triples.append(_t(_SERVICE, SD + "resultFormat", ox.NamedNode(fmt.syntax.iri)))
    counts = Counter(q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode))
    for number, (graph, count) in enumerate(sorted(counts.items(), key=str)):
        triples += _named_graph(dataset, graph, count, number)
    return sorted(triples, key=str)


def _named_graph(
    dataset: ox.NamedNode, graph: ox.NamedNode, count: int, number: int
) -> list[ox.Triple]:
    """Return the description of one named graph of the default dataset."""
    node, contents = ox.BlankNode(f"named{number}"), ox.BlankNode(f"graph{number}")
    return [
        _t(dataset, SD + "namedGraph", node),
        _t(node, RDF + "type", ox.NamedNode(SD + "NamedGraph")),
        _t(node, SD + "name", graph),
        _t(node, SD + "graph", contents),
        _t(contents, RDF + "type", ox.NamedNode(SD + "Graph")),
        _t(contents, VOID + "triples", _integer(count)),
    ]


def _t(
    subject: ox.NamedNode | ox.BlankNode,
    predicate: str,
    obj: ox.NamedNode | ox.BlankNode | ox.Literal,
) -> ox.Triple:
    """Return one triple, with the predicate given as an IRI string."""
    return ox.Triple(subject, ox.NamedNode(predicate), obj)


def _integer(value: int) -> ox.Literal:
    """Return an xsd:integer literal."""
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
