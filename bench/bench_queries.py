"""Benchmark: median latency of every canned query, in-process through the library.

Not a test: run it by hand and read the numbers.

    .venv/bin/python bench/bench_queries.py [--repeat N]

It times ``aiaccess.load()`` (the rdflib Dataset over Oxigraph, imports
excluded) from the warm cache, then for information without the cache (the
dataset assembled from the seeds and Turtle files, as on a first run), then each
canned query run with its defaults through :func:`aiaccess.sparql.run_query` on
one store, rows materialized as Python values. Targets: every query under 5 ms,
``load()`` under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import rdflib  # noqa: F401  (imported up front so that load() is timed without imports)

from aiaccess.catalog import catalog
from aiaccess.load import CACHE_ENV, load, store
from aiaccess.sparql import run_query

QUERY_TARGET_MS = 5.0
LOAD_TARGET_MS = 100.0


def median_ms(action: Callable[[], object], repeat: int) -> float:
    """Return the median wall time of ``action`` in milliseconds, after one warm-up run."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def cold_load_ms(repeat: int) -> float:
    """Return the median time of ``load()`` with the cache turned off."""
    saved = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = ""
    try:
        return median_ms(load, repeat)
    finally:
        if saved is None:
            del os.environ[CACHE_ENV]
        else:
            os.environ[CACHE_ENV] = saved


def report(name: str, ms: float, target: float, rows: str = "") -> str:
    """Return one line of the report."""
    verdict = "ok" if ms < target else "SLOW"
    return f"{name:<28} {ms:8.2f} ms  {rows:>9}  (target < {target:g} ms: {verdict})"


def main() -> int:
    """Print the benchmark; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per item")
    repeat = parser.parse_args().repeat
    lines = [report("load()", median_ms(load, max(5, repeat // 5)), LOAD_TARGET_MS)]
    missed = not lines[0].endswith("ok)")
    lines.append(f"{'load() without the cache':<28} {cold_load_ms(max(5, repeat // 5)):8.2f} ms")
    shared = store()
    for name in catalog():
        rows = len(run_query(name, store=shared).rows)
        ms = median_ms(lambda n=name: run_query(n, store=shared).rows, repeat)
        lines.append(report(name, ms, QUERY_TARGET_MS, f"{rows} rows"))
        missed = missed or ms >= QUERY_TARGET_MS
    print("\n".join(lines))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
