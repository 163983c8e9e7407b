"""Redraw the README's screenshots (docs/img/*.png) from a server on a free local port.

Usage: python tools/screenshots.py   (needs Chromium, /usr/bin/chromium, and the
test extras' Playwright; the Noto fonts give the Hebrew and CJK glyphs).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from aiaccess.catalog import catalog
from aiaccess.server.app import create_app
from aiaccess.server.editor import editor_href, editor_text
from aiaccess.server.runner import running
from aiaccess.server.settings import Settings

OUT = Path(__file__).parents[1] / "docs" / "img"
SIZE = {"width": 1280, "height": 860}


def home(tab: Page, url: str) -> None:
    """The home page, from the top: downloads with sizes, dates and SHA-256."""
    tab.goto(url)


def article(tab: Page, url: str) -> None:
    """The Hebrew article's text, right to left, with its evidence highlighted."""
    tab.goto(url + "id/article/he-azure-china-openai#text")


def timeline(tab: Page, url: str) -> None:
    """The timeline query in the editor's timeline view."""
    tab.goto(url.rstrip("/") + editor_href(editor_text(catalog()["timeline"]), "timeline"))
    tab.wait_for_selector(".vis-timeline", timeout=30_000)


SHOTS = {"home": home, "article-he": article, "timeline": timeline}


def main() -> None:
    """Draw every screenshot."""
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with (
        running(lambda url: create_app(Settings(base_url=url, workers=1))) as url,
        sync_playwright() as driver,
    ):
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for name, show in SHOTS.items():
            tab = browser.new_page(viewport=SIZE, locale="en-US")
            show(tab, url)
            tab.wait_for_timeout(800)
            tab.screenshot(path=OUT / f"{name}.png")
            print(OUT / f"{name}.png")
            tab.close()
        browser.close()


if __name__ == "__main__":
    main()
