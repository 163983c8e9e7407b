"""``aiaccess validate``: SHACL over the assembled dataset, plus the evidence checks.

The evidence checks (every quote verbatim in its seed, correctly tagged) run
while the dataset is assembled and stop it with an :class:`EvidenceError`;
SHACL then checks the assembled graphs, ontology included, against
``ontology/shapes.ttl``. Results are grouped by resource and name the curated
file that describes the resource.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
import rdflib.collection
from pyshacl import validate as shacl_validate

from aiaccess.dataset import Assembled, assemble
from aiaccess.namespaces import SH
from aiaccess.resources import Resources, default_resources
from aiaccess.turtle import parse_file

_SH = rdflib.Namespace(SH)


@dataclass(frozen=True)
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
    """Check already assembled data against the shapes of ``resources``.

    :raises DataSyntaxError: if the shapes file is malformed.
    """
    parse_file(resources.shapes, resources.relative(resources.shapes))
    graph = _rdflib_graph(data)
    shapes = rdflib.Graph().parse(resources.shapes, format="turtle")
    _, results, _ = shacl_validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    return Report(_violations(results, data), len(graph))


def _rdflib_graph(data: Assembled) -> rdflib.Graph:
    """Return the union of all graphs as an rdflib graph, parsed from N-Triples."""
    triples = {q.triple for q in data.quads}
    payload = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=payload, format="nt")


def _violations(results: rdflib.Graph, data: Assembled) -> list[Violation]:
    """Read the SHACL validation report into violations, sorted for stable output."""
    described = _files_by_subject(data)
    found = []
    for result in results.subjects(rdflib.RDF.type, _SH.ValidationResult):
        focus = str(results.value(result, _SH.focusNode))
        path = results.value(result, _SH.resultPath)
        found.append(
            Violation(
                focus=focus,
                path=str(path) if path is not None else None,
                message=str(results.value(result, _SH.resultMessage) or "constraint violated"),
                shape=str(results.value(result, _SH.sourceShape)),
                severity=str(results.value(result, _SH.resultSeverity)).rsplit("#", 1)[-1],
                files=tuple(sorted(described.get(focus, ()))),
            )
        )
    return sorted(found, key=lambda v: (v.focus, v.path or "", v.message))


def _path_name(results: rdflib.Graph, path: rdflib.term.Node | None) -> str | None:
    """Return a result path as an IRI, or its alternatives joined by ``|``."""
    if path is None or isinstance(path, rdflib.URIRef):
        return None if path is None else str(path)
    alternatives = results.value(path, _SH.alternativePath)
    if alternatives is None:
        return "(complex path)"
    members = rdflib.collection.Collection(results, alternatives)
    return "|".join(_short(str(m)) for m in members)


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
    return path.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
