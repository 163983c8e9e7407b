"""Benchmark: ``aiaccess serve`` against ``oxigraph serve-read-only`` on the canned queries.

Both servers hold the same dataset (the packaged one, as N-Quads, with the
union of all graphs as default graph) and run in the same run on this machine.
One load client (below: asyncio, keep-alive connections, raw HTTP/1.1) sends
the same mix, the ``queries/*.rq`` files in turn, to each for the same time,
and the script prints throughput, p50 and p99 latency, errors, and the ratios.

Usage: python bench/bench_server.py [--seconds 10] [--connections 8] [--workers 2]

This is not a test: nothing here asserts a speed. The targets (issue 4) are at
least half the Oxigraph server's throughput, p99 under 10 ms and no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from aiaccess.build import canonical_nquads
from aiaccess.dataset import assemble
from aiaccess.resources import default_resources
from aiaccess.sparql_tokens import keywords

FALLBACK = [
    "SELECT ?article ?headline WHERE { GRAPH ?g { ?article a "
    "<https://w3id.org/aiaccess/ontology#Article> ; <https://schema.org/headline> ?headline } }",
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 50",
    "SELECT ?type (COUNT(*) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)",
]
"""Queries used when ``queries/`` holds none."""


@dataclass
class Tally:
    """What one server did under load."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def row(self, name: str) -> str:
        """Return one line of the report."""
        ms = sorted(x * 1000 for x in self.latencies)
        p50 = statistics.median(ms) if ms else float("nan")
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))] if ms else float("nan")
        rate = len(ms) / self.seconds if self.seconds else 0.0
        return f"{name:<28}{len(ms):>9}{rate:>12.0f}{p50:>10.2f}{p99:>10.2f}{self.errors:>8}"

    @property
    def rate(self) -> float:
        """Return requests per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def mix(only: str | None = None) -> list[str]:
    """Return the canned queries with their default parameters bound, or the fallback ones.

    Parameters are bound as the library binds them for a remote endpoint (a
    ``VALUES`` clause); without that library the files' texts are sent as they are.
    """
    folder = default_resources().queries
    paths = sorted(folder.glob(f"{only or '*'}.rq")) if folder.is_dir() else []
    if not paths:
        return FALLBACK
    try:
        from aiaccess.catalog import read
        from aiaccess.sparql import bind, bindings
    except ImportError:
        return [p.read_text() for p in paths]
    return [bind(q.text, bindings(q, {})) for q in map(read, paths)]


def request_bytes(query: str, host: str) -> bytes:
    """Return a POST of ``query`` (``application/sparql-query``), asking for JSON or Turtle.

    POST, not GET: the longest canned queries, percent-encoded, make request
    lines longer than the Oxigraph server accepts: it closes the connection.
    """
    graph = next(
        (k for k in keywords(query) if k in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), ""
    )
    accept = (
        "text/turtle" if graph in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
    )
    body = query.encode()
    head = (
        f"POST /sparql HTTP/1.1\r\nHost: {host}\r\nAccept: {accept}\r\n"
        f"Content-Type: application/sparql-query\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one response (Content-Length or chunked); return its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {
        k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)
    }
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def connection(
    port: int, requests: list[bytes], until: float, tally: Tally, offset: int
) -> None:
    """Send requests on one keep-alive connection until ``until``, recording each latency."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    n = offset
    while time.perf_counter() < until:
        start = time.perf_counter()
        writer.write(requests[n % len(requests)])
        status = await read_response(reader)
        tally.latencies.append(time.perf_counter() - start)
        if status != 200:
            tally.errors += 1
        n += 1
    writer.close()
    await writer.wait_closed()


async def load(port: int, queries: list[str], seconds: float, connections: int) -> Tally:
    """Run the mix against the server on ``port``; return what it did."""
    requests = [request_bytes(q, f"127.0.0.1:{port}") for q in queries]
    tally = Tally()
    start = time.perf_counter()
    until = start + seconds
    await asyncio.gather(*(connection(port, requests, until, tally, i) for i in range(connections)))
    tally.seconds = time.perf_counter() - start
    return tally


def free_port() -> int:
    """Return a port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    """Wait until the server on ``port`` answers a query."""
    probe = request_bytes("ASK {}", f"127.0.0.1:{port}")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(probe)
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def start_oxigraph(folder: Path, nquads: Path, port: int) -> subprocess.Popen[bytes]:
    """Load the data into an Oxigraph store and serve it read-only."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    if binary is None:
        raise SystemExit("the oxigraph command is missing: pip install oxigraph")
    store = folder / "oxigraph"
    subprocess.run(
        [binary, "load", "--location", str(store), "--file", str(nquads)],
        check=True,
        capture_output=True,
    )
    command = [
        binary,
        "serve-read-only",
        "--location",
        str(store),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_aiaccess(port: int, workers: int) -> subprocess.Popen[bytes]:
    """Start ``aiaccess serve``."""
    command = [sys.executable, "-c", "from aiaccess.cli import main; main()", "serve"]
    options = ["--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(
        [*command, *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def measure(
    name: str, process: subprocess.Popen[bytes], port: int, args: argparse.Namespace
) -> Tally:
    """Warm the server up with the mix, then load it for the configured time."""
    try:
        wait_ready(port, process)
        queries = mix(args.only)
        asyncio.run(load(port, queries, 1.0, args.connections))
        return asyncio.run(load(port, queries, args.seconds, args.connections))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)


def main() -> None:
    """Run both servers under the same load and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", metavar="NAME", help="run one canned query (file name, no .rq)")
    args = parser.parse_args()
    queries = mix(args.only)
    print(
        f"{len(queries)} queries, {args.connections} connections, {args.seconds:g} s each,", end=" "
    )
    print(f"{os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        nquads = folder / "dataset.nq"
        nquads.write_bytes(canonical_nquads(assemble().quads))
        port = free_port()
        oxigraph = measure("oxigraph", start_oxigraph(folder, nquads, port), port, args)
        port = free_port()
        ours = measure("aiaccess", start_aiaccess(port, args.workers), port, args)
    print(f"{'server':<28}{'requests':>9}{'req/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    print(oxigraph.row("oxigraph serve-read-only"))
    print(ours.row("aiaccess serve"))
    print(f"throughput ratio aiaccess/oxigraph: {ours.rate / oxigraph.rate:.2f}")


if __name__ == "__main__":
    main()
