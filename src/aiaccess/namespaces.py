"""IRIs of the aiaccess namespaces and of the standard vocabularies it reuses.

Kept as plain strings so that every layer (pyoxigraph, rdflib, SPARQL text)
can use them without conversion; :func:`term` gives a vocabulary IRI's
Oxigraph node, made once.
"""

from __future__ import annotations

import functools

import pyoxigraph as ox

BASE = "https://w3id.org/aiaccess/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
AIA = BASE + "ontology#"
ONTOLOGY_IRI = BASE + "ontology"
SHAPES = BASE + "shapes#"
DATASET_IRI = ID + "dataset/aiaccess"

ONTOLOGY_GRAPH = GRAPH + "ontology"
REGISTRY_GRAPH = GRAPH + "registry"
MENTIONS_GRAPH = GRAPH + "mentions"
COMPARISON_GRAPH = GRAPH + "comparison"
TEMPORAL_GRAPH = GRAPH + "temporal"
ARTICLE_GRAPH = GRAPH + "article/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
FOAF = "http://xmlns.com/foaf/0.1/"
SH = "http://www.w3.org/ns/shacl#"
WD = "http://www.wikidata.org/entity/"
TIME = "http://www.w3.org/2006/time#"

PREFIXES: dict[str, str] = {
    "aia": AIA,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "schema": SCHEMA,
    "org": ORG,
    "prov": PROV,
    "oa": OA,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "sd": SD,
    "wd": WD,
    "time": TIME,
}
"""Prefixes used when serializing Turtle and TriG, and offered to SPARQL users."""


def article_graph(slug: str) -> str:
    """Return the named-graph IRI holding what the article ``slug`` reports.

    >>> article_graph("en-azure-workaround")
    'https://w3id.org/aiaccess/graph/article/en-azure-workaround'
    """
    return ARTICLE_GRAPH + slug


def article_iri(slug: str) -> str:
    """Return the IRI of the article ``slug`` itself.

    >>> article_iri("en-azure-workaround")
    'https://w3id.org/aiaccess/id/article/en-azure-workaround'
    """
    return ID + "article/" + slug


@functools.cache
def term(iri: str) -> ox.NamedNode:
    """Return the Oxigraph node of a vocabulary IRI (a class or property), made once.

    Oxigraph checks an IRI each time it makes a node, which costs more than the
    lookup when the build writes the same properties thousands of times. Only
    for the vocabularies' IRIs, which are few: minted IRIs are made as usual.

    >>> term(RDF + "type") is term(RDF + "type")
    True
    """
    return ox.NamedNode(iri)
