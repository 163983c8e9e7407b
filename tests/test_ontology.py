"""The ontology: every term labelled and explained, versioned and licensed."""

from __future__ import annotations

import re

import pytest
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


LANGUAGES = ("he", "en", "zh", "fr", "vi")
"""The languages of the five source articles: every term is labelled in each."""
SCRIPTS = {"he": "\u0590-\u05ff", "zh": "\u4e00-\u9fff"}
"""Labels in these languages must be written in their own script."""


def labels(term: rdflib.URIRef, predicate: rdflib.URIRef) -> dict[str, list[str]]:
    """Return a term's labels by language tag."""
    found: dict[str, list[str]] = {}
    for label in ONTOLOGY.objects(term, predicate):
        assert isinstance(label, rdflib.Literal) and label.language, (term, label)
        found.setdefault(label.language, []).append(str(label))
    return found


@pytest.mark.parametrize("term", sorted(terms()), ids=lambda t: t.removeprefix(AIA))
def test_every_term_has_one_label_in_each_source_language(term: rdflib.URIRef) -> None:
    predicates = [RDFS.label]
    if (term, RDF.type, SKOS.ConceptScheme) in ONTOLOGY or (term, SKOS.inScheme, None) in ONTOLOGY:
        predicates.append(SKOS.prefLabel)
    for predicate in predicates:
        found = labels(term, predicate)
        missing = [language for language in LANGUAGES if language not in found]
        assert not missing, (
            f"{term} needs a {predicate.n3()} in {', '.join(missing)}: every term is labelled in "
            f"the five languages of the sources ({', '.join(LANGUAGES)}), in their own script"
        )
        assert sorted(found) == sorted(LANGUAGES), (predicate, found)
        assert all(len(values) == 1 for values in found.values()), (predicate, found)
        for language, script in SCRIPTS.items():
            assert re.search(f"[{script}]", found[language][0]), (predicate, found[language])
    if SKOS.prefLabel in predicates:
        assert labels(term, SKOS.prefLabel) == labels(term, RDFS.label)


def test_translated_labels_read_as_their_language() -> None:
    audience = labels(rdflib.URIRef(AIA + "EnterpriseCustomers"), SKOS.prefLabel)
    assert audience == {
        "en": ["enterprise customers"],
        "he": ["לקוחות ארגוניים"],
        "zh": ["企业客户"],
        "fr": ["clients professionnels"],
        "vi": ["khách hàng doanh nghiệp"],
    }
    assert labels(rdflib.URIRef(AIA + "AccessRestriction"), RDFS.label)["zh"] == ["访问限制"]


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
