"""Fixtures for the server tests: the app in process, and real servers on loopback ports.

Read-only fixtures are session-scoped: one in-process app, one live server
over the shipped dataset and one headless Chromium serve every test that only
reads (each browser test opens its own context). Servers with unusual settings
(tiny limits, a short timeout) are module-scoped.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from aiaccess.server.app import create_app
from aiaccess.server.runner import running
from aiaccess.server.settings import Settings
from tests.server.helpers import InProcess, in_process

BASE_URL = "http://testserver/"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
"""Debian's Chromium (``apt-get install chromium``, done by ``.ci/run``): none is downloaded."""
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def client() -> Iterator[InProcess]:
    """The application over the shipped dataset, called in process (workers started)."""
    app = create_app(Settings(base_url=BASE_URL, workers=2))
    with in_process(app, BASE_URL.rstrip("/")) as caller:
        yield caller


@pytest.fixture(scope="session")
def live() -> Iterator[str]:
    """The URL of a real server over the shipped dataset, on a free loopback port."""
    with running(lambda url: create_app(Settings(base_url=url, workers=2))) as url:
        yield url


@pytest.fixture(scope="session")
def http(live: str) -> Iterator[httpx.Client]:
    """An HTTP client for the live server."""
    with httpx.Client(base_url=live, timeout=30) as session:
        yield session


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the run; fails clearly when it is not installed."""
    if not shutil.which("chromium"):
        pytest.fail("Chromium is missing: apt-get install -y chromium (as .ci/run does)")
    with sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()
