"""The package's layers: the core imports nothing from its edges, and no two modules import each
other.

Read from the source (every ``import``, those inside functions too), so a lazy
import cannot hide a dependency the layering forbids.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "aiaccess"
EDGES = ("aiaccess.cli", "aiaccess.server")
"""The command line and the server: thin shells over the core."""


def imports() -> dict[str, set[str]]:
    """Return each module of the package and the package's modules it imports."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts).removesuffix(".__init__")
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "aiaccess":
                found |= {f"aiaccess.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("aiaccess."):
                found.add(str(node.module))
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("aiaccess.")}
        graph[module] = found
    return graph


def core(graph: dict[str, set[str]]) -> list[str]:
    """Return the modules that are neither the command line nor the server."""
    return [m for m in graph if not m.startswith(EDGES)]


def reached(graph: dict[str, set[str]], start: str) -> set[str]:
    """Return the package's modules ``start`` imports, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for name in graph.get(todo.pop(), ()):
            if name in graph and name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def test_the_core_imports_neither_the_command_line_nor_the_server() -> None:
    graph = imports()
    assert {m: sorted(d for d in graph[m] if d.startswith(EDGES)) for m in core(graph)} == {
        m: [] for m in core(graph)
    }


def test_no_core_module_imports_itself_through_others() -> None:
    graph = imports()
    assert [m for m in core(graph) if m != "aiaccess" and m in reached(graph, m)] == []


def test_the_query_catalog_reads_headers_without_the_store_or_the_runner() -> None:
    assert not reached(imports(), "aiaccess.catalog") & {
        "aiaccess.sparql",
        "aiaccess.load",
        "aiaccess.querydocs",
    }
