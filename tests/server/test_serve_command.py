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

from tests.server.helpers import SERVE, serving

COUNT = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"


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


def count(url: str) -> str:
    """Return the number of statements the server holds, as CSV text."""
    headers = {"accept": "text/csv"}
    return httpx.get(url + "sparql", params={"query": COUNT}, headers=headers).text


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_and_takes_its_workers_along(stop: signal.Signals) -> None:
    with serve("--workers", "2") as (process, _):
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
    assert done.stderr == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_option_defaults_are_the_library_defaults() -> None:
    from aiaccess.cli import serve as command
    from aiaccess.server.limits import Limits

    defaults = {param.name: param.default for param in command.params}
    limits = Limits()
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

    return {
        name: httpx.post(
            url + "sparql",
            content=bind(query.text, bindings(query, {})),
            headers={"content-type": "application/sparql-query", "accept": "text/csv"},
            timeout=60,
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


def test_sigterm_under_load_exits_cleanly_and_a_restart_answers_the_same() -> None:
    with serve("--workers", "2") as (process, url):
        before = canned_answers(url)
        workers = children(process.pid)
        stop, seen = threading.Event(), []
        threads = [threading.Thread(target=hammer, args=(url, stop, seen)) for _ in range(8)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(seen) < 50 and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=60)
        stop.set()
        for thread in threads:
            thread.join()
    assert process.returncode == 0 and out.strip().endswith("Stopped.")
    assert not any(alive(pid) for pid in workers)
    assert len(seen) >= 50 and set(seen) <= {"200", "503", "closed"}
    with serve("--workers", "2") as (process, url):
        after = canned_answers(url)
        process.send_signal(signal.SIGTERM)
    assert after == before
    assert all(answer.count(b"\r\n") > 1 for answer in after.values())
