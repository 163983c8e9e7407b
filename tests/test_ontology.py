"""The ontology: every term labelled and explained, versioned and licensed."""

from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from aiaccess.namespaces import AIA
from tests.conftest import SHIPPED

ONTOLOGY = rdflib.Graph().parse(SHIPPED.ontology, format="turtle")
TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    SKOS.Concept,
    SKOS.ConceptScheme,
    rdflib.URIRef(AIA + "Audience"),
)


def terms() -> set[rdflib.URIRef]:
    """Every aia: term the ontology declares."""
    return {
        s
        for t in TERM_TYPES
        for s in ONTOLOGY.subjects(RDF.type, t)
        if isinstance(s, rdflib.URIRef) and str(s).startswith(AIA)
    }


def test_every_term_has_an_english_label_and_comment() -> None:
    assert len(terms()) > 60
    for term in terms():
        labels = [o for o in ONTOLOGY.objects(term, RDFS.label) if o.language == "en"]
        comments = [o for o in ONTOLOGY.objects(term, RDFS.comment) if o.language == "en"]
        assert labels and comments, term


def test_ontology_has_version_and_licence() -> None:
    ontology = rdflib.URIRef("https://w3id.org/aiaccess/ontology")
    assert ONTOLOGY.value(ontology, OWL.versionInfo) == rdflib.Literal("1.0.0")
    assert ONTOLOGY.value(ontology, rdflib.URIRef("http://purl.org/dc/terms/license")) == (
        rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")
    )


def test_classes_reuse_standard_vocabularies() -> None:
    parents = {str(o) for o in ONTOLOGY.objects(None, RDFS.subClassOf)}
    for expected in (
        "https://schema.org/NewsArticle",
        "http://www.w3.org/ns/org#Membership",
        "http://www.w3.org/ns/oa#Annotation",
        "http://www.w3.org/ns/prov#Agent",
        "http://www.w3.org/2004/02/skos/core#Concept",
    ):
        assert expected in parents


def test_every_aia_term_used_in_the_data_is_declared() -> None:
    declared = {str(t) for t in terms()}
    for path in [SHIPPED.registry, *SHIPPED.article_files()]:
        graph = rdflib.Graph().parse(path, format="turtle")
        used = {str(x) for triple in graph for x in triple if str(x).startswith(AIA)}
        assert used <= declared, (path.name, used - declared)
