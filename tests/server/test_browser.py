"""The web pages in a real browser: headless Chromium driven by Playwright.

Chromium comes from Debian (``apt-get install chromium``, done by ``.ci/run``);
Playwright only drives it, so no browser is downloaded.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

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


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh English-language tab."""
    context = browser.new_context(locale="en-US", accept_downloads=True)
    yield context.new_page()
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


def test_query_form_runs_a_query(page: Page, live: str) -> None:
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
