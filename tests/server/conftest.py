"""Fixtures for the server tests: the app in process, and real servers on loopback ports.

Read-only fixtures are session-scoped: one in-process app and one live server
over the shipped dataset serve every test that only reads. Servers with
unusual settings (tiny limits, a short timeout) are module-scoped.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from aiaccess.server.app import create_app
from aiaccess.server.runner import running
from aiaccess.server.settings import Settings
from tests.server.helpers import InProcess, in_process

BASE_URL = "http://testserver/"


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
