"""Dereferencing the dataset's IRIs: representations, suffixes, 404, HTML pages."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest
import rdflib

from aiaccess.namespaces import AIA, BASE, OA, REGISTRY_GRAPH, VOID
from aiaccess.server import html
from aiaccess.server.index import Index
from aiaccess.server.linkeddata import href
from tests.server.conftest import BASE_URL
from tests.server.helpers import InProcess

OPENAI = BASE + "id/org/openai"
ARTICLE = BASE + "id/article/en-azure-workaround"
TURTLE = {"accept": "text/turtle"}
HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def graph_of(text: str, fmt: str = "turtle") -> rdflib.Graph:
    """Parse a response body."""
    return rdflib.Graph().parse(data=text, format=fmt)


def test_entity_in_turtle_has_its_label(client: InProcess) -> None:
    response = client.get("/id/org/openai", headers=TURTLE)
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = graph_of(response.text)
    assert (rdflib.URIRef(OPENAI), rdflib.RDFS.label, rdflib.Literal("OpenAI", lang="en")) in graph


def test_description_includes_incoming_links(client: InProcess) -> None:
    graph = graph_of(client.get("/id/org/openai", headers=TURTLE).text)
    incoming = set(graph.subject_predicates(rdflib.URIRef(OPENAI)))
    assert any(str(s).startswith(BASE + "id/") and "mention" not in str(s) for s, _ in incoming)


def test_description_includes_evidence_quotes(client: InProcess) -> None:
    graph = graph_of(client.get("/id/article/en-azure-workaround", headers=TURTLE).text)
    exact = rdflib.URIRef(OA + "exact")
    quotes = {str(o) for o in graph.objects(None, exact)}
    assert "Dave Andre" in quotes


def test_response_varies_on_accept(client: InProcess) -> None:
    response = client.get("/id/org/openai", headers=TURTLE)
    assert response.headers["vary"].startswith("Accept, Accept-Language")


def test_response_links_its_alternates(client: InProcess) -> None:
    link = client.get("/id/org/openai", headers=TURTLE).headers["link"]
    assert '</id/org/openai.jsonld>; rel="alternate"; type="application/ld+json"' in link


@pytest.mark.parametrize(
    "media_type",
    [
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
        "application/trig",
        "application/n-quads",
    ],
)
def test_entity_by_accept(client: InProcess, media_type: str) -> None:
    response = client.get("/id/org/openai", headers={"accept": media_type})
    assert response.headers["content-type"] == media_type
    fmt = ox.RdfFormat.from_media_type(media_type)
    assert fmt is not None
    labels = {
        q.object
        for q in ox.parse(response.content, format=fmt)
        if q.subject == ox.NamedNode(OPENAI) and q.predicate.value.endswith("#label")
    }
    assert labels == {ox.Literal("OpenAI", language=tag) for tag in ("en", "he", "zh", "fr", "vi")}


def test_trig_keeps_the_source_graphs(client: InProcess) -> None:
    response = client.get("/id/org/openai", headers={"accept": "application/n-quads"})
    assert f"<{REGISTRY_GRAPH}> ." in response.text


@pytest.mark.parametrize(
    ("suffix", "content_type"),
    [
        (".ttl", "text/turtle; charset=utf-8"),
        (".jsonld", "application/ld+json"),
        (".nt", "application/n-triples"),
    ],
)
def test_suffix_selects_the_format(client: InProcess, suffix: str, content_type: str) -> None:
    response = client.get("/id/org/openai" + suffix, headers=HTML)
    assert (response.status_code, response.headers["content-type"]) == (200, content_type)


def test_json_ld_suffix_is_json(client: InProcess) -> None:
    assert json.loads(client.get("/id/org/openai.jsonld").text)


def test_any_type_gets_turtle(client: InProcess) -> None:
    response = client.get("/id/org/openai", headers={"accept": "*/*"})
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"


def test_unacceptable_type_is_406(client: InProcess) -> None:
    response = client.get("/id/org/openai", headers={"accept": "image/png"})
    assert response.status_code == 406


def test_unknown_iri_is_404(client: InProcess) -> None:
    response = client.get("/id/org/nobody", headers=TURTLE)
    assert (response.status_code, response.text) == (
        404,
        f"nothing is known about <{BASE}id/org/nobody>\n",
    )


def test_unknown_iri_with_suffix_is_404(client: InProcess) -> None:
    assert client.get("/id/org/nobody.ttl").status_code == 404


def test_post_to_a_resource_is_405(client: InProcess) -> None:
    response = client.post("/id/org/openai", content="x")
    assert (response.status_code, response.text) == (
        405,
        "POST is not allowed here; use GET, HEAD\n",
    )


def test_browser_gets_html_named_in_its_language(client: InProcess) -> None:
    headers = {**HTML, "accept-language": "zh-CN,zh;q=0.9"}
    response = client.get("/id/org/microsoft", headers=headers)
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>微软 · aiaccess</title>" in response.text
    assert '<html lang="zh" dir="ltr">' in response.text


def test_html_falls_back_to_english(client: InProcess) -> None:
    response = client.get("/id/org/microsoft", headers={**HTML, "accept-language": "de"})
    assert "<title>Microsoft · aiaccess</title>" in response.text


def test_html_of_other_resources_lists_statements_by_graph(client: InProcess) -> None:
    page = client.get("/id/role/ceo", headers=HTML).text
    assert '<h2 id="statements">' not in page and "<h2>Statements</h2>" in page
    assert 'href="/graph/article/zh-openai-china-api-ban"' in page


def test_html_lists_incoming_links(client: InProcess) -> None:
    page = client.get("/id/role/ceo", headers=HTML).text
    assert "<h2>Referenced by</h2>" in page
    assert 'href="/id/membership/sam-altman-openai-ceo"' in page


def test_html_has_no_script_and_no_remote_assets(client: InProcess) -> None:
    page = client.get("/id/org/openai", headers=HTML).text
    assert "<script" not in page
    assert 'src="http' not in page
    assert re.findall(r'rel="stylesheet" href="([^"]+)"', page)[0].startswith("/static/site.css?v=")


def test_ontology_document_describes_its_terms(client: InProcess) -> None:
    graph = graph_of(client.get("/ontology", headers=TURTLE).text)
    assert (rdflib.URIRef(AIA + "Article"), rdflib.RDF.type, rdflib.OWL.Class) in graph


def test_graph_iri_gives_the_graph(client: InProcess) -> None:
    graph = graph_of(client.get("/graph/registry", headers=TURTLE).text)
    assert (rdflib.URIRef(OPENAI), rdflib.RDFS.label, None) in graph


def test_graph_iri_in_html_lists_its_resources(client: InProcess) -> None:
    page = client.get("/graph/registry", headers=HTML).text
    assert 'href="/id/org/openai"' in page


def test_dataset_iri_gives_void_with_the_server_urls(client: InProcess) -> None:
    graph = graph_of(client.get("/id/dataset/aiaccess", headers=TURTLE).text)
    endpoint = rdflib.URIRef(BASE_URL + "sparql")
    assert (None, rdflib.URIRef(VOID + "sparqlEndpoint"), endpoint) in graph


def test_shapes_namespace_redirects_to_the_file(client: InProcess) -> None:
    response = client.get("/shapes")
    assert (response.status_code, response.headers["location"]) == (303, "/shapes.ttl")


def test_home_page_for_browsers(client: InProcess) -> None:
    page = client.get("/", headers=HTML).text
    assert 'href="/id/article/en-azure-workaround"' in page
    assert '<h2><span lang="en" dir="ltr">Article</span></h2>' in page


def test_home_in_turtle_is_void(client: InProcess) -> None:
    graph = graph_of(client.get("/", headers=TURTLE).text)
    assert (None, rdflib.RDF.type, rdflib.URIRef(VOID + "Dataset")) in graph


def test_href_maps_base_iris_to_local_paths() -> None:
    assert href(OPENAI) == "/id/org/openai"


def test_href_refuses_non_web_schemes() -> None:
    assert href("javascript:alert(1)") is None


def test_html_escapes_everything() -> None:
    """A literal or IRI with markup is shown as text, never as markup or a script link."""
    subject = ox.NamedNode(BASE + "id/org/evil")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    quads = [
        ox.Quad(subject, label, ox.Literal("<script>alert(1)</script>", language="en")),
        ox.Quad(subject, ox.NamedNode("urn:p"), ox.Literal('"><img src=x onerror=alert(1)>')),
        ox.Quad(subject, ox.NamedNode("urn:q"), ox.NamedNode("javascript:alert(1)")),
    ]
    site = html.Site(href, "http://testserver/sparql")
    page = html.resource(subject.value, Index(quads), site, {})
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript' not in page


def test_entity_names_carry_their_language_and_direction(client: InProcess) -> None:
    page = client.get("/id/org/microsoft", headers={"accept": "text/html"}).text
    assert '<h2 id="mentions">Mentions in the articles</h2>' in page
    assert '<span lang="he" dir="rtl">מיקרוסופט</span> <span class="meta">(he)</span>' in page
    policy = client.get(
        "/id/policy/azure-openai-individual-developers-end", headers={"accept": "text/html"}
    ).text
    assert '<blockquote lang="fr" dir="ltr">' in policy and "à compter du 21 octobre" in policy
    assert "Mentions in the articles" not in policy
