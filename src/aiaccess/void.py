"""The VoID + DCAT description of the dataset: graphs, counts, sources, files.

Built from the statistics of the assembled parts (counted when each part was
serialized), so its counts cannot drift from the data.
"""

from __future__ import annotations

import pyoxigraph as ox

from aiaccess.dataset import Assembled
from aiaccess.evidence import Source
from aiaccess.namespaces import (
    BASE,
    DATASET_IRI,
    DCAT,
    DCTERMS,
    FOAF,
    ID,
    OA,
    ORG,
    PROV,
    RDF,
    SCHEMA,
    SD,
    SKOS,
    VOID,
    XSD,
)

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
TITLE = "aiaccess: access to American AI services in China, 2024"
DESCRIPTION = (
    "A knowledge graph of how access to American AI services in China was cut, rerouted "
    "and restricted in 2024, mapped from five news articles in Hebrew, English, Chinese, "
    "French and Vietnamese, with every fact backed by a verbatim quote."
)

DISTRIBUTIONS: dict[str, str] = {
    "dataset.trig": "application/trig",
    "dataset.nq": "application/n-quads",
    "dataset.ttl": "text/turtle",
    "dataset.jsonld": "application/ld+json",
    "ontology.ttl": "text/turtle",
    "shapes.ttl": "text/turtle",
}
"""The files ``aiaccess build`` writes, with their media types."""

_VOCABULARIES = (SCHEMA, ORG, PROV, SKOS, OA, DCAT, VOID, DCTERMS)


def describe(data: Assembled, base: str = BASE) -> list[ox.Triple]:
    """Return the VoID/DCAT triples describing ``data``, with URLs under ``base``.

    :param base: where the dataset is published; the server passes its own URL.
    """
    dataset = ox.NamedNode(DATASET_IRI)
    counts = data.graph_counts()
    triples = _head(dataset, base, sum(counts.values()), data.entities)
    sources = {source.graph.value: source for source in data.sources}
    for graph, count in sorted(counts.items()):
        triples += _subset(dataset, graph, count, sources.get(graph))
    for name, media_type in DISTRIBUTIONS.items():
        triples += _distribution(dataset, base, name, media_type)
    return sorted(set(triples), key=str)


def _head(dataset: ox.NamedNode, base: str, triples: int, entities: int) -> list[ox.Triple]:
    """Return the dataset-level triples."""
    values: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (RDF + "type", ox.NamedNode(VOID + "Dataset")),
        (RDF + "type", ox.NamedNode(DCAT + "Dataset")),
        (DCTERMS + "title", ox.Literal(TITLE, language="en")),
        (DCTERMS + "description", ox.Literal(DESCRIPTION, language="en")),
        (DCTERMS + "license", ox.NamedNode(LICENSE)),
        (VOID + "triples", _integer(triples)),
        (VOID + "entities", _integer(entities)),
        (VOID + "uriSpace", ox.Literal(ID)),
        (VOID + "sparqlEndpoint", ox.NamedNode(base + "sparql")),
        (DCAT + "landingPage", ox.NamedNode(base)),
        (FOAF + "homepage", ox.NamedNode(base)),
    ]
    values += [(VOID + "vocabulary", ox.NamedNode(v)) for v in _VOCABULARIES]
    values += [
        (DCAT + "keyword", ox.Literal(k, language="en"))
        for k in ("OpenAI", "Azure OpenAI", "China", "AI policy", "access restriction")
    ]
    return [ox.Triple(dataset, ox.NamedNode(p), o) for p, o in values]


def _subset(
    dataset: ox.NamedNode, graph: str, count: int, source: Source | None
) -> list[ox.Triple]:
    """Return the description of one named graph as a VoID subset."""
    node = ox.NamedNode(graph)
    triples = [
        ox.Triple(dataset, ox.NamedNode(VOID + "subset"), node),
        ox.Triple(node, ox.NamedNode(RDF + "type"), ox.NamedNode(VOID + "Dataset")),
        ox.Triple(node, ox.NamedNode(RDF + "type"), ox.NamedNode(SD + "NamedGraph")),
        ox.Triple(node, ox.NamedNode(SD + "name"), node),
        ox.Triple(node, ox.NamedNode(VOID + "triples"), _integer(count)),
    ]
    if source is not None:
        triples.append(ox.Triple(node, ox.NamedNode(DCTERMS + "source"), source.iri))
        triples.append(ox.Triple(dataset, ox.NamedNode(DCTERMS + "source"), source.iri))
        triples.append(
            ox.Triple(node, ox.NamedNode(DCTERMS + "language"), ox.Literal(source.language))
        )
    return triples


def _distribution(dataset: ox.NamedNode, base: str, name: str, media_type: str) -> list[ox.Triple]:
    """Return one downloadable file as a DCAT distribution and a VoID data dump."""
    url = ox.NamedNode(base + name)
    node = ox.NamedNode(DATASET_IRI + "/distribution/" + name.replace(".", "-"))
    return [
        ox.Triple(dataset, ox.NamedNode(DCAT + "distribution"), node),
        ox.Triple(node, ox.NamedNode(RDF + "type"), ox.NamedNode(DCAT + "Distribution")),
        ox.Triple(node, ox.NamedNode(DCAT + "downloadURL"), url),
        ox.Triple(
            node,
            ox.NamedNode(DCAT + "mediaType"),
            ox.NamedNode("https://www.iana.org/assignments/media-types/" + media_type),
        ),
        ox.Triple(node, ox.NamedNode(DCTERMS + "license"), ox.NamedNode(LICENSE)),
        ox.Triple(node, ox.NamedNode(DCTERMS + "title"), ox.Literal(name)),
        ox.Triple(dataset, ox.NamedNode(VOID + "dataDump"), url),
    ]


def _integer(value: int) -> ox.Literal:
    """Return an xsd:integer literal."""
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
