"""Reading a SHACL validation report (an rdflib graph, as pySHACL and pyshacl-turbo give it).

Kept apart from :mod:`aiaccess.validate` so that rdflib is imported only when
a unit is actually checked: a build whose validation results are all
remembered never needs it.
"""

from __future__ import annotations

from collections.abc import Iterable

import rdflib
import rdflib.collection

from aiaccess.namespaces import SH

_SH = rdflib.Namespace(SH)

Finding = tuple[str, str | None, str, str, str]
"""A violation before the files are looked up: focus, path, message, shape, severity."""


def findings(results: rdflib.Graph) -> list[Finding]:
    """Read a SHACL validation report into findings."""
    found: list[Finding] = []
    for result in results.subjects(rdflib.RDF.type, _SH.ValidationResult):
        node = results.value(result, _SH.focusNode)
        found.append(
            (
                f"_:{node}" if isinstance(node, rdflib.BNode) else str(node),
                _path_name(results, results.value(result, _SH.resultPath)),
                str(results.value(result, _SH.resultMessage) or "constraint violated"),
                _shape_name(results.value(result, _SH.sourceShape)),
                str(results.value(result, _SH.resultSeverity)).rsplit("#", 1)[-1],
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
        return "^" + local_name(str(inverse))
    if results.value(path, rdflib.RDF.first) is not None:
        return "/".join(_members(results, path))
    return "(complex path)"


def _members(results: rdflib.Graph, head: rdflib.term.Node) -> Iterable[str]:
    """Return the compact names in an RDF list of a path."""
    return (local_name(str(m)) for m in rdflib.collection.Collection(results, head))


def local_name(iri: str) -> str:
    """Return the last segment of an IRI, after its ``#`` or last ``/``.

    >>> local_name("http://www.w3.org/2000/01/rdf-schema#label")
    'label'
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
