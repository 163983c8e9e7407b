"""Shared fixtures: the shipped dataset (assembled and built once) and disposable copies of it.

The suite runs on every core (pytest-xdist, ``-n auto --dist loadfile``), with
one worker more than there are cores (:func:`pytest_xdist_auto_num_workers`): each
test module runs whole on one worker, so what a module starts once for its tests
(a module-scoped server with unusual limits, an external engine) starts once.
Session fixtures start once per worker that needs them. (``--dist loadgroup``
would balance finer, but pytest-xdist 3.8 cannot tag node ids under pytest 9.2.)
Modules are handed out in collection order, the longest first (``LONGEST``), so
that no long module is left to run alone at the end while the other core idles.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from aiaccess.build import build
from aiaccess.dataset import Assembled, assemble
from aiaccess.resources import Resources, default_resources

SHIPPED = default_resources()

# Keep load()'s disk cache out of the user's home: one private folder per test run,
# inherited by the xdist workers and the CLI and server processes the tests start,
# and removed when the run ends (by the process that made it).
CACHE_MADE: str | None = None
if "AIACCESS_CACHE" not in os.environ:
    CACHE_MADE = os.environ["AIACCESS_CACHE"] = tempfile.mkdtemp(prefix="aiaccess-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the run's private cache folder, if this process made it."""
    if CACHE_MADE is not None:
        shutil.rmtree(CACHE_MADE, ignore_errors=True)


LONGEST = (
    "tests/test_parity.py",  # starts Virtuoso and an Oxigraph server
    "tests/test_incremental.py",  # builds again and again
    "tests/test_readme.py",  # pip installs the package into a new environment
    "tests/server/test_serve_command.py",  # `aiaccess serve` processes
    "tests/server/test_browser.py",  # Chromium
    "tests/server/test_views_browser.py",
    "tests/server/test_safety.py",  # queries running into their time limit
    "tests/test_shapes.py",  # pySHACL on every example
    "tests/test_publish.py",
    "tests/test_validate.py",  # whole-graph pySHACL as the reference
    "tests/test_build.py",
    "tests/test_load.py",
    "tests/test_style.py",  # mypy, without its cache in a fresh clone
    "tests/server/test_access_log.py",
    "tests/server/test_pool.py",
    "tests/test_groups.py",
    "tests/test_generate.py",
)
"""The modules that take longest on one worker, longest first (each run alone, wall time)."""


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Start one worker more than there are cores.

    Many modules spend part of their time waiting rather than computing: for a
    server or engine they started to answer, for a query to reach its time
    limit, for Chromium to draw. A spare worker runs another module then, so
    both cores stay busy until the end.
    """
    return (os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move the ``LONGEST`` modules to the front, keeping the order within each module."""
    rank = {path: n for n, path in enumerate(LONGEST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(LONGEST)))


@pytest.fixture(scope="session")
def assembled() -> Assembled:
    """The shipped dataset, assembled once for read-only tests."""
    return assemble(SHIPPED)


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output of one ``aiaccess build`` of the shipped data, for read-only tests."""
    out = tmp_path_factory.mktemp("build") / "dist"
    build(out)
    return out


@pytest.fixture
def resources(tmp_path: Path) -> Resources:
    """A private copy of seeds, ontology, data and queries that a test may break."""
    root = tmp_path / "project"
    for name in ("seeds", "ontology", "data", "queries"):
        if (SHIPPED.root / name).is_dir():
            shutil.copytree(SHIPPED.root / name, root / name)
    return Resources(root)
