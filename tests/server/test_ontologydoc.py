"""The ontology's documentation page, generated from the ontology and shapes files."""

from __future__ import annotations

import pytest

from aiaccess.server.ontologydoc import packaged
from tests.server.helpers import InProcess

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def page(client: InProcess) -> str:
    response = client.get("/ontology", headers=BROWSER)
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return response.text


def test_documents_every_kind_of_term() -> None:
    headings = [heading for heading, _ in packaged().sections]
    assert headings == ["Classes", "Object properties", "Datatype properties", "Concept schemes"]


def test_class_has_its_comment_and_superclasses(page: str) -> None:
    article = page.split('<section id="Article" class="term">')[1].split("</section>")[0]
    assert "<code>aia:Article</code>" in article
    assert "<dt>subclass of</dt>" in article
    assert "schema:NewsArticle" in article


def test_property_has_its_domain_and_parent_linked_to_their_sections(page: str) -> None:
    terms = {t.anchor: t for _, found in packaged().sections for t in found}
    facts = dict(terms["fromParty"].facts)
    assert facts == {
        "subproperty of": ["https://w3id.org/aiaccess/ontology#party"],
        "domain": ["https://w3id.org/aiaccess/ontology#Relationship"],
    }
    assert '<a href="/ontology#Relationship"><code>aia:Relationship</code></a>' in page


def test_concept_scheme_lists_its_concepts(page: str) -> None:
    certainty = next(
        t for _, found in packaged().sections for t in found if t.anchor == "CertaintyScheme"
    )
    assert [c.anchor for c in certainty.members] == [
        "Opinion",
        "Predicted",
        "Reported",
        "Speculated",
    ]
    assert '<section id="Reported" class="term">' in page


def test_labels_are_tagged_with_their_language(page: str) -> None:
    assert '<span lang="en" dir="auto">Article</span>' in page


def test_shapes_are_readable_with_their_messages(page: str) -> None:
    shapes = packaged().shapes
    assert len(shapes) > 30
    assert all(shape.message for shape in shapes if not shape.constraints)
    assert '<section id="shapes">' in page
    assert f'<section id="shape-{shapes[0].anchor}" class="term">' in page


def test_rdf_clients_still_get_the_ontology_description(client: InProcess) -> None:
    response = client.get("/ontology", headers={"accept": "text/turtle"})
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    assert "owl:Ontology" in response.text


def test_shapes_namespace_sends_browsers_to_the_documentation(client: InProcess) -> None:
    to_page = client.get("/shapes", headers=BROWSER, follow_redirects=False)
    to_file = client.get("/shapes", follow_redirects=False)
    assert (to_page.status_code, to_page.headers["location"]) == (303, "/ontology#shapes")
    assert (to_file.status_code, to_file.headers["location"]) == (303, "/shapes.ttl")


def test_home_page_links_to_the_ontology(client: InProcess) -> None:
    assert 'href="/ontology"' in client.get("/", headers=BROWSER).text


def test_ontology_page_answers_405_to_a_post(client: InProcess) -> None:
    assert client.request("POST", "/ontology").status_code == 405
