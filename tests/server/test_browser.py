"""The web pages in a real browser: headless Chromium driven by Playwright.

Chromium comes from Debian (``apt-get install chromium``, done by ``.ci/run``);
Playwright only drives it, so no browser is downloaded. Every tab records the
requests it makes and the Content-Security-Policy violations it meets: the
pages must reach nothing but the server, and need nothing the policy forbids.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module; fails clearly when it is not installed."""
    if not shutil.which("chromium"):
        pytest.fail("Chromium is missing: apt-get install -y chromium (as .ci/run does)")
    with sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


RECORD_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) =>
  window.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""
"""Run in every document: keeps the policy violations where a test can read them."""

CHART = "Chart.getChart(document.getElementById('reports-chart'))"


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


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh English-language tab, recording its requests and policy violations."""
    context = browser.new_context(locale="en-US", accept_downloads=True)
    yield new_tab(context)
    context.close()


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


def test_editor_runs_a_canned_query(page: Page, live: str) -> None:
    page.goto(live + "sparql")
    expect(page.locator(".yasgui .CodeMirror")).to_be_visible()
    page.get_by_label("Canned queries").select_option(label="Migration offers")
    expect(page.locator("#question")).to_have_text(
        "What did Chinese providers offer developers leaving OpenAI, how many free tokens, "
        "ranked, and which source says what?"
    )
    zhipu = page.locator(".yasr table.dataTable tbody tr", has_text="Zhipu AI")
    expect(zhipu).to_contain_text("150000000")
    expect(page.get_by_role("tab", name="Migration offers")).to_have_attribute(
        "aria-selected", "true"
    )
    assert violations(page) == []
    assert elsewhere(page, live) == []


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
    expect(page.locator("#chart-status")).to_have_text("")
    assert violations(page) == []
    assert elsewhere(page, live) == []


def test_query_form_runs_without_javascript(browser: Browser, live: str) -> None:
    context = browser.new_context(locale="en-US", accept_downloads=True, java_script_enabled=False)
    page = context.new_page()
    page.goto(live + "sparql")
    expect(page.get_by_label("Canned queries")).to_be_hidden()
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
