"""The web pages' HTML, assets and policy, in process (``test_browser`` runs them in Chromium)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import unescape

import pytest

from aiaccess.catalog import catalog, get
from aiaccess.namespaces import PREFIXES
from aiaccess.server import html
from aiaccess.server.app import AN_HOUR, FOREVER
from tests.server.helpers import InProcess

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')
CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def sha256_base64(text: str) -> str:
    """Return the hash of ``text`` as a CSP hash source writes it."""
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def policy(page: str) -> str:
    """Return the Content-Security-Policy a page declares."""
    found = CSP.search(page)
    assert found, "no Content-Security-Policy"
    return unescape(found[1])


@pytest.fixture(scope="module")
def sparql_page(client: InProcess) -> str:
    return client.get("/sparql", headers=BROWSER).text


@pytest.fixture(scope="module")
def home_page(client: InProcess) -> str:
    return client.get("/", headers=BROWSER).text


def test_sparql_page_offers_every_canned_query(sparql_page: str) -> None:
    for name, query in catalog().items():
        assert f'<option value="{name}" title="{query.question}"' in sparql_page


def test_canned_query_is_escaped_in_its_attribute(sparql_page: str) -> None:
    assert 'data-query="# What did Chinese providers offer' in sparql_page
    assert "PREFIX aia: &lt;https://w3id.org/aiaccess/ontology#&gt;" in sparql_page
    assert "separator=&quot;, &quot;" in sparql_page


def test_editor_text_binds_the_defaults_and_drops_the_header() -> None:
    text = html.editor_text(get("migration-offers"))
    assert text.startswith("# What did Chinese providers offer developers leaving OpenAI")
    assert 'WHERE { VALUES (?lang) { ("en") }' in text
    assert "#+" not in text


def test_editor_starts_with_the_example_and_its_prefixes(sparql_page: str) -> None:
    assert 'data-query="PREFIX aia: &lt;https://w3id.org/aiaccess/ontology#&gt;\n' in sparql_page
    assert f'data-prefixes="{json.dumps(PREFIXES).replace(chr(34), "&quot;")}"' in sparql_page


def test_editor_sends_queries_to_this_server(sparql_page: str) -> None:
    assert '<div id="yasgui" data-endpoint="/sparql"' in sparql_page


def test_sparql_page_keeps_the_plain_form_without_javascript(sparql_page: str) -> None:
    assert '<noscript><form method="get" action="/sparql">' in sparql_page


def test_canned_menu_is_hidden_until_the_script_shows_it(sparql_page: str) -> None:
    assert '<div id="canned-queries" hidden>' in sparql_page


@pytest.mark.parametrize("path", ["/", "/sparql", "/id/org/openai"])
def test_every_page_has_a_strict_policy(client: InProcess, path: str) -> None:
    declared = policy(client.get(path, headers=BROWSER).text)
    assert "default-src 'none'; script-src 'self';" in declared
    assert "connect-src 'self';" in declared
    assert "unsafe" not in declared


def test_policy_allows_yasguis_inline_style_by_its_hash() -> None:
    yasgui = (html.STATIC / "yasgui/yasgui.min.js").read_text()
    added = re.findall(r"createStyle\(\w+,`([^`]*)`\)", yasgui)
    assert len(added) == 1
    assert f"'sha256-{sha256_base64(added[0])}'" in html.CSP


def test_pages_have_no_inline_style(home_page: str, sparql_page: str) -> None:
    assert "<style" not in home_page + sparql_page


def test_page_assets_are_local_and_named_by_their_hash(sparql_page: str, home_page: str) -> None:
    urls = ASSET.findall(sparql_page) + ASSET.findall(home_page)
    assert len(urls) == 8  # site.css twice, YASGUI's script and style, 2 scripts, Chart.js, query
    assert 'src="http' not in sparql_page + home_page
    for url in urls:
        name, _, version = unescape(url).removeprefix("/static/").partition("?v=")
        assert hashlib.sha256((html.STATIC / name).read_bytes()).hexdigest().startswith(version)


def test_home_page_has_the_chart(home_page: str) -> None:
    assert '<canvas id="reports-chart" role="img" data-query="/static/reports-by-kind.rq?v=' in (
        home_page
    )
    assert 'data-endpoint="/sparql"' in home_page


def test_resource_pages_stay_without_script(client: InProcess) -> None:
    assert "<script" not in client.get("/id/org/openai", headers=BROWSER).text


def test_hashed_static_file_is_cached_for_a_year(client: InProcess) -> None:
    response = client.get(html.asset("sparql.js"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == FOREVER
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == (html.STATIC / "sparql.js").read_bytes()


def test_static_file_without_its_hash_is_cached_an_hour(client: InProcess) -> None:
    response = client.get("/static/yasgui/LICENSE")
    assert (response.status_code, response.headers["cache-control"]) == (200, AN_HOUR)
    assert "MIT" in response.text


def test_static_file_answers_304_to_its_etag(client: InProcess) -> None:
    first = client.get(html.asset("home.js"))
    again = client.get(html.asset("home.js"), headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304


def test_static_head_has_no_body(client: InProcess) -> None:
    response = client.request("HEAD", html.asset("yasgui/yasgui.min.css"))
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-length"] == str(
        (html.STATIC / "yasgui/yasgui.min.css").stat().st_size
    )


@pytest.mark.parametrize(
    "path", ["/static/nothing.js", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/"]
)
def test_static_serves_nothing_outside_its_folder(client: InProcess, path: str) -> None:
    assert client.get(path).status_code == 404


def test_static_files_are_read_only(client: InProcess) -> None:
    assert client.post(html.asset("sparql.js")).status_code == 405


@pytest.mark.parametrize("folder", ["yasgui", "chartjs"])
def test_vendored_files_match_their_version_note(folder: str) -> None:
    note = (html.STATIC / folder / "VERSION").read_text()
    sums = re.findall(r"^([0-9a-f]{64})  (\S+)$", note, re.MULTILINE)
    listed = {name: digest for digest, name in sums}
    assert listed, "the VERSION note lists no files"
    for name, digest in listed.items():
        assert hashlib.sha256((html.STATIC / folder / name).read_bytes()).hexdigest() == digest


def test_chart_query_counts_what_each_source_reports(client: InProcess) -> None:
    query = (html.STATIC / html.CHART_QUERY).read_text()
    response = client.post("/sparql", data={"query": query}, headers={"accept": "text/csv"})
    rows = {tuple(line.split(",")) for line in response.text.splitlines()[1:]}
    # The Vietnamese article lists six providers' migration offers, the Hebrew one four.
    assert {("Migration offer", "vi", "6"), ("Migration offer", "he", "4")} <= rows
    assert all(kind not in {"Article", "Quantity"} for kind, _, _ in rows)
