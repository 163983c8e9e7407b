"""The worker pool under stress: it heals, queues, shares identical queries, caps memory.

Nothing here is timed: each test waits for states (a worker starting, a pool
full again), never for durations.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from aiaccess.server.app import create_app
from aiaccess.server.limits import Limits
from aiaccess.server.pool import WORKER_COMMAND, WorkerPool
from aiaccess.server.runner import running
from aiaccess.server.settings import Settings
from tests.server.helpers import InProcess, in_process
from tests.server.test_safety import wait_for

STOPS_AT_START = [
    sys.executable,
    "-c",
    "import os, runpy, signal; os.kill(os.getpid(), signal.SIGSTOP); "
    "runpy.run_module('aiaccess.server.worker', run_name='__main__', alter_sys=True)",
]
"""A worker that stops itself (SIGSTOP) before it loads anything: a start caught mid-way."""


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Starlette, str]]:
    """A live server of its own with two workers, which these tests may break and mend."""
    app = create_app(Settings(base_url="http://127.0.0.1/", workers=2))
    with running(app) as url:
        yield app, url


def pool_of(app: Starlette) -> WorkerPool:
    """Return the application's worker pool."""
    pool: WorkerPool = app.state.pool
    return pool


def stopped(pid: int) -> bool:
    """Tell whether process ``pid`` is stopped (Linux /proc)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T"
    except OSError:
        return False


def health(url: str) -> httpx.Response:
    """Return the server's ``/health`` response."""
    return httpx.get(url + "health", timeout=30)


def test_pool_returns_to_full_size_after_two_starts_are_killed(
    served: tuple[Starlette, str], caplog: pytest.LogCaptureFixture
) -> None:
    app, url = served
    pool = pool_of(app)
    wait_for(lambda: len(pool.pids) == 2, "a full pool")
    pool.command = STOPS_AT_START
    for pid in pool.pids:
        os.kill(pid, signal.SIGKILL)
    wait_for(lambda: not pool.pids, "every worker gone")
    down = health(url)
    killed = []
    while len(killed) < 2:
        wait_for(lambda: any(stopped(p) and p not in killed for p in pool.starting), "a start")
        victim = next(p for p in pool.starting if stopped(p) and p not in killed)
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)
    pool.command = list(WORKER_COMMAND)

    def resumed() -> bool:
        for pid in pool.starting:
            if stopped(pid) and pid not in killed:
                os.kill(pid, signal.SIGCONT)
        return len(pool.pids) == 2

    wait_for(resumed, "the pool full again")
    up = health(url)
    assert (down.status_code, down.json()["status"], down.json()["workers"]["alive"]) == (
        503,
        "unavailable",
        0,
    )
    assert (up.status_code, up.json()["workers"]["alive"], up.json()["workers"]["configured"]) == (
        200,
        2,
        2,
    )
    retries = [r.getMessage() for r in caplog.records if "could not replace" in r.getMessage()]
    assert len(retries) >= 2
    assert "trying again in" in retries[0]


def test_health_reports_workers_queue_cache_and_uptime(served: tuple[Starlette, str]) -> None:
    app, url = served
    wait_for(lambda: len(pool_of(app).pids) == 2, "a full pool")
    for _ in range(2):
        httpx.get(url + "sparql", params={"query": "ASK { FILTER(2 > 1) }"})
    body = health(url).json()
    assert body["status"] == "ok"
    assert body["workers"]["alive"] == 2 and body["workers"]["sandboxed"] is True
    assert body["queries"] == {"running": 0, "waiting": 0}
    assert body["cache"]["entries"] >= 1 and body["cache"]["hits"] >= 1
    assert 0 < body["cache"]["hit_rate"] <= 1 and body["uptime_seconds"] > 0
    assert body["front_end"] == {"pid": os.getpid(), "of": 1}


def test_32_unique_queries_at_once_on_a_cold_cache_get_no_503(
    served: tuple[Starlette, str],
) -> None:
    app, url = served
    wait_for(lambda: len(pool_of(app).pids) == 2, "a full pool")
    texts = [f"SELECT (COUNT(*) AS ?n) {{ ?s a aia:Article }} # unique {n}" for n in range(32)]
    with ThreadPoolExecutor(32) as executor:
        responses = list(
            executor.map(
                lambda q: httpx.get(
                    url + "sparql", params={"query": q}, headers={"accept": "text/csv"}, timeout=60
                ),
                texts,
            )
        )
    assert [(r.status_code, r.text) for r in responses] == [(200, "n\r\n5\r\n")] * 32


def test_32_identical_queries_at_once_are_computed_once(served: tuple[Starlette, str]) -> None:
    app, url = served
    pool = pool_of(app)
    wait_for(lambda: len(pool.pids) == 2, "a full pool")
    before = pool.jobs
    text = "SELECT (COUNT(*) AS ?n) { ?s a aia:Article } # shared"
    with ThreadPoolExecutor(32) as executor:
        responses = list(
            executor.map(
                lambda _: httpx.get(
                    url + "sparql",
                    params={"query": text},
                    headers={"accept": "text/csv"},
                    timeout=60,
                ),
                range(32),
            )
        )
    assert [(r.status_code, r.text) for r in responses] == [(200, "n\r\n5\r\n")] * 32
    assert pool.jobs - before == 1


@pytest.fixture(scope="module")
def capped() -> Iterator[tuple[Starlette, str]]:
    """A live server whose two workers may each use 1600 MiB of address space."""
    limits = Limits(timeout=120, worker_memory=1600 * 2**20)
    app = create_app(Settings(base_url="http://127.0.0.1/", workers=2, limits=limits))
    with running(app) as url:
        yield app, url


def test_query_past_the_memory_limit_fails_alone_and_is_not_cached(
    capped: tuple[Starlette, str],
) -> None:
    app, url = capped
    pool = pool_of(app)
    hungry = "SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d LIMIT 1"
    with ThreadPoolExecutor(1) as executor:
        big = executor.submit(httpx.get, url + "sparql", params={"query": hungry}, timeout=120)
        wait_for(lambda: pool.running == 1, "the hungry query to start")
        small = httpx.get(url + "sparql", params={"query": "ASK { ?s a aia:Article }"})
        answer = big.result()
    assert (small.status_code, small.json()["boolean"]) == (200, True)
    assert (answer.status_code, answer.text) == (
        503,
        "the query needed more memory than the limit of 1600 MiB per query worker "
        "(killed by SIGABRT); it was stopped\n",
    )
    assert all(b"memory" not in a.body for a in app.state.sparql.cache.answers())
    wait_for(lambda: len(pool.pids) == 2, "the pool full again")


@pytest.fixture(scope="module")
def budgeted() -> Iterator[InProcess]:
    """The application with a budget of a microsecond per minute, called from 192.0.2.7."""
    limits = Limits(client_seconds=1e-6)
    app = create_app(Settings(base_url="http://testserver/", workers=1, limits=limits))
    with in_process(app, client=("192.0.2.7", 5000)) as caller:
        yield caller


def test_client_past_its_budget_gets_429_but_cached_answers(budgeted: InProcess) -> None:
    first = budgeted.get("/sparql", params={"query": "ASK { FILTER(1 = 1) }"})
    second = budgeted.get("/sparql", params={"query": "ASK { FILTER(2 = 2) }"})
    again = budgeted.get("/sparql", params={"query": "ASK { FILTER(1 = 1) }"})
    assert first.status_code == 200 and again.status_code == 200
    assert second.status_code == 429
    assert second.text.startswith("this client used its 1e-06 s of query time per minute")
    assert int(second.headers["retry-after"]) >= 1


def test_loopback_clients_have_no_budget() -> None:
    from aiaccess.server.fairness import Budgets

    budgets = Budgets(1e-6)
    budgets.charge("127.0.0.1", 100)
    budgets.charge("::1", 100)
    budgets.check("127.0.0.1")
    budgets.check("::1")


def test_workers_do_not_import_rdflib() -> None:
    script = "import sys, aiaccess.server.worker; print('rdflib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout == "False\n"
