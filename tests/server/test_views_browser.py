"""The editor, its result views and the query gallery in a real browser (Chromium via Playwright).

Each test saves a screenshot of what it checked under ``build/screenshots/``
(or ``$AIACCESS_SCREENSHOTS``): look at them when a view changes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from aiaccess.catalog import catalog
from aiaccess.server import html
from aiaccess.server.editor import editor_href, editor_text, with_prefixes
from tests.server import test_browser as chromium

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(os.environ.get("AIACCESS_SCREENSHOTS", "build/screenshots"))

RESTRICTION = "/id/policy/openai-api-restriction-china"
"""The page of OpenAI's restriction of its API in China (2024-07-09)."""
VIEW = "document.querySelector('.aia-view')?.aiaView"
"""What the drawn view keeps for inspection: its kind, and its items, edges or chart."""


VIEWPORT: ViewportSize = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[Page]:
    """An English-language tab, 1280 px wide, recording requests and policy violations."""
    context = browser.new_context(locale="en-US", viewport=VIEWPORT)
    yield chromium.new_tab(context)
    context.close()


@pytest.fixture
def page(tab: Page, live: str) -> Page:
    """The module's tab, as a new one would be (see ``test_browser.reset``)."""
    return chromium.reset(tab, live, VIEWPORT)


def shot(page: Page, name: str, full_page: bool = True) -> None:
    """Save a screenshot of ``page`` (all of it, or the viewport) as ``name``.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=full_page)


def clean(page: Page, live: str) -> None:
    """Assert the page needed nothing from another host and nothing its policy forbids."""
    assert chromium.elsewhere(page, live) == []
    assert chromium.violations(page) == []


def canned(name: str) -> str:
    """Return the editor's address for the canned query ``name`` (as the gallery links it)."""
    return editor_href(editor_text(catalog()[name]))


def inspect(page: Page, script: str) -> Any:
    """Return what ``script`` (an expression over the drawn view, ``view``) evaluates to."""
    return page.evaluate(f"(() => {{ const view = {VIEW}; return {script}; }})()")


def test_timeline_query_opens_in_the_timeline_view(page: Page, live: str) -> None:
    card = next(c for c in _cards() if c["name"] == "timeline")
    page.goto(live.rstrip("/") + card["href"])
    page.wait_for_function(f"() => {VIEW}?.kind === 'timeline'")
    items = inspect(
        page,
        "view.items.map(i => [i.content.getAttribute('href'), i.start, i.type, i.className])",
    )
    restriction = [i[1:] for i in items if i[0] == RESTRICTION]
    assert restriction == [["2024-07-09", "point", "aia-stated"]]
    drawn = page.locator(f'.aia-timeline .vis-item a[href="{RESTRICTION}"]')
    expect(drawn).to_be_visible()
    expect(page.locator(".yasr_btn.select_timeline")).to_have_class(re_selected())
    # A year as stated spans the year.
    assert ["2022-01-01", "range", "aia-stated"] in [i[1:] for i in items]
    # A date stated without a year is listed apart, or drawn as derived bounds.
    ended = "/id/policy/azure-openai-individual-developers-end"
    placed = [i[3] for i in items if i[0] == ended]
    if placed:
        assert placed == ["aia-derived"]
    else:
        expect(page.locator(".aia-unplaced")).to_contain_text("--10-21")
    # The address bar follows the view chosen.
    page.locator(".yasr_btn.select_table").click()
    page.wait_for_function("() => !location.search.includes('view=')")
    page.locator(".yasr_btn.select_timeline").click()
    page.wait_for_function("() => location.search.endsWith('&view=timeline')")
    # Shown again, the timeline is drawn at once, not blank until vis-timeline's size check.
    expect(page.locator(f'.aia-timeline .vis-item a[href="{RESTRICTION}"]')).to_be_visible()
    shot(page, "timeline-view")
    clean(page, live)


def test_timeline_view_draws_derived_bounds_as_ranges(page: Page, live: str) -> None:
    query = (
        "SELECT ?fact ?label ?earliest ?latest ?status WHERE { VALUES (?fact ?label ?earliest "
        '?latest ?status) { (<https://w3id.org/aiaccess/id/policy/x> "exact" "2024-07-09" '
        '"2024-07-09" "stated") (<https://w3id.org/aiaccess/id/policy/y> "bounded" "2024-01-01" '
        '"2024-12-31" "derived") (<https://w3id.org/aiaccess/id/policy/z> "open" UNDEF '
        '"2024-10-21" "derived") } }'
    )
    page.goto(f"{live}sparql?query={quote(query)}&view=timeline")
    page.wait_for_function(f"() => {VIEW}?.kind === 'timeline'")
    items = inspect(page, "view.items.map(i => [i.start, i.end ?? null, i.type, i.className])")
    assert items == [
        ["2024-07-09", None, "point", "aia-stated"],
        ["2024-01-01", "2025-01-01", "range", "aia-derived"],
        ["2024-10-21", None, "point", "aia-derived"],
    ]
    expect(page.locator(".aia-timeline .vis-item.aia-derived", has_text="≤ open")).to_be_visible()
    expect(page.locator(".aia-timeline .vis-item.vis-range.aia-derived")).to_be_visible()
    shot(page, "timeline-derived")
    clean(page, live)


def test_relationships_query_opens_in_the_graph_view(page: Page, live: str) -> None:
    page.goto(live.rstrip("/") + canned_with_view("relationships", "graph"))
    page.wait_for_function(f"() => {VIEW}?.kind === 'graph'")
    edges = inspect(
        page,
        "view.cy.edges().map(e => [e.source().data('name'), e.target().data('name'),"
        " e.data('kind'), e.data('colour')])",
    )
    microsoft_openai = {
        (a, b, kind) for a, b, kind, _ in edges if {a, b} == {"Microsoft", "OpenAI"}
    }
    assert {
        ("Microsoft", "OpenAI", "Investment"),
        ("OpenAI", "Microsoft", "Revenue share"),
        ("Microsoft", "OpenAI", "Revenue share"),
        ("Microsoft", "OpenAI", "Partnership"),
        ("Microsoft", "OpenAI", "Operating arrangement"),
    } <= microsoft_openai
    # Edges are coloured by their source: the Hebrew and English articles differ.
    colours = {(a, b, kind): colour for a, b, kind, colour in edges}
    assert (
        colours["Microsoft", "OpenAI", "Revenue share"]
        != colours["OpenAI", "Microsoft", "Revenue share"]
    )
    legend = page.locator(".aia-legend")
    expect(legend).to_contain_text("Hebrew article")
    expect(legend).to_contain_text("English article")
    names = inspect(page, "view.cy.nodes().map(n => n.data('name')).sort()")
    assert names == [
        "21Vianet",
        "Central Intelligence Agency",
        "In-Q-Tel",
        "Meta Platforms",
        "Microsoft",
        "OpenAI",
    ]
    inside = (
        "view.cy.nodes().every(n => { const p = n.renderedPosition();"
        " return p.x > 0 && p.y > 0 && p.x < view.cy.width() && p.y < view.cy.height(); })"
    )
    assert inspect(page, inside)
    shot(page, "graph-view")
    clean(page, live)


HEBREW = "Hebrew article"


@pytest.mark.parametrize(
    ("name", "edge"),
    [
        ("access-restrictions", ["OpenAI", "China", "restricts access in", "Chinese article"]),
        ("continued-access-routes", ["21Vianet", "Azure OpenAI Service", "operates", HEBREW]),
        ("people-and-roles", ["Joe Tsai", "Alibaba Group", "chairman", "Vietnamese article"]),
    ],
)
def test_graph_view_of_other_queries(page: Page, live: str, name: str, edge: list[str]) -> None:
    page.goto(live.rstrip("/") + canned_with_view(name, "graph"))
    page.wait_for_function(f"() => {VIEW}?.kind === 'graph'")
    edges = inspect(page, "view.edges.map(e => [e.from, e.to, e.kind, e.source.name])")
    assert edge in edges
    clean(page, live)


def test_chart_view_stacks_what_each_source_reports(page: Page, live: str) -> None:
    query = (html.STATIC / html.CHART_QUERY).read_text(encoding="utf-8")
    page.goto(live.rstrip("/") + editor_href(query, "chart"))
    page.wait_for_function(f"() => {VIEW}?.kind === 'chart'")
    labels, datasets = inspect(
        page, "[view.chart.data.labels, view.chart.data.datasets.map(d => [d.label, d.data])]"
    )
    by_language = dict(datasets)
    assert sorted(by_language) == [
        "Chinese article",
        "English article",
        "French article",
        "Hebrew article",
        "Vietnamese article",
    ]
    offers = labels.index("Migration offer")
    assert (by_language["Vietnamese article"][offers], by_language["Hebrew article"][offers]) == (
        6,
        4,
    )
    shot(page, "chart-view")
    clean(page, live)


def test_gallery_card_runs_its_query(page: Page, live: str) -> None:
    page.goto(live + "queries")
    page.get_by_label("Filter the queries").fill("free tokens")
    cards = page.locator("#gallery > li:visible")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("What did Chinese providers offer developers leaving")
    shot(page, "gallery")
    # Arrow keys in the list of queries scroll; they open nothing.
    cards.first.get_by_role("link").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.url == live + "queries"
    cards.first.get_by_role("link").click()
    zhipu = page.locator(".yasr table.dataTable tbody tr", has_text="Zhipu AI")
    expect(zhipu).to_contain_text("150000000")
    assert "/sparql?query=" in page.url and "free_tokens" in page.url
    shot(page, "gallery-card-results")
    clean(page, live)


def test_sparql_url_opened_in_the_browser_shows_results(page: Page, live: str) -> None:
    query = (
        "SELECT (COUNT(*) AS ?articles) WHERE { ?a a <https://w3id.org/aiaccess/ontology#Article> }"
    )
    response = page.goto(f"{live}sparql?query={quote(query)}")
    assert response is not None and response.headers["content-type"].startswith("text/html")
    expect(page.locator(".yasr table.dataTable tbody td").nth(1)).to_contain_text('"5"')
    shot(page, "sparql-url")
    clean(page, live)


def test_address_bar_follows_the_query_and_a_reload_keeps_it(page: Page, live: str) -> None:
    page.goto(live + "sparql")
    page.locator(".yasgui .CodeMirror").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("SELECT (COUNT(*) AS ?people) WHERE { ?p a schema:Person }")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".yasr table.dataTable tbody td").nth(1)).to_be_visible()
    assert "SELECT+%28COUNT%28*%29+AS+%3Fpeople%29" in page.url
    count = page.locator(".yasr table.dataTable tbody td").nth(1).inner_text()
    page.reload()
    expect(page.locator(".yasr table.dataTable tbody td").nth(1)).to_have_text(count)
    clean(page, live)


def test_result_iris_link_to_this_servers_pages(page: Page, live: str) -> None:
    page.goto(live.rstrip("/") + canned("relationships"))
    link = page.locator(
        ".yasr table.dataTable a.iri", has_text="id:relation/microsoft-investment-in-openai"
    ).first
    expect(link).to_have_attribute("href", "/id/relation/microsoft-investment-in-openai")
    assert link.get_attribute("target") != "_blank"
    # A truncated cell shows its whole text at the first click (YASR's "Ellipse" switch).
    link.locator("xpath=ancestor::div[contains(@class, 'expandable')]").click()
    link.click()
    page.wait_for_url("**/id/relation/microsoft-investment-in-openai")
    assert urlparse(page.url).netloc == urlparse(live).netloc


def test_tab_leaves_the_editor(page: Page, live: str) -> None:
    page.goto(live + "sparql")
    editor = page.locator(".yasgui .CodeMirror").first
    editor.click()
    before = page.evaluate("document.querySelector('.yasgui .CodeMirror').CodeMirror.getValue()")
    page.keyboard.press("Tab")
    after = page.evaluate("document.querySelector('.yasgui .CodeMirror').CodeMirror.getValue()")
    assert after == before
    field = "document.querySelector('.yasgui .CodeMirror').CodeMirror.getInputField()"
    assert page.evaluate(f"document.activeElement !== {field}")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(f"document.activeElement === {field}")


def test_syntax_error_wraps_instead_of_widening_the_page(page: Page, live: str) -> None:
    page.goto(live + "sparql")
    page.locator(".yasgui .CodeMirror").first.click()
    page.keyboard.press("Control+A")
    # Pasted, not typed key by key: the editor gets the same text (810 keystrokes took 16 s).
    page.keyboard.insert_text("SELECT * WHERE { ?s ?p ?o " + "FILTER(?o = 'a-long-line') " * 30)
    page.keyboard.press("Control+Enter")
    expect(page.locator(".yasr .errorResult")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280
    shot(page, "syntax-error")


def canned_with_view(name: str, view: str) -> str:
    """Return the editor's address for the canned query ``name`` in ``view``."""
    return editor_href(editor_text(catalog()[name]), view)


def re_selected() -> Any:
    """Return the pattern of a selected YASR view button's class."""
    import re

    return re.compile(r"\bselected\b")


def _cards() -> list[dict[str, str]]:
    """Return the gallery's cards as name and link."""
    from aiaccess.server.editor import cards

    return [{"name": c.name, "href": c.href} for c in cards()]


def test_ontology_page_is_documentation(page: Page, live: str) -> None:
    page.goto(live + "ontology")
    expect(page.locator("h1")).to_have_text("aiaccess ontology")
    page.get_by_role("link", name="aia:Relationship").first.click()
    expect(page.locator("#Relationship")).to_be_in_viewport()
    shot(page, "ontology", full_page=False)
    clean(page, live)


def test_a_page_draws_a_view_from_its_query(page: Page, live: str) -> None:
    page.goto(live + "queries")
    for script in ("vis-timeline/vis-timeline-graph2d.min.js", "views.js"):
        page.add_script_tag(url=html.asset(script))
    query = (
        "SELECT ?fact ?label ?date WHERE { GRAPH ?g { ?fact rdfs:label ?label ; "
        "schema:startDate ?date } FILTER(STR(?date) = '2024-07-09') }"
    )
    page.evaluate(
        """query => { const root = document.createElement("div");
        root.dataset.aiaView = "timeline"; root.dataset.query = query;
        document.querySelector("main").prepend(root); return AiaViews.show(root); }""",
        with_prefixes(query),
    )
    labels = inspect(page, "view.items.map(i => i.content.textContent)")
    assert "OpenAI restricts API access from China" in labels  # en states 2024-07-09
    clean(page, live)


def test_home_pages_query_link_opens_the_editor_with_results(page: Page, live: str) -> None:
    page.goto(live)
    page.get_by_role("link", name="open it in the editor").click()
    page.wait_for_url("**/sparql?query=*")
    expect(page.locator(".yasgui .CodeMirror").first).to_contain_text("inLanguage")
    expect(page.locator(".yasr .yasr_response_chip")).to_contain_text("results")
    clean(page, live)


def test_everything_as_a_graph(page: Page, live: str) -> None:
    page.goto(live + "queries")
    page.locator("#network").click()
    page.wait_for_function(f"() => {VIEW}?.kind === 'graph'")
    edges = inspect(page, "view.edges.map(e => [e.from, e.to, e.kind, e.source.name, e.directed])")
    assert ["OpenAI", "China", "restricts access in", "Chinese article", True] in edges
    assert ["Zhipu AI", "OpenAI", "migration offer answering", "Vietnamese article", True] in edges
    assert ["Paul Nakasone", "OpenAI", "member of", "Chinese article", True] in edges
    assert ["Microsoft", "OpenAI", "Investment", "English article", True] in edges
    shot(page, "graph-everything")
    # ``void``: the tapped collection is not sent back (serializing it took 19 s).
    page.evaluate(f"void {VIEW}.cy.nodes().filter(n => n.data('name') === 'OpenAI').emit('tap')")
    page.wait_for_url("**/id/org/openai")
    clean(page, live)
