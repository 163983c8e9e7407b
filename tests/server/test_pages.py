"""The web pages' HTML, assets and policy, in process (``test_browser`` runs them in Chromium)."""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape

import pytest
from markupsafe import escape

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
    # site.css twice; YASGUI, vis-timeline and views style sheets; YASGUI, vis-timeline,
    # Cytoscape.js, Chart.js twice, views.js twice, sparql.js; views.css again, page-views.js.
    assert len(urls) == 15
    assert 'src="http' not in sparql_page + home_page
    for url in urls:
        name, _, version = unescape(url).removeprefix("/static/").partition("?v=")
        assert hashlib.sha256((html.STATIC / name).read_bytes()).hexdigest().startswith(version)


def test_home_page_has_the_chart(home_page: str) -> None:
    query = escape((html.STATIC / html.CHART_QUERY).read_text(encoding="utf-8"))
    assert (
        f'<div id="reports-chart" class="chart-view" data-aia-view="chart" data-query="{query}"'
        in (home_page)
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
    first = client.get(html.asset("views.js"))
    again = client.get(html.asset("views.js"), headers={"if-none-match": first.headers["etag"]})
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
