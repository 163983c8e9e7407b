"""Safe by default: runaway queries are killed, SERVICE makes no request, limits hold.

The servers here run with a short query time limit; nothing is timed: each test
waits for states (a query in progress, a worker replaced), never for durations.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pyoxigraph as ox
import pytest
from starlette.applications import Starlette

from aiaccess.server.app import create_app
from aiaccess.server.limits import Limits
from aiaccess.server.pool import WorkerPool
from aiaccess.server.runner import running
from aiaccess.server.settings import Settings
from tests.server.helpers import JSON_RESULTS, InProcess, Listener, in_process, listener

TIMEOUT = 2.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }} # {}"
"""A cross product of the dataset with itself three times; ``{}`` makes each text unique."""


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Wait until ``condition`` holds (at most a minute)."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)


@pytest.fixture(scope="module")
def guarded() -> Iterator[tuple[Starlette, str]]:
    """A live server with two workers, a short time limit and room for one waiting query."""
    limits = Limits(timeout=TIMEOUT, queue_length=1)
    app = create_app(Settings(base_url="http://127.0.0.1/", workers=2, limits=limits))
    with running(app) as url:
        yield app, url


def pool_of(app: Starlette) -> WorkerPool:
    """Return the application's worker pool."""
    pool: WorkerPool = app.state.pool
    return pool


def ask(url: str, text: str) -> httpx.Response:
    """Send one query to the live server."""
    return httpx.get(url + "sparql", params={"query": text}, timeout=60)


def test_runaway_query_is_stopped_while_others_are_answered(guarded: tuple[Starlette, str]) -> None:
    """An answer comes while the runaway runs; then the runaway is stopped at its limit.

    On a loaded machine the runaway can reach its limit before the first other
    answer is back; the scenario is then played again, at most three times, so
    the test still proves an answer given while the runaway was running.
    """
    app, url = guarded
    pool = pool_of(app)
    for attempt in range(3):
        answers, still_running, response = _runaway_beside_others(pool, url, attempt)
        if still_running:
            break
    assert [a.status_code for a in answers] == [200] * 5
    assert still_running
    assert (response.status_code, response.text) == (
        503,
        f"the query ran longer than the limit of {TIMEOUT:g} s and was stopped\n",
    )


def _runaway_beside_others(
    pool: WorkerPool, url: str, attempt: int
) -> tuple[list[httpx.Response], bool, httpx.Response]:
    """Start a runaway query, ask five others; return their answers, whether the runaway
    was still running when the first came back, and the runaway's answer."""
    wait_for(lambda: len(pool.pids) == 2 and not pool.in_progress, "a full, idle pool")
    with ThreadPoolExecutor(1) as executor:
        slow = executor.submit(ask, url, RUNAWAY.format(f"stopped {attempt}"))
        wait_for(lambda: pool.in_progress == 1, "the runaway query to start")
        answers = [ask(url, f"ASK {{ FILTER({attempt} = {attempt}) }}")]
        still_running = pool.in_progress == 1  # the first answer came while it ran
        answers += [ask(url, f"ASK {{ FILTER({n} = {n}) }} # {attempt}") for n in range(1, 5)]
        return answers, still_running, slow.result()


def test_stopped_worker_is_killed_and_replaced(guarded: tuple[Starlette, str]) -> None:
    app, url = guarded
    pool = pool_of(app)
    wait_for(lambda: len(pool.pids) == 2, "a full pool")
    before = set(pool.pids)
    assert ask(url, RUNAWAY.format("replaced")).status_code == 503
    wait_for(lambda: len(pool.pids) == 2, "the replacement worker")
    killed = before - set(pool.pids)
    assert len(killed) == 1
    with pytest.raises(ProcessLookupError):
        os.kill(killed.pop(), 0)


def test_query_past_a_full_queue_is_refused_at_once(guarded: tuple[Starlette, str]) -> None:
    app, url = guarded
    pool = pool_of(app)
    wait_for(lambda: len(pool.pids) == 2, "a full pool")
    with ThreadPoolExecutor(3) as executor:
        slow = [executor.submit(ask, url, RUNAWAY.format(f"busy {n}")) for n in range(3)]
        wait_for(lambda: pool.in_progress == 3, "two queries running and one waiting")
        refused = ask(url, "ASK { FILTER(true) }")
        answers = [s.result() for s in slow]
    assert (refused.status_code, refused.text) == (
        503,
        "too many queries are waiting (limit 1); try again shortly\n",
    )
    assert refused.headers["retry-after"] == "1"
    stopped = f"the query ran longer than the limit of {TIMEOUT:g} s and was stopped\n"
    assert [(a.status_code, a.text) for a in answers] == [(503, stopped)] * 3


def test_waiting_for_a_worker_does_not_use_the_run_time(guarded: tuple[Starlette, str]) -> None:
    """Both workers are busy for the whole time limit; the query queued behind them still runs."""
    app, url = guarded
    pool = pool_of(app)
    wait_for(lambda: len(pool.pids) == 2, "a full pool")
    with ThreadPoolExecutor(3) as executor:
        slow = [executor.submit(ask, url, RUNAWAY.format(f"ahead {n}")) for n in range(2)]
        wait_for(lambda: pool.running == 2, "two queries running")
        queued = executor.submit(ask, url, "SELECT (COUNT(*) AS ?n) { ?s a aia:Article }")
        wait_for(lambda: pool.waiting == 1, "one query waiting")
        assert [s.result().status_code for s in slow] == [503, 503]
        answer = queued.result()
    assert (answer.status_code, answer.json()["results"]["bindings"][0]["n"]["value"]) == (200, "5")


def test_idle_worker_killed_is_replaced(guarded: tuple[Starlette, str]) -> None:
    app, url = guarded
    pool = pool_of(app)
    wait_for(lambda: len(pool.pids) == 2, "a full pool")
    victim = pool.pids[0]
    os.kill(victim, signal.SIGKILL)  # as the kernel's out-of-memory killer would
    wait_for(lambda: len(pool.pids) == 2 and victim not in pool.pids, "the replacement")
    assert httpx.get(url + "health").json()["workers"]["alive"] == 2


def test_worker_killed_mid_query_is_retried_cleanly(guarded: tuple[Starlette, str]) -> None:
    app, url = guarded
    pool = pool_of(app)
    wait_for(lambda: len(pool.pids) == 2, "a full pool")
    with ThreadPoolExecutor(1) as executor:
        slow = executor.submit(ask, url, RUNAWAY.format("retried"))
        wait_for(lambda: len(pool.running_pids) == 1, "the query to start")
        first = pool.running_pids[0]
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: pool.running_pids not in ([], [first]), "the query to run again")
        response = slow.result()
    assert (response.status_code, response.text) == (
        503,
        f"the query ran longer than the limit of {TIMEOUT:g} s and was stopped\n",
    )


def test_query_whose_workers_are_killed_twice_is_a_500_never_cached(
    guarded: tuple[Starlette, str],
) -> None:
    app, url = guarded
    pool = pool_of(app)
    cache = app.state.sparql.cache
    wait_for(lambda: len(pool.pids) == 2, "a full pool")
    with ThreadPoolExecutor(1) as executor:
        slow = executor.submit(ask, url, RUNAWAY.format("crashes"))
        for _ in range(2):
            wait_for(lambda: len(pool.running_pids) == 1, "the query to run")
            victims = pool.running_pids
            os.kill(victims[0], signal.SIGKILL)
            wait_for(lambda v=victims: pool.running_pids != v, "the worker to die")
        response = slow.result()
    assert (response.status_code, response.text) == (
        500,
        "the query engine crashed on this query (killed by SIGKILL); it was not answered\n",
    )
    assert all(b"crashed" not in answer.body for answer in cache.answers())


def test_service_makes_no_outbound_connection(http: httpx.Client) -> None:
    with listener() as target:
        refused = [
            f"SELECT * {{ SERVICE <{target.url}> {{ ?s ?p ?o }} }}",
            f"PREFIX t: <{target.url}/> SELECT * {{ SERVICE SILENT t:x {{ ?s ?p ?o }} }}",
            f"SELECT * {{ FILTER(1<'>') SERVICE <{target.url}> {{ ?s ?p ?o }} FILTER('x'='x') }}",
            f"ASK {{ FILTER EXISTS {{ SERVICE <{target.url}> {{ ?s ?p ?o }} }} }}",
        ]
        statuses = [http.get("/sparql", params={"query": q}).status_code for q in refused]
        dataset = [
            ("query", f"SELECT * FROM <{target.url}> {{ ?s ?p ?o }}"),
            ("query", f"SELECT * FROM NAMED <{target.url}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
        ]
        answered = [http.get("/sparql", params=[p]).status_code for p in dataset]
        params = {"query": "ASK { ?s ?p ?o }", "default-graph-uri": target.url}
        answered.append(http.get("/sparql", params=params).status_code)
    assert statuses == [403] * 4
    assert answered == [200] * 3
    assert target.connections == []


def fail_open_queries(target: str) -> list[str]:
    """Return queries that rdflib's parser could not read, each calling ``target``.

    The screening used to let them through unchecked, leaving only the sandbox.
    """
    return [
        f"SELECT * {{ SERVICE <{target}> {{ SERVICE <{target}> {{ ?a ?b ?c }} }} }}",
        f"SELECT * {{ SERVICE <{target}> {{ ?a ?b ?c }} OPTIONAL {{ <<( ?s ?p ?o )>> ?q ?r }} }}",
        f'VERSION "1.2" SELECT * {{ SERVICE <{target}> {{ ?a ?b ?c }} }}',
    ]


def test_those_queries_reach_the_network_when_nothing_screens_them() -> None:
    """The control: run by Oxigraph directly, each query connects to the listener."""
    with listener(JSON_RESULTS) as target:
        for query in fail_open_queries(target.url):
            list(ox.Store().query(query))  # type: ignore[arg-type]
    assert len(target.connections) == 3


@pytest.fixture(scope="module")
def unsandboxed() -> Iterator[tuple[Starlette, str]]:
    """A live server whose workers keep network access, as where seccomp is missing."""
    app = create_app(Settings(base_url="http://127.0.0.1/", workers=1, sandbox=False))
    with running(app) as url:
        yield app, url


def test_screening_fails_closed_without_the_sandbox(unsandboxed: tuple[Starlette, str]) -> None:
    app, url = unsandboxed
    assert not pool_of(app).sandboxed
    with listener(JSON_RESULTS) as target:
        responses = [ask(url, query) for query in fail_open_queries(target.url)]
    refused = f"SERVICE is not allowed here (<{target.url}>): this endpoint makes no outbound "
    assert [(r.status_code, r.text) for r in responses] == [(403, refused + "requests\n")] * 3
    assert target.connections == []


def test_unreadable_query_mentioning_service_is_refused_without_the_sandbox(
    unsandboxed: tuple[Starlette, str],
) -> None:
    _, url = unsandboxed
    with listener(JSON_RESULTS) as target:
        response = ask(url, f"SELECT * {{ SERVICE <{target.url}> {{ ?s ?p ?o }} }} 'open")
    assert response.status_code == 400
    assert response.text.startswith("the query mentions SERVICE and cannot be checked")
    assert target.connections == []


def test_sandboxed_process_cannot_open_a_socket() -> None:
    with listener() as target:
        port = target.url.split(":")[2].split("/")[0]
        script = (
            "import socket\nfrom aiaccess.server.sandbox import deny_network\n"
            "assert deny_network()\n"
            f"try:\n    socket.create_connection(('127.0.0.1', {port}))\n"
            "except PermissionError:\n    print('refused')\n"
        )
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout == "refused\n"
    assert target.connections == []


@pytest.fixture(scope="module")
def federated() -> Iterator[tuple[Listener, str]]:
    """A fake remote endpoint, and a live server that allows SERVICE to it alone."""
    with listener(JSON_RESULTS) as remote:
        settings = Settings(base_url="http://127.0.0.1/", workers=1, allow_service=(remote.url,))
        with running(create_app(settings)) as url:
            yield remote, url


def test_allowed_service_is_queried(federated: tuple[Listener, str]) -> None:
    remote, url = federated
    response = httpx.get(
        url + "sparql",
        params={"query": f"SELECT ?x {{ SERVICE <{remote.url}> {{ ?x ?y ?z }} }}"},
        headers={"accept": "text/csv"},
    )
    assert (response.status_code, response.text) == (200, "x\r\nremote\r\n")
    assert len(remote.connections) == 1


def test_service_not_on_the_allowlist_is_refused(federated: tuple[Listener, str]) -> None:
    remote, url = federated
    response = ask(url, "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert (response.status_code, response.text) == (
        403,
        f"SERVICE <http://127.0.0.1:9/sparql> is not allowed; allowed endpoints: <{remote.url}>\n",
    )


def test_service_description_declares_federation(federated: tuple[Listener, str]) -> None:
    _, url = federated
    text = httpx.get(url + "sparql", headers={"accept": "application/n-triples"}).text
    assert "sparql-service-description#BasicFederatedQuery>" in text


@pytest.fixture(scope="module")
def tight() -> Iterator[InProcess]:
    """The application with tiny limits, in process."""
    limits = Limits(query_length=100, body_bytes=200, result_bytes=500)
    app = create_app(Settings(base_url="http://testserver/", workers=1, limits=limits))
    with in_process(app) as caller:
        yield caller


def test_query_over_the_length_limit_is_413(tight: InProcess) -> None:
    response = tight.get("/sparql", params={"query": "ASK {}" + " " * 95})
    assert (response.status_code, response.text) == (
        413,
        "the query is 101 characters long; the limit is 100\n",
    )


def test_body_over_the_limit_is_413(tight: InProcess) -> None:
    headers = {"content-type": "application/sparql-query"}
    response = tight.post("/sparql", content="ASK {}" + " " * 300, headers=headers)
    assert (response.status_code, response.text) == (
        413,
        "request body is larger than the limit of 200 bytes\n",
    )


def test_chunked_body_over_the_limit_is_413(tight: InProcess) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for chunk in [b"query=ASK%7B%7D"] + [b"+" * 100] * 3:
            yield chunk

    headers = {"content-type": "application/x-www-form-urlencoded"}
    response = tight.post("/sparql", content=chunks(), headers=headers)
    assert response.status_code == 413


def test_bad_content_length_is_400(tight: InProcess) -> None:
    headers = {"content-type": "application/sparql-query", "content-length": "many"}
    response = tight.post("/sparql", content=b"", headers=headers)
    assert (response.status_code, response.text) == (
        400,
        "Content-Length must be a number of bytes\n",
    )


def test_result_over_the_limit_is_400(tight: InProcess) -> None:
    response = tight.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
    assert (response.status_code, response.text) == (
        400,
        "the result is larger than 500 bytes; add a LIMIT\n",
    )


def test_deeply_nested_query_does_not_crash_a_worker(client: InProcess) -> None:
    depth = 10_000
    text = "ASK {" + "{" * depth + "}" * depth + "}"
    response = client.get("/sparql", params={"query": text})
    assert (response.status_code, response.text) == (200, '{"head":{},"boolean":true}')
