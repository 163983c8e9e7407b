"""``aiaccess validate``: SHACL over each article's graph, plus the evidence checks.

The evidence checks (every quote verbatim in its seed, correctly tagged) run
while the dataset is assembled and stop it with an :class:`EvidenceError`.
SHACL then checks ``ontology/shapes.ttl`` against *validation units*
(docs/modelling.md, "What a shape is checked against"):

* the ontology and registry graphs, once;
* each article's graph with its mentions, together with the part of the
  ontology and registry it refers to: every resource it names, and what those
  name in turn (types, superclasses, parent organizations, concept schemes).

A shape must therefore hold in each article's own statements; a rule that is
about all articles together is a SPARQL check in ``queries/checks/``. The
units are independent, so they are checked in parallel threads by
pyshacl-turbo (a Rust SHACL engine whose native code releases the GIL), with
the shapes compiled once. pySHACL stays the reference: :func:`reference` runs
it on the union of all graphs, and the tests prove that both report the same
violations. Results are grouped by resource and name the curated file that
describes the resource.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
import rdflib.collection

from aiaccess import checks
from aiaccess.dataset import Assembled, assemble
from aiaccess.namespaces import SH
from aiaccess.resources import Resources, default_resources
from aiaccess.turtle import parse_file

_SH = rdflib.Namespace(SH)


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: which resource, which property, what is wrong, where."""

    focus: str
    path: str | None
    message: str
    shape: str
    severity: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """The outcome of validating the dataset."""

    violations: list[Violation] = field(default_factory=list)
    triples: int = 0

    @property
    def conforms(self) -> bool:
        """True when there is no violation of any severity."""
        return not self.violations

    def by_resource(self) -> dict[str, list[Violation]]:
        """Return the violations grouped by focus resource, in IRI order."""
        groups: dict[str, list[Violation]] = defaultdict(list)
        for violation in self.violations:
            groups[violation.focus].append(violation)
        return dict(sorted(groups.items()))

    def text(self) -> str:
        """Return a readable report, one block per resource."""
        if self.conforms:
            return f"Conforms: {self.triples} triples, 0 violations."
        blocks = []
        for focus, items in self.by_resource().items():
            files = ", ".join(sorted({f for v in items for f in v.files})) or "(computed)"
            lines = [f"<{focus}>  [{files}]"]
            lines += [f"  - {v.severity}: {_short(v.path)}: {v.message}" for v in items]
            blocks.append("\n".join(lines))
        summary = f"{len(self.violations)} violations in {len(blocks)} resources."
        return "\n".join([*blocks, summary])


def validate(resources: Resources | None = None) -> Report:
    """Assemble the dataset and check it against the SHACL shapes.

    :raises DataSyntaxError: if a Turtle file is malformed.
    :raises EvidenceError: if a quote is not verbatim in its seed.

    >>> validate().conforms
    True
    """
    res = resources or default_resources()
    return check(assemble(res), res)


def check(data: Assembled, resources: Resources) -> Report:
    """Check already assembled data: the shapes, then the SPARQL checks.

    :raises DataSyntaxError: if the shapes file is malformed.
    :raises QueryError: if a check is malformed.
    """
    described = _files_by_subject(data)
    found = {*shacl(data, resources, described), *_check_violations(data, resources, described)}
    return Report(sorted(found), _count_triples(data))


def shacl(
    data: Assembled, resources: Resources, described: dict[str, set[str]] | None = None
) -> list[Violation]:
    """Return the shape violations, found one validation unit at a time in parallel.

    :raises DataSyntaxError: if the shapes file is malformed.
    """
    program = _compiled(_shapes_text(resources))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        reports = list(pool.map(lambda unit: _run(program, unit), units(data)))
    files = _files_by_subject(data) if described is None else described
    return sorted({v for report in reports for v in _violations(report, files)})


def _check_violations(
    data: Assembled, resources: Resources, described: dict[str, set[str]]
) -> list[Violation]:
    """Run the SPARQL checks of ``queries/checks`` on the whole dataset."""
    store = ox.Store()
    store.bulk_extend(data.quads)
    return [
        Violation(
            focus=f.focus,
            path=f.path,
            message=f.message,
            shape=f.check,
            severity="Violation",
            files=tuple(sorted(described.get(f.focus, ()))),
        )
        for f in checks.run(store, resources)
    ]


def reference(data: Assembled, resources: Resources) -> list[Violation]:
    """Return the shape violations pySHACL, the reference, finds in the union of all graphs.

    Slow (minutes for a thousand articles); the tests and the benchmark use it
    to prove that :func:`shacl` reports exactly the same violations.
    """
    from pyshacl import validate as pyshacl_validate

    shapes = rdflib.Graph().parse(data=_shapes_text(resources), format="turtle")
    triples = {q.triple for q in data.quads}
    payload = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph().parse(data=payload, format="nt")
    _, results, _ = pyshacl_validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    assert isinstance(results, rdflib.Graph)
    return sorted(set(_violations(results, _files_by_subject(data))))


def units(data: Assembled) -> list[list[ox.Triple]]:
    """Return the triples each SHACL run sees: the ontology and registry, then each article."""
    base = [q.triple for q in data.base]
    index: dict[ox.NamedNode, list[ox.Triple]] = defaultdict(list)
    for triple in base:
        if isinstance(triple.subject, ox.NamedNode):
            index[triple.subject].append(triple)
    articles = [[q.triple for q in quads] for quads in data.articles.values()]
    return [base, *(own + _context(own, index) for own in articles)]


def _context(
    triples: list[ox.Triple], index: dict[ox.NamedNode, list[ox.Triple]]
) -> list[ox.Triple]:
    """Return the ontology and registry triples reachable from the resources ``triples`` name."""
    todo = [n for t in triples for n in (t.subject, t.object) if isinstance(n, ox.NamedNode)]
    seen: set[ox.NamedNode] = set()
    found: list[ox.Triple] = []
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in index.get(node, ()):
            found.append(triple)
            if isinstance(triple.object, ox.NamedNode):
                todo.append(triple.object)
    return found


@cache
def _compiled(shapes: str) -> Any:
    """Compile the shapes once per process (pyshacl-turbo keeps the compiled program)."""
    from pyshacl_turbo import compile_shapes

    graph = rdflib.Graph().parse(data=shapes, format="turtle")
    return compile_shapes(graph, advanced=True)  # type: ignore[no-untyped-call]


def _shapes_text(resources: Resources) -> str:
    """Return the shapes file's text, after checking its syntax with a file-naming error."""
    parse_file(resources.shapes, resources.relative(resources.shapes))
    return resources.shapes.read_text(encoding="utf-8")


def _run(program: Any, triples: list[ox.Triple]) -> rdflib.Graph | None:
    """Validate one unit; return its report graph, or None when it conforms."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    conforms, results, _ = program.validate(
        store, inference="none", allow_warnings=True, allow_infos=False
    )
    return None if conforms else results


def _count_triples(data: Assembled) -> int:
    """Return the number of distinct triples in the union of all graphs."""
    return len({q.triple for q in data.quads})


def _violations(results: rdflib.Graph | None, described: dict[str, set[str]]) -> list[Violation]:
    """Read a SHACL validation report into violations."""
    if results is None:
        return []
    found = []
    for result in results.subjects(rdflib.RDF.type, _SH.ValidationResult):
        node = results.value(result, _SH.focusNode)
        focus = f"_:{node}" if isinstance(node, rdflib.BNode) else str(node)
        found.append(
            Violation(
                focus=focus,
                path=_path_name(results, results.value(result, _SH.resultPath)),
                message=str(results.value(result, _SH.resultMessage) or "constraint violated"),
                shape=_shape_name(results.value(result, _SH.sourceShape)),
                severity=str(results.value(result, _SH.resultSeverity)).rsplit("#", 1)[-1],
                files=tuple(sorted(described.get(focus, ()))),
            )
        )
    return found


def _shape_name(shape: rdflib.term.Node | None) -> str:
    """Return a shape's IRI; an anonymous shape has no stable name."""
    return str(shape) if isinstance(shape, rdflib.URIRef) else "(anonymous shape)"


def _path_name(results: rdflib.Graph, path: rdflib.term.Node | None) -> str | None:
    """Return a result path as an IRI, or a SPARQL-like path of compact names."""
    if path is None or isinstance(path, rdflib.URIRef):
        return None if path is None else str(path)
    alternatives = results.value(path, _SH.alternativePath)
    if alternatives is not None:
        return "|".join(_members(results, alternatives))
    inverse = results.value(path, _SH.inversePath)
    if inverse is not None:
        return "^" + _short(str(inverse))
    if results.value(path, rdflib.RDF.first) is not None:
        return "/".join(_members(results, path))
    return "(complex path)"


def _members(results: rdflib.Graph, head: rdflib.term.Node) -> Iterable[str]:
    """Return the compact names in an RDF list of a path."""
    return (_short(str(m)) for m in rdflib.collection.Collection(results, head))


def _files_by_subject(data: Assembled) -> dict[str, set[str]]:
    """Map each subject IRI to the curated files that describe it."""
    files: dict[str, set[str]] = defaultdict(set)
    for quad in data.quads:
        graph, subject = quad.graph_name, quad.subject
        if isinstance(graph, ox.NamedNode) and isinstance(subject, ox.NamedNode):
            path: Path | None = data.files.get(graph.value)
            if path is not None:
                files[subject.value].add(str(path))
    return files


def _short(path: str | None) -> str:
    """Return a compact name for a property path in messages."""
    if path is None:
        return "(node)"
    if any(mark in path for mark in "|^") or ("/" in path and "://" not in path):
        return path
    return path.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
