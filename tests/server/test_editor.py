"""The editor page and the query gallery, in process: what a browser gets from ``/sparql``
and ``/queries``, and what a SPARQL client keeps getting (``test_views_browser`` runs them)."""

from __future__ import annotations

import json
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest

from aiaccess.catalog import catalog, get
from aiaccess.namespaces import PREFIXES
from aiaccess.server.editor import cards, editor_href, editor_text, wants_page
from tests.server.helpers import InProcess

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ASK = "/sparql?query=ASK%7B%7D"


@pytest.fixture(scope="module")
def editor(client: InProcess) -> str:
    return client.get("/sparql", headers={"accept": BROWSER}).text


@pytest.fixture(scope="module")
def gallery(client: InProcess) -> str:
    return client.get("/queries", headers={"accept": BROWSER}).text


@pytest.mark.parametrize(
    ("accept", "names", "page"),
    [
        (BROWSER, [], True),
        ("text/html", [], True),
        ("text/html;q=0.5, application/sparql-results+json", [], False),
        ("*/*", [], False),
        (None, [], False),
        ("", [], False),
        ("application/sparql-results+json", [], False),
        ("text/html, application/sparql-results+json", [], False),
        ("text/html", ["json"], False),
        ("text/html", [" "], True),
    ],
)
def test_wants_page(accept: str | None, names: list[str], page: bool) -> None:
    assert wants_page(accept, names) is page


def test_browser_opening_a_query_url_gets_the_editor_with_the_query(client: InProcess) -> None:
    response = client.get(ASK + "&view=chart", headers={"accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Accept" in response.headers["vary"]
    assert 'data-query="ASK{}" data-view="chart" data-run="true"' in response.text


def test_sparql_client_asking_the_same_url_gets_results(client: InProcess) -> None:
    for accept in ("*/*", "application/sparql-results+json"):
        response = client.get(ASK, headers={"accept": accept})
        assert response.headers["content-type"] == "application/sparql-results+json"
        assert json.loads(response.text)["boolean"] is True


def test_format_parameter_gets_results_even_for_a_browser(client: InProcess) -> None:
    url = editor_href("SELECT (1 AS ?one) {}") + "&format=csv"
    response = client.get(url, headers={"accept": BROWSER})
    assert (response.headers["content-type"], response.text) == (
        "text/csv; charset=utf-8",
        "one\r\n1\r\n",
    )


def test_post_from_a_browser_gets_results(client: InProcess) -> None:
    response = client.request(
        "POST", "/sparql", data={"query": "ASK {}"}, headers={"accept": BROWSER}
    )
    assert response.headers["content-type"] == "application/sparql-results+xml"


def test_malformed_accept_on_a_query_url_is_a_400(client: InProcess) -> None:
    response = client.get(ASK, headers={"accept": "text/html;q=2"})
    assert response.status_code == 400


def test_unknown_view_falls_back_to_the_table(client: InProcess) -> None:
    page = client.get(ASK + "&view=%22%3E%3Cscript%3E", headers={"accept": BROWSER}).text
    assert 'data-view="table"' in page
    assert "<script>" not in page


def test_query_is_escaped_in_its_attribute(client: InProcess) -> None:
    query = 'SELECT * { ?s ?p "a\\"<b>&" }'
    page = client.get(editor_href(query), headers={"accept": BROWSER}).text
    assert 'data-query="SELECT * { ?s ?p &#34;a\\&#34;&lt;b&gt;&amp;&#34; }"' in page


def test_editor_starts_with_the_example_and_its_prefixes(editor: str) -> None:
    assert 'data-query="PREFIX aia: &lt;https://w3id.org/aiaccess/ontology#&gt;\n' in editor
    assert 'data-run="false"' in editor
    assert f'data-prefixes="{unescape_free(json.dumps(PREFIXES))}"' in editor


def test_editor_sends_queries_to_this_server(editor: str) -> None:
    assert '<div id="yasgui" data-endpoint="/sparql"' in editor


def test_editor_keeps_the_plain_form_without_javascript(editor: str) -> None:
    assert '<form method="get" action="/sparql">' in editor


def test_gallery_has_a_card_per_canned_query(gallery: str) -> None:
    for name, query in catalog().items():
        assert f'<li id="query-{name}" data-name="{name}">' in gallery
        assert f"<h2>{query.title}</h2>" in gallery
        assert f'<p class="question">{unescape_free(query.question)}</p>' in gallery


def test_gallery_card_tells_more_about_its_query(gallery: str) -> None:
    card = gallery.split('id="query-timeline"')[1].split("</li>\n  <li")[0]
    assert '<details class="description"><summary>More about it</summary>' in card
    assert f"<p>{unescape_free(get('timeline').description)}</p>" in card


def test_gallery_card_lists_the_parameters(gallery: str) -> None:
    card = gallery.split('id="query-entity-profile"')[1].split("</li>\n  <li")[0]
    assert "<code>entity</code> (iri, default <code>" in card
    assert "<code>lang</code> (language, default <code>en</code>)" in card


def test_gallery_cards_open_the_editor_with_the_query_in_its_view() -> None:
    found = {card.name: card for card in cards()}
    timeline, relationships = found["timeline"], found["relationships"]
    assert (timeline.view, relationships.view, found["migration-offers"].view) == (
        "timeline",
        "graph",
        "table",
    )
    params = parse_qs(urlparse(timeline.href).query)
    assert params["view"] == ["timeline"]
    assert params["query"] == [editor_text(get("timeline"))]


def test_editor_text_binds_the_defaults_and_drops_the_header() -> None:
    text = editor_text(get("migration-offers"))
    assert text.startswith("# What did Chinese providers offer developers leaving OpenAI")
    assert 'WHERE { VALUES (?lang) { ("en") }' in text
    assert "#+" not in text


def test_gallery_answers_405_to_a_post(client: InProcess) -> None:
    assert client.request("POST", "/queries").status_code == 405


def unescape_free(text: str) -> str:
    """Return ``text`` escaped as Jinja2 writes it in HTML (so that unescaping gives it back)."""
    escaped = (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )
    assert unescape(escaped) == text
    return escaped
