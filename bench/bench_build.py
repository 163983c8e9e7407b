"""Benchmark: build and validate at growing corpus sizes; writes bench/RESULTS.md and a plot.

Not a test: run it by hand, one command.

    .venv/bin/python bench/bench_build.py [--sizes 10 100 1000] [--reference-timeout 600]

For each size N it generates a synthetic corpus (``bench/generate.py``), then
runs each measured command in a fresh process with an empty memo (so nothing
is recalled from an earlier run) and reads its wall time, CPU time (user +
system, worker processes included) and peak memory (largest process):

* ``aiaccess --root CORPUS build`` (assembles, validates once, writes dist/);
* ``aiaccess --root CORPUS validate`` (cold memo);
* the build again after editing one article's label (warm memo: one article
  and one validation unit are computed again);
* pySHACL alone on the union of all graphs, the reference the fast path is
  proven equal to (``aiaccess.validate.reference``), while it finishes within
  ``--reference-timeout`` seconds.

It then fits the growth exponent of each column (slope of log time over log N)
and writes the tables, the machine and its load, and ``bench/results.png``
(log-log) into ``bench/RESULTS.md``. matplotlib is needed (``pip install
'.[bench]'``). Numbers are from this one run.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
AIACCESS = str(Path(sys.executable).with_name("aiaccess"))
TARGETS = {
    "shipped build": "< 1.5 s wall",
    "shipped validate": "< 1 s wall",
    "1,000 build": "< 30 s wall",
    "10,000 build": "< 5 min wall, < 2 GB",
    "rebuild after one edit at 1,000": "< 2 s wall",
    "growth exponent": "<= 1.1",
}
REFERENCE = """
import sys
from pathlib import Path
from aiaccess.dataset import assemble
from aiaccess.resources import Resources
from aiaccess.validate import reference
res = Resources(Path(sys.argv[1]))
print(len(reference(assemble(res), res)))
"""


@dataclass(frozen=True)
class Run:
    """One measured command: wall and CPU seconds, peak memory in MB, or a timeout."""

    wall: float
    cpu: float
    peak_mb: float
    finished: bool = True


def measure(command: list[str], memo: Path, timeout: float | None = None) -> Run:
    """Run ``command`` with its own memo folder; return its wall time, CPU and peak memory."""
    env = {**os.environ, "AIACCESS_CACHE": str(memo)}
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = None if timeout is None else start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.perf_counter() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            return Run(time.perf_counter() - start, math.nan, math.nan, finished=False)
        time.sleep(0.05)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def edit_one_article(corpus: Path) -> None:
    """Change one article's English label, as an editor would."""
    path = sorted((corpus / "data" / "articles").glob("*.ttl"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Synthetic article ", "Synthetic article (edited) ", 1))


def triples_in(dist: Path) -> int:
    """Return the number of quads the build wrote."""
    with (dist / "dataset.nq").open("rb") as lines:
        return sum(1 for _ in lines)


def bench_size(
    count: int, work: Path, reference_timeout: float, shipped: bool
) -> dict[str, Run | int]:
    """Measure one corpus size (or the shipped data)."""
    corpus = work / f"corpus-{count}"
    if shipped:
        corpus = Path(__file__).resolve().parents[1]
    else:
        subprocess.run(
            [sys.executable, str(BENCH / "generate.py"), str(count), str(corpus)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    root = ["--root", str(corpus)]
    memo = work / f"memo-{count}"
    shutil.rmtree(memo, ignore_errors=True)
    build = measure([AIACCESS, *root, "build", "--out", str(work / "dist")], memo)
    result: dict[str, Run | int] = {"build": build, "triples": triples_in(work / "dist")}
    result["validate"] = measure([AIACCESS, *root, "validate"], work / f"memo-v-{count}")
    if not shipped:
        edit_one_article(corpus)
        result["rebuild"] = measure([AIACCESS, *root, "build", "--out", str(work / "dist")], memo)
    if reference_timeout > 0:
        result["pyshacl"] = measure(
            [sys.executable, "-c", REFERENCE, str(corpus)], work / "memo-ref", reference_timeout
        )
    return result


def reference_budget(results: dict[str, dict[str, Run | int]], count: int, limit: float) -> float:
    """Return the time pySHACL gets at ``count`` articles: none if it cannot finish in time.

    pySHACL's time grows at least linearly; if the last size's time, scaled
    linearly to ``count``, is over the limit, it is not run (the table says so).
    """
    for name, result in reversed(results.items()):
        run = result.get("pyshacl")
        if name.isdigit() and isinstance(run, Run):
            if not run.finished or run.wall * count / int(name) > limit:
                return 0.0
            break
    return limit


def exponent(sizes: list[int], times: list[float]) -> float:
    """Return the least-squares slope of log(time) over log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def machine() -> str:
    """Describe the machine and its load."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{os.cpu_count()} cores ({model}), {int(memory) / 1024 / 1024:.0f} GB memory, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )


def cell(run: Run | int | None, kind: str = "wall") -> str:
    """Return one table cell."""
    if not isinstance(run, Run):
        return "not run (projected past the time limit)" if kind == "reference" else "–"
    if not run.finished:
        return f"> {run.wall:.0f} s (stopped)"
    kind = "wall" if kind == "reference" else kind
    return {"wall": f"{run.wall:.2f} s", "cpu": f"{run.cpu:.2f} s", "mb": f"{run.peak_mb:.0f} MB"}[
        kind
    ]


def report(results: dict[str, dict[str, Run | int]], loads: tuple[str, str]) -> str:
    """Return RESULTS.md."""
    rows = [
        "| articles | quads | build wall | build CPU | build peak | quads/s | validate wall "
        "| validate CPU | rebuild after 1 edit | pySHACL alone (union) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        build, triples = r["build"], r["triples"]
        assert isinstance(build, Run) and isinstance(triples, int)
        rows.append(
            f"| {name} | {triples:,} | {cell(build)} | {cell(build, 'cpu')} | {cell(build, 'mb')} "
            f"| {triples / build.wall:,.0f} | {cell(r['validate'])} | {cell(r['validate'], 'cpu')} "
            f"| {cell(r.get('rebuild'))} | {cell(r.get('pyshacl'), 'reference')} |"
        )
    sizes = [int(n) for n in results if n.isdigit()]
    fits = []
    for column in ("build", "validate"):
        times = [results[str(n)][column] for n in sizes]
        walls = [t.wall for t in times if isinstance(t, Run)]
        if len(walls) >= 2:
            fits.append(f"- {column}: wall time grows as N^{exponent(sizes, walls):.2f}")
    return "\n".join(
        [
            "# Build and validation benchmark",
            "",
            "Written by `bench/bench_build.py` (one command, one run). Corpora from "
            "`bench/generate.py`; each command in a fresh process with an empty memo, "
            "except the rebuild, which follows the build with one article's label edited.",
            "",
            f"Machine: {machine()}. Load average (1, 5, 15 min) at start: {loads[0]}; "
            f"at end: {loads[1]}. The machine is shared with other work, so wall times "
            "include waiting for the CPU; CPU times are the more stable measure.",
            "",
            *rows,
            "",
            "Fitted growth exponents (least squares on log time over log N):",
            "",
            *fits,
            "",
            "![log-log plot of wall time against articles](results.png)",
            "",
            "## Targets",
            "",
            *[f"- {name}: {target}" for name, target in TARGETS.items()],
            "",
        ]
    )


def plot(results: dict[str, dict[str, Run | int]], out: Path) -> None:
    """Draw wall times against N on log-log axes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [n for n in results if n.isdigit()]
    figure, axes = plt.subplots(figsize=(6, 4))
    for column, label in (
        ("build", "aiaccess build"),
        ("validate", "aiaccess validate"),
        ("rebuild", "rebuild after 1 edit"),
        ("pyshacl", "pySHACL alone"),
    ):
        points = [
            (int(n), run.wall)
            for n in sizes
            if isinstance(run := results[n].get(column), Run) and run.finished
        ]
        if points:
            axes.plot(*zip(*points, strict=True), marker="o", label=label)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("articles")
    axes.set_ylabel("wall time (s)")
    axes.legend()
    axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(out, dpi=100)


def main() -> int:
    """Run the benchmark and write bench/RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--reference-timeout", type=float, default=600.0)
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    options = parser.parse_args()
    start_load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    results: dict[str, dict[str, Run | int]] = {}
    with tempfile.TemporaryDirectory(prefix="aiaccess-bench-") as folder:
        work = Path(folder)
        results["shipped (5)"] = bench_size(5, work, options.reference_timeout, shipped=True)
        print("shipped done", flush=True)
        for count in options.sizes:
            budget = reference_budget(results, count, options.reference_timeout)
            results[str(count)] = bench_size(count, work, budget, shipped=False)
            print(f"{count} done", flush=True)
    end_load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    plot(results, options.out.with_name("results.png"))
    options.out.write_text(report(results, (start_load, end_load)), encoding="utf-8")
    print(options.out.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
