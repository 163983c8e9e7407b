"""Leaving out of a unit what no shape reads changes no finding (aiaccess.relevance).

The rule is derived from the shapes: the nodes their targets can select
(SPARQL targets included, when their query reads forward from one class's
instances) and what is read from those. The proof that it is sound on real
shapes: the whole shipped dataset with every invalid shape example added
(tests/test_validate.py's injected corpus) gives exactly the same findings
with and without the statements the rule leaves out.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from aiaccess.dataset import Assembled
from aiaccess.namespaces import AIA, COMPARISON_GRAPH, OA, RDF, RDFS, SH
from aiaccess.relevance import Reads, reads, relevant
from aiaccess.validate import _compiled, _engine_findings, _ntriples, _shapes_text
from tests.conftest import SHIPPED
from tests.test_shapes import INVALID
from tests.test_validate import _with_examples

E = "http://example.org/"
PREFIX = f"@prefix sh: <{SH}> . @prefix e: <{E}> .\n"


def _node(name: str) -> ox.NamedNode:
    return ox.NamedNode(E + name)


def _quad(s: str, p: str, o: str | ox.Literal) -> ox.Quad:
    obj = o if isinstance(o, ox.Literal) else _node(o) if "://" not in o else ox.NamedNode(o)
    predicate = ox.NamedNode(p) if "://" in p else _node(p)
    return ox.Quad(_node(s), predicate, obj, ox.NamedNode(E + "graph"))


def test_the_shipped_shapes_give_a_rule_with_their_sparql_targets_classes() -> None:
    rule = reads(_shapes_text(SHIPPED))
    assert rule is not None
    names = {c.value.removeprefix(AIA) for c in rule.classes}
    assert {"Evidence", "DerivedDate", "TemporalConflict", "Mention", "Article"} <= names
    assert not names & {"ValueList", "SourceComparison", "Position", "Finding"}
    assert {p.value for p in rule.objects_of} >= {OA + "hasTarget", AIA + "eventType"}
    assert {p.value for p in rule.inverse} == {AIA + "evidence", AIA + "bearsOn"}


@pytest.mark.parametrize(
    "select",
    [
        "SELECT ?this WHERE { ?this <http://e/p> ?o }",  # no class selects ?this
        "SELECT ?this WHERE { ?this a <http://e/C> . ?x <http://e/p> ?this }",  # reads backwards
        "SELECT ?this WHERE { ?this a <http://e/C> ; ^<http://e/p> ?x }",  # an inverse path
        "SELECT ?this WHERE { ?this a <http://e/C> OPTIONAL { ?this <http://e/p> ?o } }",
        "SELECT ?this WHERE { ?this a <http://e/C> FILTER(<http://e/f>(?this)) }",  # a function
        "SELECT ?this WHERE { ?this a e:C }",  # a prefixed name
    ],
)
def test_a_sparql_target_the_rule_cannot_vouch_for_gives_no_rule(select: str) -> None:
    shapes = f'{PREFIX}e:S sh:target [ a sh:SPARQLTarget ; sh:select """{select}""" ] .'
    assert reads(shapes) is None


def test_a_sparql_target_reading_forward_from_one_class_gives_a_rule() -> None:
    select = (
        "SELECT ?this WHERE { ?this a <http://e/C> ; <http://e/p>/<http://e/q>* ?o . "
        "<http://e/K> <http://e/r> ?k FILTER NOT EXISTS { ?o ?any ?v } }"
    )
    rule = reads(f'{PREFIX}e:S sh:target [ a sh:SPARQLTarget ; sh:select """{select}""" ] .')
    assert rule is not None
    assert rule.classes == {ox.NamedNode("http://e/C")}
    assert rule.nodes == {ox.NamedNode("http://e/K")}


def test_sparql_constraints_give_no_rule() -> None:
    assert reads(f"{PREFIX}e:S sh:targetClass e:C ; sh:sparql [ sh:select 'x' ] .") is None


def test_kept_are_the_targets_and_what_is_read_from_them() -> None:
    rule = Reads(
        classes=frozenset({_node("Target")}),
        subjects_of=frozenset(),
        objects_of=frozenset({_node("pointsAt")}),
        nodes=frozenset(),
        inverse=frozenset({_node("backs")}),
    )
    kind = RDF + "type"
    quads = [
        _quad("sub", RDFS + "subClassOf", "Target"),
        _quad("a", kind, "sub"),  # a target: an instance of a subclass
        _quad("a", "value", "v"),  # v is read from a
        _quad("v", "label", ox.Literal("read")),
        _quad("w", "backs", "a"),  # read backwards from a
        _quad("list", kind, "ValueList"),  # nothing targets or reaches it
        _quad("list", "value", "x"),
        _quad("x", "label", ox.Literal("left out")),
        _quad("list", "pointsAt", "y"),  # but y is a target (sh:targetObjectsOf)
        _quad("y", "label", ox.Literal("target")),
    ]
    kept = relevant(quads, rule)
    assert {q.subject.value.removeprefix(E) for q in kept} == {"sub", "a", "v", "w", "y"}
    assert kept == [q for q in quads if q in kept]  # in their order


@pytest.fixture(scope="module")
def injected(assembled: Assembled) -> Assembled:
    """The shipped data plus every invalid shape example, each as one more article."""
    return _with_examples(assembled, INVALID)


def test_the_rule_changes_no_finding_on_every_invalid_example(injected: Assembled) -> None:
    shapes = _shapes_text(SHIPPED)
    rule = reads(shapes)
    assert rule is not None
    everything = list(injected.quads)
    kept = relevant(everything, rule)
    comparison = [q for q in everything if q.graph_name.value == COMPARISON_GRAPH]
    assert comparison and not set(comparison) & set(kept)  # no shape reads the comparison
    program = _compiled(shapes)
    whole = _engine_findings(program, _ntriples(everything))
    assert len(whole) > 50
    assert sorted(_engine_findings(program, _ntriples(kept))) == sorted(whole)
