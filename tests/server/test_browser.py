"""The web pages in a real browser: headless Chromium driven by Playwright.

Chromium comes from Debian (``apt-get install chromium``, done by ``.ci/run``);
Playwright only drives it, so no browser is downloaded. Every tab records the
requests it makes and the Content-Security-Policy violations it meets: the
pages must reach nothing but the server, and need nothing the policy forbids.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) =>
  window.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""
"""Run in every document: keeps the policy violations where a test can read them."""

CHART = "document.getElementById('reports-chart').aiaView?.chart"


def new_tab(context: BrowserContext) -> Page:
    """Return a tab of ``context`` that records its requests (``tab.requests``)."""
    context.add_init_script(RECORD_VIOLATIONS)
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.requests = requests  # type: ignore[attr-defined]
    return tab


def elsewhere(tab: Page, live: str) -> list[str]:
    """Return the requests ``tab`` made to any host but the server's."""
    server = urlparse(live).netloc
    requests: list[str] = tab.requests  # type: ignore[attr-defined]
    return [url for url in requests if urlparse(url).netloc != server]


def violations(tab: Page) -> list[str]:
    """Return the policy violations the current document of ``tab`` met."""
    found: list[str] = tab.evaluate("window.violations")
    return found


def reset(tab: Page, live: str, viewport: ViewportSize) -> Page:
    """Return ``tab`` as a new tab of its context would be, for the next test.

    A module reuses one tab, since a new one costs Chromium a new renderer process
    (about a second of CPU, against a tenth for a page in an open tab). What a
    test can leave behind is removed: the tab goes to a plain page of the server
    (``/health``), the context's cookies (the chosen language) and the server's
    local and session storage (the editor's saved tabs) are cleared, the viewport
    is the context's own again, and no request is recorded yet.
    """
    tab.goto(live + "health")
    tab.context.clear_cookies()
    tab.evaluate("localStorage.clear(); sessionStorage.clear()")
    tab.set_viewport_size(viewport)
    tab.requests.clear()  # type: ignore[attr-defined]
    return tab


DEFAULT_VIEWPORT: ViewportSize = {"width": 1280, "height": 720}
"""Playwright's default viewport, that of this module's tab."""


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[Page]:
    """An English-language tab, recording its requests and policy violations."""
    context = browser.new_context(locale="en-US", accept_downloads=True)
    yield new_tab(context)
    context.close()


@pytest.fixture
def page(tab: Page, live: str) -> Page:
    """The module's tab, as a new one would be (:func:`reset`)."""
    return reset(tab, live, DEFAULT_VIEWPORT)


def test_home_page_links_to_articles(page: Page, live: str) -> None:
    page.goto(live)
    assert page.locator("h1").first.inner_text().startswith("aiaccess")
    page.get_by_role(
        "link", name="Microsoft’s AI Models Stay Available in China", exact=False
    ).first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/id/article/en-azure-workaround")
    assert "Dave Andre" in page.content()


def test_resource_page_shows_evidence_quotes(page: Page, live: str) -> None:
    page.goto(live + "id/policy/azure-openai-individual-developers-end")
    text = page.locator("body").inner_text()
    assert "à compter du 21 octobre" in text
    assert "--10-21" in text


def test_names_in_the_readers_language(browser: Browser, live: str) -> None:
    context = browser.new_context(locale="he-IL", extra_http_headers={"Accept-Language": "he"})
    tab = context.new_page()
    tab.goto(live + "id/org/microsoft")
    assert tab.locator("h1").inner_text() == "מיקרוסופט"
    context.close()


def test_editor_runs_the_query_typed(page: Page, live: str) -> None:
    page.goto(live + "sparql")
    editor = page.locator(".yasgui .CodeMirror").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("SELECT (COUNT(*) AS ?articles) WHERE { ?a a aia:Article }")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".yasr table.dataTable tbody td").nth(1)).to_contain_text('"5"')
    assert violations(page) == []
    assert elsewhere(page, live) == []


def test_editor_completes_prefixes_from_the_dataset(browser: Browser, live: str) -> None:
    # The policy off, so that any request YASGUI tries would be made and recorded.
    context = browser.new_context(locale="en-US", bypass_csp=True)
    tab = new_tab(context)
    tab.goto(live + "sparql")
    tab.locator(".yasgui .CodeMirror").first.click()
    tab.keyboard.press("Control+A")
    tab.keyboard.type("SELECT * WHERE { ?s schema:")
    tab.keyboard.type("hea")  # a property: YASGUI would ask lov.linkeddata.es
    tab.keyboard.press("Control+Space")
    tab.keyboard.type("dline ?o . ?s a aia:Art")  # a class: likewise
    tab.keyboard.press("Control+Space")
    tab.wait_for_timeout(500)
    text = tab.evaluate("document.querySelector('.yasgui .CodeMirror').CodeMirror.getValue()")
    assert text.startswith(
        "PREFIX aia: <https://w3id.org/aiaccess/ontology#>\n"
        "PREFIX schema: <https://schema.org/>\n"  # not prefix.cc's http://schema.org/
    )
    assert elsewhere(tab, live) == []
    context.close()


def test_chart_draws_what_each_source_reports(page: Page, live: str) -> None:
    page.goto(live)
    page.wait_for_function(f"() => {CHART}?.data.datasets.length > 0")
    chart = page.evaluate(
        f"(() => {{ const c = {CHART}; return {{labels: c.data.labels, width: c.width,"
        " datasets: c.data.datasets.map(d => [d.label, d.data])}; })()"
    )
    datasets = dict(chart["datasets"])
    assert set(datasets) == {
        "Chinese article",
        "English article",
        "French article",
        "Hebrew article",
        "Vietnamese article",
    }
    offers = chart["labels"].index("Migration offer")
    assert (datasets["Vietnamese article"][offers], datasets["Hebrew article"][offers]) == (6, 4)
    assert chart["width"] > 300
    expect(page.locator("#reports-chart")).not_to_contain_text("could not be drawn")
    assert violations(page) == []
    assert elsewhere(page, live) == []


def test_query_form_runs_without_javascript(browser: Browser, live: str) -> None:
    context = browser.new_context(locale="en-US", accept_downloads=True, java_script_enabled=False)
    page = context.new_page()
    page.goto(live + "sparql")
    page.locator("textarea[name=query]").fill(
        "SELECT (COUNT(*) AS ?articles) WHERE { ?a a <https://w3id.org/aiaccess/ontology#Article> }"
    )
    page.locator("select[name=format]").select_option("csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="Run query").click()
    assert "/sparql?query=SELECT" in download.value.url
    path = download.value.path()
    assert path.read_bytes() == b"articles\r\n5\r\n"
    context.close()


ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
"""Where the browser tests leave their screenshots (ignored by git)."""


def shot(tab: Page, name: str) -> Path:
    """Save a full-page screenshot of ``tab`` as ``test-artifacts/<name>.png``."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=path, full_page=True)
    return path


def top(tab: Page, selector: str) -> float:
    """Return the distance from the top of the document to the first ``selector``."""
    box = tab.locator(selector).first.bounding_box()
    assert box is not None, selector
    return float(box["y"])


def test_entity_page_shows_facts_by_kind_before_mentions(page: Page, live: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live + "id/org/openai")
    groups = page.locator("#facts ~ section.group h3").all_inner_texts()
    assert [g.split(" (")[0] for g in groups] == [
        "Restrictions",
        "Relations",
        "Roles",
        "Events",
        "Claims",
    ]
    assert top(page, "h2#facts") < top(page, "h2#timeline") < top(page, "h2#mentions")
    restriction = page.locator("section.group", has_text="Restrictions").locator("li").first
    expect(restriction).to_contain_text("OpenAI blocks API access from China")
    expect(restriction.locator(".badge")).to_have_text(["en", "fr", "he", "vi", "zh"])
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 1730, height  # a tenth of the 17,300 px triple dump it replaced
    shot(page, "entity-openai")
    assert violations(page) == []
    assert elsewhere(page, live) == []


def test_entity_page_expands_a_fact_into_each_sources_words(page: Page, live: str) -> None:
    page.goto(live + "id/org/openai")
    fact = page.locator("section.group li", has_text="OpenAI blocks API access from China").first
    fact.locator("summary").click()
    hebrew = fact.locator("blockquote[lang=he]").first
    expect(hebrew).to_have_attribute("dir", "rtl")
    expect(hebrew).to_have_text("OpenAI ניתקה את קשריה עם סין החל מהשבוע")
    assert hebrew.evaluate("q => getComputedStyle(q).direction") == "rtl"
    expect(fact.locator("figcaption").first).to_be_visible()


def test_entity_mentions_are_summarised_per_article(page: Page, live: str) -> None:
    page.goto(live + "id/person/sam-altman")
    row = page.locator("table.mentions tr", has_text="Chinese commentary")
    first = row.locator("td").nth(2).locator("> a").all_inner_texts()
    assert first == sorted(first, key=int)  # offset order, not text order
    assert len(first) == len(set(first))


def test_hebrew_article_is_right_to_left_with_21vianet_evidence_linked(
    page: Page, live: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live + "id/article/he-azure-china-openai")
    text = page.locator(".article-text")
    expect(text).to_have_attribute("lang", "he")
    assert text.evaluate("t => getComputedStyle(t).direction") == "rtl"
    mark = text.locator("mark.evidence", has_text="21Vianet").first
    expect(mark).to_be_visible()
    assert "Microsoft Azure China is operated in cooperation with 21Vianet" in (
        mark.get_attribute("title") or ""
    )
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
    reference = page.locator(
        '.article-text a.fact-ref[href="/id/relation/21vianet-operates-azure-china"]'
    ).first
    expect(reference).to_be_visible()
    shot(page, "article-he")
    reference.click()
    page.wait_for_load_state()
    assert page.url.endswith("/id/relation/21vianet-operates-azure-china")
    expect(page.locator("blockquote[lang=he]").first).to_contain_text("21Vianet")
    assert violations(page) == []
    assert elsewhere(page, live) == []


def test_article_mentions_link_to_entities(page: Page, live: str) -> None:
    page.goto(live + "id/article/zh-openai-china-api-ban")
    mention = page.locator(".article-text a.mention", has_text="奥特曼").first
    expect(mention).to_have_attribute("href", "/id/person/sam-altman")
    shot(page, "article-zh")


def test_quote_links_to_its_place_in_the_article(page: Page, live: str) -> None:
    page.goto(live + "id/policy/azure-openai-individual-developers-end")
    page.locator("blockquote[lang=fr] a", has_text="à compter du 21 octobre").first.click()
    page.wait_for_load_state()
    assert "/id/article/fr-azure-openai-individual-developers#q" in page.url
    anchor = page.url.rsplit("#", 1)[1]
    mark = page.locator(f"#{anchor} + mark.evidence")
    expect(mark).to_have_attribute("title", re.compile("from 21 October"))


def test_home_page_lists_downloads_with_checksums(page: Page, live: str) -> None:
    page.goto(live)
    row = page.locator("table.downloads tr", has_text="dataset.trig")
    digest = row.locator("code.hash").inner_text()
    sums = page.request.get(live + "SHA256SUMS").text()
    assert f"{digest}  dataset.trig\n" in sums
    expect(page.locator("pre.bibtex")).to_contain_text("@misc{aiaccess")
    expect(page.get_by_role("link", name="CC BY 4.0").first).to_be_visible()
    shot(page, "home")
    assert elsewhere(page, live) == []


def test_language_switcher_changes_the_chrome_and_keeps_the_page(page: Page, live: str) -> None:
    page.goto(live + "id/org/openai")
    page.locator("nav.languages").get_by_role("link", name="עברית").click()
    page.wait_for_load_state()
    assert page.url.endswith("/id/org/openai")
    html_element = page.locator("html")
    expect(html_element).to_have_attribute("lang", "he")
    expect(html_element).to_have_attribute("dir", "rtl")
    expect(page.locator("h2#facts")).to_have_text("עובדות")
    expect(page.locator("h1 span")).to_have_attribute("lang", "he")  # its Hebrew name
    fact = page.locator("section.group li a span", has_text="OpenAI blocks API access").first
    expect(fact).to_have_attribute("lang", "en")  # a label only in English stays tagged so
    page.locator("nav.languages").get_by_role("link", name="English").click()
    page.wait_for_load_state()
    expect(html_element).to_have_attribute("lang", "en")


def test_skip_link_is_first_and_visible_when_focused(page: Page, live: str) -> None:
    page.goto(live + "id/org/openai")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; })()"
    )
    assert focused[0] == "A" and focused[1] != "none" and focused[2] != "0px", focused


@pytest.mark.parametrize(
    "path",
    [
        "",
        "id/org/openai",
        "id/article/he-azure-china-openai",
        "id/policy/openai-api-restriction-china",
        "id/role/ceo",
    ],
)
def test_headings_are_in_order(page: Page, live: str, path: str) -> None:
    page.goto(live + path)
    levels = page.evaluate(
        "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"
    )
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    assert elsewhere(page, live) == []
