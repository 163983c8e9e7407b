"""Benchmark: ``aiaccess serve`` beside ``oxigraph serve-read-only`` on the same data, one run.

Both servers hold the same dataset (the packaged one, as N-Quads, with the
union of all graphs as default graph). Each is started, timed to its first
answer, measured idle (RSS of its whole process tree), loaded with three
workloads at 8 and 32 connections, and measured again after each of
``--rounds`` rounds of the same loads (the answer cache fills up to its bound
in the first round; growth over the later rounds would be a leak; the numbers
in the table are the first round's):

- ``repeated``: the canned queries of ``queries/`` in turn, POSTed as
  ``application/sparql-query`` with their default parameters bound;
- ``unique``: the same queries, each text made unique by a trailing comment,
  so no answer can come from a cache;
- ``ask``: ``ASK {}``, the cost of HTTP handling alone.

The load comes from ``wrk`` (Debian package ``wrk``) when it is installed, with
a Lua script that builds each repeated request once and counts 503s apart from
other errors for unique texts (see :data:`STATUSES`); otherwise from a small
asyncio client here (slower: it may be the bottleneck). ``wrk`` shares the two
cores with the server it loads, so every microsecond it spends is taken from
that server's answers. Nothing here asserts a speed; the issue's targets are
printed beside the ratios.

aiaccess runs with ``--front-ends 2`` and 2 query workers by default (one per
front end), as the issue's targets are judged.

Usage: python bench/bench_server.py [--seconds 5] [--rounds 4] [--connections 8 32]
                                    [--workers 2] [--front-ends 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
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
from typing import Any

from aiaccess.catalog import catalog
from aiaccess.dataset import assemble
from aiaccess.server.screening import has_dataset_clause, screen
from aiaccess.sparql import bind, bindings
from aiaccess.sparql_tokens import keywords, readings

WORKLOADS = ("repeated", "unique", "ask")
TARGETS = {"repeated": 20.0, "unique": 1.0, "ask": 0.5}
"""The issue's throughput targets, as multiples of the Oxigraph server's."""


@dataclass
class Result:
    """What one workload did to one server."""

    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = float("nan")
    p99_ms: float = float("nan")
    unavailable: int = 0
    """Answers with status 503."""
    other_errors: int = 0
    """Answers with another status than 200 or 503, and socket errors."""
    server_us: float = float("nan")
    """CPU time the server's whole process tree spent per request, in µs."""
    client_us: float = float("nan")
    """CPU time the load generator (wrk, or the asyncio client) spent per request, in µs."""
    load: float = float("nan")
    """The machine's 1-minute load average when the load ended (others share the cores)."""

    @property
    def rate(self) -> float:
        """Return requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Run:
    """Everything measured of one server."""

    name: str
    first_answer_s: float = 0.0
    memory_mb: list[tuple[float, float]] = field(default_factory=list)
    """RSS and PSS of the process tree before the load, then after each round: growth
    once the cache is full is a leak, not the cache."""
    cache_mb: list[float] = field(default_factory=list)
    """The bytes aiaccess's answer caches held at those points (from ``/health``)."""
    results: dict[tuple[str, int], Result] = field(default_factory=dict)


def canned() -> list[tuple[str, str]]:
    """Return each canned query with its defaults bound, and the media type to accept."""
    pairs = []
    for query in catalog().values():
        text = bind(query.text, bindings(query, {}))
        graph = any(k in ("CONSTRUCT", "DESCRIBE") for k in keywords(text))
        pairs.append((text, "text/turtle" if graph else "application/sparql-results+json"))
    return pairs


def workload(name: str) -> tuple[list[tuple[str, str]], bool]:
    """Return the queries of a workload, and whether each text is made unique."""
    if name == "ask":
        return [("ASK {}", "application/sparql-results+json")], False
    return canned(), name == "unique"


LUA = """
local queries = QUERIES
local unique = UNIQUE
local salt = "SALT"
local threads = {}
local built = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function post(q, body)
  return wrk.format("POST", "/sparql",
    {["Content-Type"] = "application/sparql-query", ["Accept"] = q[2]}, body)
end
function init(args)
  n = 0
  unavailable = 0
  other = 0
  if not unique then
    for i, q in ipairs(queries) do built[i] = post(q, q[1]) end
  end
end
function request()
  n = n + 1
  local i = (n + id) % #queries + 1
  if not unique then return built[i] end
  return post(queries[i], queries[i][1] .. "\\n# unique " .. salt .. "-" .. id .. "-" .. n)
end
STATUSES
function done(summary, latency, requests)
  local u, o = 0, summary.errors.status
  if unique then
    o = 0
    for _, t in ipairs(threads) do u = u + t:get("unavailable"); o = o + t:get("other") end
  end
  local e = summary.errors
  io.write(string.format("RESULT %d %d %f %f %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), u,
    o + e.connect + e.read + e.write + e.timeout))
end
"""
STATUSES = """
function response(status, headers, body)
  if status == 503 then unavailable = unavailable + 1
  elseif status ~= 200 then other = other + 1 end
end
"""
"""How the ``unique`` load tells 503s from other statuses. The other loads leave it
out: with a ``response`` function, wrk copies every answer's headers and body into
Lua (a third of its CPU per cached answer, taken from the servers' two cores), so
they count every status of 400 or more, 503 included, as an error."""


def lua_script(queries: list[tuple[str, str]], unique: bool) -> str:
    """Return the wrk script sending ``queries`` in turn (made unique if asked, with a salt
    of the script's own, so that no text repeats one of an earlier load).

    The texts are Lua strings written as JSON ones, non-ASCII characters as they
    are (UTF-8): wrk's LuaJIT reads JSON's other escapes but not ``\\u``.
    """
    pairs = (f"{{{json.dumps(q, ensure_ascii=False)}, {json.dumps(a)}}}" for q, a in queries)
    table = "{" + ", ".join(pairs) + "}"
    script = LUA.replace("QUERIES", table).replace("SALT", str(time.monotonic_ns()))
    script = script.replace("STATUSES", STATUSES if unique else "")
    return script.replace("UNIQUE", "true" if unique else "false")


def with_wrk(port: int, name: str, seconds: float, connections: int, folder: Path) -> Result:
    """Load the server on ``port`` with wrk; return what it measured."""
    script = folder / f"{name}.lua"
    script.write_text(lua_script(*workload(name)), encoding="utf-8")
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "30s"]
    done = subprocess.run(
        [*command, "-s", str(script), f"http://127.0.0.1:{port}/sparql"],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    requests, micros, p50, p99, unavailable, other = line.split()[1:]
    return Result(
        int(requests),
        int(micros) / 1e6,
        float(p50) / 1000,
        float(p99) / 1000,
        int(unavailable),
        int(other),
    )


def request_bytes(query: str, accept: str, port: int) -> bytes:
    """Return a POST of ``query`` (``application/sparql-query``)."""
    body = query.encode()
    head = (
        f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: {accept}\r\n"
        f"Content-Type: application/sparql-query\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one response (Content-Length or chunked); return its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {
        k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)
    }
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readexactly(2)
    return int(lines[0].split()[1])


async def client(
    port: int, name: str, until: float, offset: int, out: list[tuple[float, int]]
) -> None:
    """Send one workload's requests on one keep-alive connection until ``until``."""
    queries, unique = workload(name)
    salt = time.monotonic_ns()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    n = offset
    while time.perf_counter() < until:
        n += 1
        query, accept = queries[n % len(queries)]
        text = f"{query}\n# unique {salt}-{offset}-{n}" if unique else query
        start = time.perf_counter()
        writer.write(request_bytes(text, accept, port))
        status = await read_response(reader)
        out.append((time.perf_counter() - start, status))
    writer.close()


def with_python(port: int, name: str, seconds: float, connections: int, folder: Path) -> Result:
    """Load the server with the asyncio client; return what it measured."""
    out: list[tuple[float, int]] = []

    async def run() -> None:
        until = time.perf_counter() + seconds
        await asyncio.gather(*(client(port, name, until, i, out) for i in range(connections)))

    start = time.perf_counter()
    asyncio.run(run())
    ms = sorted(latency * 1000 for latency, _ in out)
    return Result(
        len(out),
        time.perf_counter() - start,
        statistics.median(ms) if ms else float("nan"),
        ms[min(len(ms) - 1, int(len(ms) * 0.99))] if ms else float("nan"),
        sum(status == 503 for _, status in out),
        sum(status not in (200, 503) for _, status in out),
    )


def free_port() -> int:
    """Return a port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def first_answer(port: int, process: subprocess.Popen[bytes], started: float) -> float:
    """Wait until the server on ``port`` answers ``ASK {}``; return seconds since ``started``."""
    probe = request_bytes("ASK {}", "application/sparql-results+json", port)
    while time.monotonic() - started < 120:
        if process.poll() is not None:
            raise SystemExit(f"server exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(probe)
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return time.monotonic() - started
        except OSError:
            time.sleep(0.005)
    raise SystemExit("server did not start")


def cache_mb(port: int) -> float:
    """Return the bytes in aiaccess's answer caches, in MB (0: a server without ``/health``).

    Each front end has its own cache and answers ``/health`` for itself; the kernel
    gives each new connection to one of them, so ask until every one has answered.
    """
    held: dict[int, float] = {}
    for _ in range(400):
        health = get_health(port)
        if health is None:
            return 0.0
        held[health["front_end"]["pid"]] = health["cache"]["bytes"] / 1e6
        if len(held) == health["front_end"]["of"]:
            break
    return sum(held.values())


def get_health(port: int) -> dict[str, Any] | None:
    """Return the server's ``/health`` JSON, or None if it has none."""
    request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request.encode())
        answer = b"".join(iter(lambda: sock.recv(65536), b""))
    head, _, body = answer.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        return None
    health: dict[str, Any] = json.loads(body)
    return health


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """Return the RSS and the PSS of ``pid`` and all its descendants, in MB (Linux /proc).

    RSS counts a page shared by several processes in each of them (forked front ends
    share the dataset and the interpreter with their parent); PSS divides it among
    them, so it adds up to what the tree holds.
    """
    sizes = [rollup(p) for p in tree(pid)]
    return sum(r for r, _ in sizes) / 1e3, sum(p for _, p in sizes) / 1e3


def tree_cpu_s(pid: int) -> float:
    """Return the CPU time (user and system) that ``pid`` and its descendants have spent,
    including descendants that have exited, in seconds (Linux /proc)."""
    ticks = 0
    for member in tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def own_cpu_s() -> float:
    """Return the CPU time of this process and of its children that have exited (wrk)."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def tree(pid: int) -> set[int]:
    """Return ``pid`` and the ids of all its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
    found, grew = {pid}, True
    while grew:
        more = {c for c, p in parents.items() if p in found} - found
        found |= more
        grew = bool(more)
    return found


def rollup(pid: int) -> tuple[int, int]:
    """Return a process's RSS and PSS in kB (0 for a process gone meanwhile)."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0, 0
    kb = {line.split(":")[0]: int(line.split()[1]) for line in lines[1:]}
    return kb.get("Rss", 0), kb.get("Pss", 0)


def oxigraph_command(folder: Path, nquads: Path, port: int) -> list[str]:
    """Load the data into an Oxigraph store; return the command serving it read-only."""
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
    location = ["--location", str(store), "--bind", f"127.0.0.1:{port}"]
    return [binary, "serve-read-only", *location, "--union-default-graph"]


def aiaccess_command(port: int, args: argparse.Namespace) -> list[str]:
    """Return the ``aiaccess serve`` command line."""
    command = [sys.executable, "-c", "from aiaccess.cli import main; main()", "serve"]
    sizes = ["--workers", str(args.workers), "--front-ends", str(args.front_ends)]
    return [*command, "--port", str(port), *sizes]


def measure(name: str, command: list[str], port: int, args: argparse.Namespace) -> Run:
    """Start a server, time its first answer, load it with every workload, stop it."""
    folder = Path(args.tmp)
    load = with_wrk if shutil.which("wrk") and not args.python_client else with_python
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run = Run(name)
    try:
        run.first_answer_s = first_answer(port, process, started)
        for work in WORKLOADS:  # one round to warm caches and connections
            load(port, work, 1.0, 8, folder)
        run.memory_mb, run.cache_mb = [tree_memory_mb(process.pid)], [cache_mb(port)]
        for _ in range(args.rounds):
            for work in WORKLOADS:
                for connections in args.connections:
                    server, client = tree_cpu_s(process.pid), own_cpu_s()
                    result = load(port, work, args.seconds, connections, folder)
                    result.server_us = (tree_cpu_s(process.pid) - server) * 1e6 / result.requests
                    result.client_us = (own_cpu_s() - client) * 1e6 / result.requests
                    result.load = os.getloadavg()[0]
                    run.results.setdefault((work, connections), result)
            run.memory_mb.append(tree_memory_mb(process.pid))
            run.cache_mb.append(cache_mb(port))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)
    return run


def report(runs: list[Run], args: argparse.Namespace) -> None:
    """Print every measurement, then aiaccess's ratios to Oxigraph beside the targets."""
    print(f"{'server':<10}{'workload':<10}{'conns':>6}{'requests':>10}{'req/s':>9}", end="")
    print(f"{'p50 ms':>9}{'p99 ms':>9}{'503s':>7}{'errors':>8}{'CPU µs/req':>12}{'load':>6}")
    for run in runs:
        for (work, connections), r in run.results.items():
            print(f"{run.name:<10}{work:<10}{connections:>6}{r.requests:>10}{r.rate:>9.0f}", end="")
            print(f"{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}{r.unavailable:>7}{r.other_errors:>8}", end="")
            print(f"{r.server_us:>7.0f} +{r.client_us:>4.0f}{r.load:>6.1f}")
    print("(CPU µs/req: the server's process tree + the load generator's, per request)")
    for run in runs:
        rss = ", ".join(f"{mb:.0f}" for mb, _ in run.memory_mb)
        pss = ", ".join(f"{mb:.0f}" for _, mb in run.memory_mb)
        print(f"{run.name}: first answer {run.first_answer_s:.2f} s")
        print(f"{run.name}: process tree (MB) before the load, then after each round:")
        print(f"{run.name}:   RSS {rss}; PSS {pss}")
        if any(run.cache_mb):
            shown = ", ".join(f"{mb:.0f}" for mb in run.cache_mb)
            net = (f"{p - c:.0f}" for (_, p), c in zip(run.memory_mb, run.cache_mb, strict=True))
            print(f"{run.name}:   answer caches {shown}; PSS less the caches {', '.join(net)}")
    oxigraph, ours = runs
    for work in WORKLOADS:
        for connections in args.connections:
            ratio = ours.results[work, connections].rate / oxigraph.results[work, connections].rate
            target = TARGETS[work]
            verdict = "meets" if ratio >= target else "misses"
            print(f"aiaccess/oxigraph {work} at {connections}: {ratio:.2f}x ({verdict} {target}x)")


def screening_ms(rounds: int = 200) -> tuple[float, float]:
    """Return the median and the largest CPU time (ms) of screening a canned query
    (SERVICE and FROM, as a worker reads each job): the median of each query's times."""
    times: list[float] = []
    for text, _ in canned():
        spent = []
        for _ in range(rounds):
            readings.cache_clear()
            start = time.process_time()
            screen(text, ())
            has_dataset_clause(text)
            spent.append((time.process_time() - start) * 1000)
        times.append(statistics.median(spent))
    return statistics.median(times), max(times)


def load_average() -> str:
    """Return the machine's load averages (1, 5, 15 minutes): others share its cores."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    """Run both servers under the same loads and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--rounds", type=int, default=4, help="rounds of every load")
    parser.add_argument("--workers", type=int, default=2, help="aiaccess's query workers")
    parser.add_argument("--front-ends", type=int, default=2, help="aiaccess's front ends")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    args = parser.parse_args()
    client_name = "wrk" if shutil.which("wrk") and not args.python_client else "asyncio client"
    print(f"{len(canned())} canned queries, {args.seconds:g} s per load, {os.cpu_count()} cores,")
    print(f"load from {client_name}; {args.rounds} rounds; aiaccess with ", end="")
    print(f"{args.workers} workers and {args.front_ends} front ends")
    print(f"load average at the start: {load_average()}")
    with tempfile.TemporaryDirectory() as tmp:
        args.tmp = tmp
        os.environ["AIACCESS_CACHE"] = str(Path(tmp) / "cache")  # a cold cache, built below
        nquads = Path(tmp) / "dataset.nq"
        nquads.write_bytes(assemble().nquads)
        port = free_port()
        runs = [measure("oxigraph", oxigraph_command(Path(tmp), nquads, port), port, args)]
        port = free_port()
        cold = time.monotonic()
        cold_process = subprocess.Popen(
            aiaccess_command(port, args),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        cold_s = first_answer(port, cold_process, cold)
        cold_process.send_signal(signal.SIGTERM)
        cold_process.wait(60)
        port = free_port()
        runs.append(measure("aiaccess", aiaccess_command(port, args), port, args))
    report(runs, args)
    print(f"aiaccess first answer with a cold cache (dataset built first): {cold_s:.2f} s")
    median, most = screening_ms()
    print(f"screening a canned query: median {median:.3f} ms, at most {most:.3f} ms (CPU)")
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
