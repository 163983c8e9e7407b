"""``aiaccess serve`` as a user runs it: a subprocess that prints its URL and stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from aiaccess.server.settings import cores
from tests.server.helpers import SERVE, serving, wait_until_answering
from tests.server.test_clients import H2C_QUERY, exchange, h2c_post

COUNT = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
BUSY = "Error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


@contextmanager
def serve(*options: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Start ``aiaccess serve`` on a free port; yield the process and its URL once ready."""
    with serving([*SERVE, *options]) as started:
        yield started


def children(pid: int) -> list[int]:
    """Return the ids of the processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Tell whether process ``pid`` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def listening(port: int) -> int:
    """Return how many IPv4 sockets listen on ``port`` (Linux /proc/net/tcp)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(r.split()[1].endswith(f":{port:04X}") and r.split()[3] == "0A" for r in rows)


def count(url: str) -> str:
    """Return the number of statements the server holds, as CSV text."""
    headers = {"accept": "text/csv"}
    return httpx.get(url + "sparql", params={"query": COUNT}, headers=headers).text


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_and_takes_its_workers_along(stop: signal.Signals) -> None:
    with serve("--workers", "2", "--front-ends", "1") as (process, _):
        workers = children(process.pid)
        assert len(workers) == 2
        process.send_signal(stop)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0
    assert out.strip().endswith("Stopped.")
    assert (
        "protections: SERVICE refused (tokenizer screening, fails closed); "
        "network sandbox on (seccomp); run time 10 s; memory 2048 MiB per worker; "
        "queue 64 queries / 30 s; client budget 60 s per client per minute (loopback exempt); "
        "2 workers"
    ) in err
    assert not any(alive(pid) for pid in workers)


def test_store_is_created_then_reused(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with serve("--workers", "1", "--store", str(store)) as (process, url):
        first = count(url)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    assert "creating the store" in err
    assert any(store.iterdir())
    with serve("--workers", "1", "--store", str(store)) as (process, url):
        second = count(url)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    assert "creating the store" not in err
    assert first == second and first.startswith("n\r\n")


def test_base_url_is_used_in_the_descriptions() -> None:
    with serve("--workers", "1", "--base-url", "https://example.org/kg") as (process, url):
        void = httpx.get(url + "void.ttl").text
        process.send_signal(signal.SIGTERM)
    assert "<https://example.org/kg/sparql>" in void


def test_a_proxy_on_loopback_passes_on_its_clients_addresses() -> None:
    """Behind a reverse proxy on the same machine, each client has its own budget:
    uvicorn takes the client's address from ``X-Forwarded-For`` when the request
    comes from loopback (and only then)."""
    proxied = {"x-forwarded-for": "192.0.2.7"}
    with serve("--workers", "1", "--client-budget", "0.000001") as (_, url):
        asks = [url + "sparql?query=" + f"ASK {{ FILTER({n} = {n}) }}" for n in range(3)]
        first = httpx.get(asks[0], headers=proxied)
        second = httpx.get(asks[1], headers=proxied)
        direct = httpx.get(asks[2])
    assert first.status_code == 200 and direct.status_code == 200
    assert second.status_code == 429
    assert int(second.headers["retry-after"]) >= 1


def test_by_default_each_core_has_a_front_end_up_to_the_workers() -> None:
    expected = min(cores(), 2)
    command = [*SERVE, "--workers", "2", "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        wait_until_answering(line.split()[3])
        health = httpx.get(line.split()[3] + "health").json()
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    shown = "1 front end and 2" if expected == 1 else f"{expected} front ends and 2"
    assert f") with {shown} query workers; press Ctrl-C to stop" in line
    assert health["front_end"]["of"] == expected
    assert health["workers"]["configured"] == 2 // expected
    assert err.count("protections: ") == expected


def test_help_names_the_default_front_ends() -> None:
    done = subprocess.run([*SERVE, "--help"], capture_output=True, text=True, check=True)
    assert "[default: cores, at most the workers]" in " ".join(done.stdout.split())


def test_bad_base_url_is_a_usage_error() -> None:
    done = subprocess.run([*SERVE, "--base-url", "ftp://x"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "base URL must start with http:// or https://" in done.stderr


def test_busy_port_is_a_one_line_error() -> None:
    with serve("--workers", "1") as (process, url):
        port = url.rsplit(":", 1)[1].strip("/")
        done = subprocess.run([*SERVE, "--port", port], capture_output=True, text=True)
        process.send_signal(signal.SIGTERM)
    assert done.returncode == 1
    assert done.stderr == BUSY.format(port=port)


def test_option_defaults_are_the_library_defaults() -> None:
    from aiaccess.cli import serve as command
    from aiaccess.server.limits import Limits
    from aiaccess.server.settings import Settings

    defaults = {param.name: param.default for param in command.params}
    limits = Limits()
    assert defaults["front_ends"] == defaults["workers"]  # none: both follow the cores
    assert Settings().front_ends == 1  # an application made in process is one front end
    assert (
        defaults["timeout"],
        defaults["max_query_length"],
        defaults["max_body_bytes"],
        defaults["max_result_bytes"],
        defaults["queue_length"],
        defaults["queue_timeout"],
        defaults["worker_memory"] * 2**20,
        defaults["client_budget"],
    ) == (
        limits.timeout,
        limits.query_length,
        limits.body_bytes,
        limits.result_bytes,
        limits.queue_length,
        limits.queue_seconds,
        limits.worker_memory,
        limits.client_seconds,
    )


def canned_answers(url: str) -> dict[str, bytes]:
    """Return the server's answer to every canned query, by name."""
    from aiaccess.catalog import catalog
    from aiaccess.sparql import bind, bindings

    with httpx.Client(timeout=60) as client:  # one client: each new one loads the CA bundle
        return {
            name: client.post(
                url + "sparql",
                content=bind(query.text, bindings(query, {})),
                headers={"content-type": "application/sparql-query", "accept": "text/csv"},
            ).content
            for name, query in catalog().items()
        }


def hammer(url: str, stop: threading.Event, seen: list[str]) -> None:
    """Send queries, unique and repeated, until ``stop``; record how each ended."""
    n = 0
    with httpx.Client(timeout=60) as client:
        while not stop.is_set():
            n += 1
            tag = f"{threading.get_ident()}-{n}" if n % 2 else "repeated"
            query = f"SELECT (COUNT(*) AS ?n) {{ ?s a aia:Article }} # {tag}"
            try:
                response = client.get(url + "sparql", params={"query": query})
            except httpx.TransportError:
                seen.append("closed")
                continue
            seen.append(str(response.status_code))


def stop_under_load(process: subprocess.Popen[str], url: str) -> tuple[str, str, list[str]]:
    """Send SIGTERM to the server once 8 clients got 50 answers; return its output and
    error streams, and how each request ended (the clients stop when it has exited)."""
    stop, seen = threading.Event(), []
    threads = [threading.Thread(target=hammer, args=(url, stop, seen)) for _ in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(seen) < 50 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    stop.set()
    for thread in threads:
        thread.join()
    return out, err, seen


def test_sigterm_under_load_exits_cleanly_and_a_restart_answers_the_same() -> None:
    with serve("--workers", "2", "--front-ends", "1") as (process, url):
        before = canned_answers(url)
        workers = children(process.pid)
        out, _, seen = stop_under_load(process, url)
    assert process.returncode == 0 and out.strip().endswith("Stopped.")
    assert not any(alive(pid) for pid in workers)
    assert len(seen) >= 50 and set(seen) <= {"200", "503", "closed"}
    with serve("--workers", "2", "--front-ends", "1") as (process, url):
        after = canned_answers(url)
        process.send_signal(signal.SIGTERM)
    assert after == before
    assert all(answer.count(b"\r\n") > 1 for answer in after.values())


def front_ends_answering(url: str, expected: set[int], tries: int = 400) -> set[int]:
    """Return the front ends seen answering ``/health`` on new connections, trying until
    every one ``expected`` was seen (the kernel picks the front end for each)."""
    seen: set[int] = set()
    for _ in range(tries):
        body = httpx.get(url + "health", timeout=30).json()
        assert body["status"] == "ok" and body["front_end"]["of"] == 2
        seen.add(int(body["front_end"]["pid"]))
        if seen >= expected:
            break
    return seen


def test_two_front_ends_share_the_port_and_stop_together_under_load() -> None:
    budget = ("--client-budget", "0.000002")  # each front end keeps half, for one query
    with serve("--front-ends", "2", "--workers", "2", *budget) as (process, url):
        front_ends = children(process.pid)
        workers = [pid for front_end in front_ends for pid in children(front_end)]
        assert len(front_ends) == 2 and len(workers) == 2  # one query worker each
        assert front_ends_answering(url, set(front_ends)) == set(front_ends)
        port = url.rsplit(":", 1)[1].strip("/")
        assert listening(int(port)) == 2  # a socket of its own each: the kernel spreads connections
        busy = subprocess.run([*SERVE, "--port", port, "--front-ends", "2"], capture_output=True)
        assert (busy.returncode, busy.stderr) == (1, BUSY.format(port=port).encode())
        first, *rest = exchange(url, [h2c_post(url, H2C_QUERY), H2C_QUERY])  # same uvicorn setup
        proxied = {"x-forwarded-for": "192.0.2.7"}
        asks = [url + "sparql?query=" + f"ASK {{ FILTER({n} = {n}) }}" for n in range(6)]
        statuses = [httpx.get(ask, headers=proxied).status_code for ask in asks]
        assert 1 <= statuses.count(200) <= 2 and statuses.count(429) == 6 - statuses.count(200)
        assert first.endswith(b"\r\n\r\nx\r\nh2c\r\n") and len(rest) == 1
        out, err, answers = stop_under_load(process, url)
    assert process.returncode == 0 and out.strip().endswith("Stopped.")
    assert not any(alive(pid) for pid in [*front_ends, *workers])
    assert len(answers) >= 50 and set(answers) <= {"200", "503", "closed"}
    for pid in front_ends:
        assert (
            "queue 32 queries / 30 s; client budget 1e-06 s per client per minute "
            f"(loopback exempt); 1 worker; front end {pid}, one of 2 (its share above)"
        ) in err


def test_a_killed_front_end_is_replaced_and_takes_its_worker_along() -> None:
    with serve("--front-ends", "2", "--workers", "2") as (process, url):
        killed, kept = children(process.pid)
        (orphan,) = children(killed)
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while (len(children(process.pid)) < 2 or alive(orphan)) and time.monotonic() < deadline:
            time.sleep(0.05)
        front_ends = children(process.pid)
        assert kept in front_ends and killed not in front_ends and len(front_ends) == 2
        assert not alive(orphan)
        assert front_ends_answering(url, set(front_ends)) == set(front_ends)
        assert count(url).startswith("n\r\n")
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=60)
    assert process.returncode == 0 and out.strip().endswith("Stopped.")
    assert not any(alive(pid) for pid in front_ends)
