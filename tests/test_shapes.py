"""The SHACL shapes in ``ontology/shapes.ttl`` against their example files.

Every shape with an ID ``Snn`` has examples in ``tests/shapes/``:
``Snn-valid*.ttl`` must conform, and ``Snn-invalid*.ttl`` (which opens with
``# Invalid: <why>``) must fail *only* on shape ``Snn`` or a property shape
nested under it, reporting the ``sh:message`` written for that constraint.
The ontology is added to every example's data graph, as the validator does, so
``sh:targetClass`` and ``sh:class`` see subclasses without inference. (One graph
holds the ontology for the whole module; each example's triples are added to it
for its own run and taken out again, so no example sees another's.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pyshacl import Validator
from pyshacl.entrypoints import meta_validate
from pyshacl.graph_abstraction import DataGraph
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

ROOT = Path(__file__).resolve().parent.parent
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY_FILE = ROOT / "ontology" / "aiaccess.ttl"
EXAMPLES = ROOT / "tests" / "shapes"

SH = Namespace("http://www.w3.org/ns/shacl#")
AIASH = Namespace("https://w3id.org/aiaccess/shapes#")
SHAPE_ID = re.compile(r"^(?P<id>[SC]\d\d)-")
EXAMPLE_NAME = re.compile(r"^(?P<id>S\d\d)-(?P<kind>valid|invalid)(-\d\d)?\.ttl$")

VALID = sorted(EXAMPLES.glob("S*-valid*.ttl"))
INVALID = sorted(EXAMPLES.glob("S*-invalid*.ttl"))


@cache
def shapes() -> Graph:
    """The shapes graph, parsed once."""
    return Graph().parse(SHAPES_FILE, format="turtle")


@cache
def ontology() -> Graph:
    """The ontology graph, parsed once."""
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def with_ontology() -> Graph:
    """A graph holding the ontology, to which each run adds its example for that run only.

    Copying the ontology into a new graph per example cost a third of each run.
    """
    graph = Graph()
    graph += ontology()
    return graph


@pytest.fixture(scope="module")
def validator(with_ontology: Graph) -> Iterator[Validator]:
    """One pySHACL validator over ``with_ontology``, run again for each example.

    pySHACL would otherwise read the shapes graph again on every run, and hand
    each SPARQL-based constraint to rdflib as text to parse again on every
    focus node; here each distinct query text is parsed once per module, as
    rdflib's prepared queries are meant to be reused. Parsing was a quarter of
    each run; what is validated, and how, is unchanged.
    """
    options = {"inference": "none", "advanced": True, "inplace": True}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(processor.SPARQLProcessor, "query", _query_prepared_once())
        yield Validator(DataGraph.from_rdflib(with_ontology), shacl_graph=shapes(), options=options)


def _query_prepared_once() -> Any:
    """Return rdflib's query method, with each query text parsed and translated once."""
    original = processor.SPARQLProcessor.query
    prepared: dict[tuple[str, str | None, tuple[tuple[str, Any], ...]], Query] = {}

    def query(
        self: Any,
        text: str | Query,
        initBindings: Any = None,
        initNs: Any = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Any:
        if isinstance(text, str):
            key = (text, base, tuple(sorted((initNs or {}).items())))
            if key not in prepared:
                prepared[key] = processor.prepareQuery(text, initNs, base)
            text = prepared[key]
        return original(self, text, initBindings, initNs, base, DEBUG)

    return query


@contextmanager
def added(example: Path, graph: Graph) -> Iterator[Graph]:
    """Add the triples of ``example`` to ``graph`` until the block ends, then take them out.

    Only the triples ``graph`` did not hold already are added, so exactly those are removed.
    """
    new = [triple for triple in Graph().parse(example, format="turtle") if triple not in graph]
    for triple in new:
        graph.add(triple)
    try:
        yield graph
    finally:
        for triple in new:
            graph.remove(triple)


def shape_id(shape: Node) -> str | None:
    """Return the ``Snn``/``Cnn`` ID in a shape's name, or None."""
    if not isinstance(shape, URIRef) or not str(shape).startswith(str(AIASH)):
        return None
    match = SHAPE_ID.match(str(shape)[len(str(AIASH)) :])
    return match["id"] if match else None


def top_shapes() -> dict[str, URIRef]:
    """Map each ``Snn`` ID to its node shape."""
    found = {}
    for shape in shapes().subjects(RDF.type, SH.NodeShape):
        ident = shape_id(shape)
        if ident and ident.startswith("S") and isinstance(shape, URIRef):
            found[ident] = shape
    return found


def under(ident: str) -> set[Node]:
    """Return shape ``ident`` and the property shapes nested directly under it."""
    top = top_shapes()[ident]
    return {top, *shapes().objects(top, SH.property)}


def messages(shape: Node) -> set[Node]:
    """Return the messages written on ``shape``."""
    return set(shapes().objects(shape, SH.message))


def run(
    example: Path, ontology_graph: Graph, validator: Validator
) -> tuple[bool, list[tuple[Node, Node]]]:
    """Validate one example plus the ontology; return conformance and (shape, message)s.

    ``ontology_graph`` holds the ontology and nothing else, before and after;
    ``validator`` validates it in place (it is this module's own graph, so
    pySHACL need not copy it first).
    """
    size = len(ontology_graph)
    with added(example, ontology_graph):
        conforms, report, _ = validator.run()
    assert len(ontology_graph) == size, "the run left triples behind"
    assert isinstance(report, Graph)
    results = [
        (report.value(r, SH.sourceShape), report.value(r, SH.resultMessage))
        for r in report.objects(None, SH.result)
    ]
    return bool(conforms), results


def example_id(example: Path) -> str:
    """Return the shape ID an example file is named after."""
    match = EXAMPLE_NAME.match(example.name)
    assert match, f"{example.name} is not named Snn-valid[-nn].ttl or Snn-invalid[-nn].ttl"
    return match["id"]


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.stem)
def test_valid_example_conforms(example: Path, with_ontology: Graph, validator: Validator) -> None:
    """A conforming example opens with "# Valid: " and passes every shape."""
    assert example.read_text(encoding="utf-8").startswith("# Valid: ")
    conforms, results = run(example, with_ontology, validator)
    assert conforms, results


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.stem)
def test_invalid_example_fails_on_its_shape(
    example: Path, with_ontology: Graph, validator: Validator
) -> None:
    """A violating example fails only on its shape, with the message written for it."""
    assert example.read_text(encoding="utf-8").startswith("# Invalid: ")
    ident = example_id(example)
    conforms, results = run(example, with_ontology, validator)
    assert not conforms
    assert results
    allowed = under(ident)
    for shape, message in results:
        assert shape in allowed, f"{example.name} also fails on {shape}: {message}"
        assert message in messages(shape), f"{shape} reported {message!r}"


def test_every_shape_has_valid_and_invalid_examples() -> None:
    """Each Snn shape has both kinds of example, and no example names a missing shape."""
    named = {example_id(p) for p in VALID} | {example_id(p) for p in INVALID}
    assert named <= top_shapes().keys(), "examples named after no shape"
    for ident in top_shapes():
        assert any(example_id(p) == ident for p in VALID), f"{ident} has no valid example"
        assert any(example_id(p) == ident for p in INVALID), f"{ident} has no invalid example"


def test_shape_ids_are_unique() -> None:
    """No two node shapes share an Snn ID."""
    ids = [shape_id(s) for s in shapes().subjects(RDF.type, SH.NodeShape)]
    top = [i for i in ids if i and i.startswith("S")]
    assert len(top) == len(set(top))


def test_every_shape_has_a_message_and_label() -> None:
    """Every shape has an ID, an sh:message and an English label; node shapes a comment."""
    graph = shapes()
    declared = set(graph.subjects(RDF.type, SH.NodeShape))
    declared |= set(graph.subjects(RDF.type, SH.PropertyShape))
    declared |= set(graph.objects(None, SH.property))
    assert len(declared) > 50
    for shape in declared:
        assert shape_id(shape), f"{shape} has no ID in its name"
        assert (shape, SH.message, None) in graph, f"{shape} has no sh:message"
        labels = list(graph.objects(shape, RDFS.label))
        assert any(isinstance(x, Literal) and x.language == "en" for x in labels), shape
    for shape in set(graph.subjects(RDF.type, SH.NodeShape)):
        assert (shape, RDFS.comment, None) in graph, f"{shape} has no rdfs:comment"


def test_every_message_is_english() -> None:
    """Messages are tagged @en."""
    for message in shapes().objects(None, SH.message):
        assert isinstance(message, Literal)
        assert message.language == "en"


def test_shapes_are_valid_shacl() -> None:
    """The shapes graph conforms to SHACL-for-SHACL."""
    conforms, _, text = meta_validate(shapes(), inference="none")
    assert conforms, text
