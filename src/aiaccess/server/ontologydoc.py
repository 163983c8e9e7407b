"""The ontology's documentation page, generated from the ontology and shapes files.

``/ontology`` in a browser is the vocabulary documented as people read it:
the ontology's metadata, then its classes, properties and SKOS concept schemes
with their labels in every language present and their comments, then the SHACL
shapes, each with its target, its message and its property constraints. Each
term's section has the term's fragment as its id, so ``aia:Article``'s IRI
(``…/ontology#Article``) opens at its section. RDF clients asking ``/ontology``
still get the ontology's Linked Data description (:mod:`.linkeddata`).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from aiaccess.namespaces import AIA, ONTOLOGY_IRI, OWL, RDF, RDFS, SH, SKOS
from aiaccess.resources import default_resources
from aiaccess.server import formats, html, linkeddata
from aiaccess.server.chrome import reader_languages
from aiaccess.server.errors import method_not_allowed
from aiaccess.server.reading import compact

DCTERMS = "http://purl.org/dc/terms/"
KINDS = (
    (OWL + "Class", "Classes"),
    (OWL + "ObjectProperty", "Object properties"),
    (OWL + "DatatypeProperty", "Datatype properties"),
    (SKOS + "ConceptScheme", "Concept schemes"),
)
"""The kinds of terms documented, in the page's order, with their section headings."""
_CONSTRAINTS = (
    *("minCount", "maxCount", "datatype", "class", "nodeKind", "pattern", "in", "node"),
    *("hasValue", "minInclusive", "maxInclusive", "languageIn", "or", "sparql"),
)
"""The SHACL constraint parameters shown for a property shape, in this order."""

Graph = dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]]]


@dataclass(frozen=True)
class Term:
    """One documented term: its names, comment and links to other terms."""

    iri: str
    anchor: str
    labels: dict[str, str]
    comment: str
    facts: list[tuple[str, list[str]]] = field(default_factory=list)
    """What else the ontology says: ("subclass of", [IRIs]), ("domain", […]), …"""
    members: list[Term] = field(default_factory=list)
    """The concepts of a concept scheme."""


@dataclass(frozen=True)
class Constraint:
    """One property shape: its path, its constraints as text, and its message."""

    path: str
    rules: list[str]
    message: str


@dataclass(frozen=True)
class Shape:
    """One SHACL node shape: what it targets, its message and its property shapes."""

    anchor: str
    targets: list[str]
    message: str
    constraints: list[Constraint]


@dataclass(frozen=True)
class Documentation:
    """Everything the ontology page shows."""

    title: str
    comment: str
    version: str
    license: str
    sections: list[tuple[str, list[Term]]]
    shapes: list[Shape]


def read(path: Path) -> Graph:
    """Return the triples of a Turtle file, by subject and predicate."""
    graph: Graph = defaultdict(lambda: defaultdict(list))
    for triple in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        graph[_id(triple.subject)][triple.predicate.value].append(triple.object)
    return graph


def _id(node: object) -> str:
    """Return an IRI, or a blank node's ``_:`` form."""
    if isinstance(node, ox.NamedNode):
        return node.value
    return str(node)


def _texts(graph: Graph, subject: str, predicate: str) -> list[str]:
    """Return the values of ``predicate`` as text (IRIs, blank nodes or lexical forms)."""
    return [
        value.value if isinstance(value, ox.NamedNode | ox.Literal) else str(value)
        for value in graph.get(subject, {}).get(predicate, [])
    ]


def _first(graph: Graph, subject: str, predicate: str) -> str:
    """Return the first English (or untagged) value of ``predicate``, or ""."""
    values = graph.get(subject, {}).get(predicate, [])
    texts = [v for v in values if isinstance(v, ox.Literal) and v.language in (None, "en")]
    return texts[0].value if texts else ""


def _labels(graph: Graph, subject: str) -> dict[str, str]:
    """Return a term's labels by language, English first."""
    found: dict[str, str] = {}
    for predicate in (RDFS + "label", SKOS + "prefLabel"):
        for value in graph.get(subject, {}).get(predicate, []):
            if isinstance(value, ox.Literal):
                found.setdefault(value.language or "", value.value)
    return dict(sorted(found.items(), key=lambda item: (item[0] != "en", item[0])))


def _of_type(graph: Graph, kind: str) -> list[str]:
    """Return the IRIs typed ``kind`` in ``graph``, sorted."""
    return sorted(
        s for s, p in graph.items() if kind in _texts(graph, s, RDF + "type") and "_:" not in s
    )


def _term(graph: Graph, iri: str) -> Term:
    """Return the documentation of one term."""
    facts = [
        (name, _texts(graph, iri, predicate))
        for name, predicate in (
            ("subclass of", RDFS + "subClassOf"),
            ("subproperty of", RDFS + "subPropertyOf"),
            ("domain", RDFS + "domain"),
            ("range", RDFS + "range"),
            ("in scheme", SKOS + "inScheme"),
            ("broader", SKOS + "broader"),
        )
    ]
    return Term(
        iri,
        iri.rpartition("#")[2] or iri.rpartition("/")[2],
        _labels(graph, iri),
        _first(graph, iri, RDFS + "comment") or _first(graph, iri, SKOS + "definition"),
        [(name, values) for name, values in facts if values],
    )


def _scheme(graph: Graph, iri: str) -> Term:
    """Return a concept scheme's documentation, with its concepts."""
    members = [
        _term(graph, concept)
        for concept in _of_type(graph, SKOS + "Concept")
        if iri in _texts(graph, concept, SKOS + "inScheme")
    ]
    term = _term(graph, iri)
    return Term(term.iri, term.anchor, term.labels, term.comment, term.facts, members)


def _shape(graph: Graph, iri: str) -> Shape:
    """Return a node shape's documentation."""
    targets = _texts(graph, iri, SH + "targetClass") + _texts(graph, iri, SH + "targetNode")
    if graph.get(iri, {}).get(SH + "target"):
        targets.append("(a SPARQL-defined target)")
    constraints = [_constraint(graph, node) for node in sorted(_texts(graph, iri, SH + "property"))]
    message = _first(graph, iri, SH + "message")
    return Shape(iri.rpartition("#")[2], targets, message, constraints)


def _constraint(graph: Graph, node: str) -> Constraint:
    """Return a property shape's path, constraints and message."""
    rules = []
    for name in _CONSTRAINTS:
        for value in _texts(graph, node, SH + name):
            shown = compact(value) if "://" in value else value
            rules.append(f"{name} {shown}" if not shown.startswith("_:") else name)
    path = ", ".join(_path(graph, p) for p in _texts(graph, node, SH + "path"))
    return Constraint(path, rules, _first(graph, node, SH + "message"))


def _path(graph: Graph, value: str) -> str:
    """Return a property path as text: an IRI, or an inverse path (``^p``)."""
    if not value.startswith("_:"):
        return compact(value)
    inverse = _texts(graph, value, SH + "inversePath")
    return "^" + compact(inverse[0]) if inverse else "(a complex path)"


def documentation(ontology: Path, shapes: Path) -> Documentation:
    """Return the documentation of the ontology and shapes files."""
    terms, rules = read(ontology), read(shapes)
    sections = [
        (heading, [_scheme(terms, i) if "Scheme" in kind else _term(terms, i) for i in found])
        for kind, heading in KINDS
        if (found := [i for i in _of_type(terms, kind) if i.startswith(AIA)])
    ]
    return Documentation(
        _first(terms, ONTOLOGY_IRI, RDFS + "label") or "aiaccess ontology",
        _first(terms, ONTOLOGY_IRI, RDFS + "comment"),
        _first(terms, ONTOLOGY_IRI, OWL + "versionInfo"),
        next(iter(_texts(terms, ONTOLOGY_IRI, DCTERMS + "license")), ""),
        sections,
        [_shape(rules, iri) for iri in _node_shapes(rules)],
    )


def _node_shapes(graph: Graph) -> Iterable[str]:
    """Return the IRIs of the node shapes, in their IDs' order (S01…, then C01…)."""
    return sorted(_of_type(graph, SH + "NodeShape"), key=lambda iri: iri.rpartition("#")[2])


@functools.cache
def packaged() -> Documentation:
    """Return the documentation of the packaged ontology and shapes (read once)."""
    resources = default_resources()
    return documentation(resources.ontology, resources.shapes)


async def endpoint(request: Request) -> Response:
    """Answer ``/ontology``: the documentation for browsers, Linked Data for RDF clients."""
    if request.method not in linkeddata.METHODS:
        raise method_not_allowed(request.method, linkeddata.METHODS)
    fmt = formats.choose(formats.PAGE, request.headers.get("accept"))
    if fmt is not formats.HTML:
        return await linkeddata.endpoint(request)
    page = html.render(
        "ontology.html",
        reader_languages(request),
        request.url.path,
        doc=packaged(),
        styles=["views.css"],
        link=linkeddata.href,
        compact=compact,
    )
    return Response(page, 200, {"Vary": linkeddata.VARY}, fmt.content_type)


async def shapes(request: Request) -> Response:
    """Answer ``/shapes``: browsers to the shapes' documentation, others to the file."""
    if request.method not in linkeddata.METHODS:
        raise method_not_allowed(request.method, linkeddata.METHODS)
    fmt = formats.choose(formats.PAGE, request.headers.get("accept"))
    target = "/ontology#shapes" if fmt is formats.HTML else "/shapes.ttl"
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})
