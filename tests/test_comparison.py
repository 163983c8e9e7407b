"""Comparing sources: judging values, and the findings written into graph/comparison."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from aiaccess.comparison import compare
from aiaccess.dataset import Assembled, assemble
from aiaccess.graphindex import GraphIndex
from aiaccess.judging import (
    CONFLICT,
    DIFFERENCE,
    REFINEMENT,
    Hierarchy,
    amounts,
    dates,
    directions,
    sets,
)
from aiaccess.namespaces import AIA, COMPARISON_GRAPH, ID, PROV
from aiaccess.resources import Resources

CHINA, MAINLAND, HONG_KONG, US = (
    ox.NamedNode(ID + "place/" + p)
    for p in ("china", "mainland-china", "hong-kong", "united-states")
)
MICROSOFT, OPENAI = ox.NamedNode(ID + "org/microsoft"), ox.NamedNode(ID + "org/openai")
PLACES = Hierarchy({MAINLAND: frozenset({CHINA}), HONG_KONG: frozenset({CHINA})})
XSD = "http://www.w3.org/2001/XMLSchema#"


def day(text: str, kind: str = "date") -> frozenset[ox.NamedNode | ox.Literal]:
    return frozenset({ox.Literal(text, datatype=ox.NamedNode(XSD + kind))})


@pytest.mark.parametrize(
    ("a", "b", "judgement"),
    [
        (day("--07-09", "gMonthDay"), day("2024-07-09"), REFINEMENT),  # he against en
        (day("2024-07", "gYearMonth"), day("2024-07-09"), REFINEMENT),
        (day("--07-10", "gMonthDay"), day("2024-07-09"), CONFLICT),
        (day("2023"), day("2024-07-09"), CONFLICT),
        (day("2024-07-09"), day("2024-07-09"), None),
    ],
)
def test_dates_by_precision(
    a: frozenset[ox.Literal], b: frozenset[ox.Literal], judgement: str
) -> None:
    assert dates(a, b) == judgement


@pytest.mark.parametrize(
    ("a", "b", "sole", "judgement"),
    [
        ({CHINA}, {CHINA, MAINLAND}, False, REFINEMENT),  # en "Chinese territory and mainland"
        ({CHINA}, {MAINLAND}, False, REFINEMENT),
        ({CHINA}, {MAINLAND, HONG_KONG}, False, DIFFERENCE),  # vi names Hong Kong too
        ({CHINA}, {US}, False, DIFFERENCE),
        ({MICROSOFT}, {MICROSOFT, OPENAI}, True, DIFFERENCE),
        ({MICROSOFT}, {OPENAI}, True, CONFLICT),  # two unrelated sole actors of one act
        ({CHINA}, {CHINA}, False, None),
    ],
)
def test_sets_with_the_place_hierarchy(
    a: set[ox.NamedNode], b: set[ox.NamedNode], sole: bool, judgement: str
) -> None:
    assert sets(frozenset(a), frozenset(b), PLACES, sole) == judgement


@pytest.mark.parametrize(
    ("a", "b", "judgement"),
    [
        ((Decimal(100), True, None), (Decimal(117), False, Decimal(117)), REFINEMENT),
        ((Decimal(100), True, None), (Decimal(100), False, Decimal(100)), CONFLICT),  # > 100
        ((Decimal(100), False, None), (Decimal(100), False, Decimal(100)), REFINEMENT),
        ((Decimal(10), False, Decimal(20)), (Decimal(15), False, Decimal(30)), DIFFERENCE),
        ((Decimal(10), False, Decimal(20)), (Decimal(21), False, None), CONFLICT),
    ],
)
def test_amounts_as_intervals(
    a: tuple[Decimal | None, bool, Decimal | None],
    b: tuple[Decimal | None, bool, Decimal | None],
    judgement: str,
) -> None:
    assert amounts(a, b) == judgement


def test_reversed_direction_conflicts() -> None:
    assert directions(frozenset({(MICROSOFT, OPENAI)}), frozenset({(OPENAI, MICROSOFT)})) == (
        CONFLICT
    )
    assert directions(frozenset({(MICROSOFT, OPENAI)}), frozenset({(MICROSOFT, OPENAI)})) is None


def comparison(assembled: Assembled) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(q for q in assembled.quads)
    return store


def test_each_position_derives_from_the_evidence_backing_its_value(assembled: Assembled) -> None:
    store = comparison(assembled)
    position = ox.NamedNode(
        ID + "finding/relation-microsoft-openai-revenue-share/direction/he-azure-china-openai"
    )
    derived = [
        q.object
        for q in store.quads_for_pattern(
            position, ox.NamedNode(PROV + "wasDerivedFrom"), None, ox.NamedNode(COMPARISON_GRAPH)
        )
    ]
    assert len(derived) == 1
    evidence = derived[0]
    assert isinstance(evidence, ox.NamedNode)
    assert evidence.value.startswith(ID + "evidence/he-azure-china-openai/")
    supports = {
        q.object.value
        for q in store.quads_for_pattern(evidence, ox.NamedNode(AIA + "supports"), None, None)
        if isinstance(q.object, ox.NamedNode)
    }
    assert AIA + "fromParty" in supports


def test_the_comparison_depends_on_no_order_of_its_input(assembled: Assembled) -> None:
    """The build indexes a group's shared graphs in no particular order (dataset._derived)."""
    given = [q for q in assembled.quads if q.graph_name != ox.NamedNode(COMPARISON_GRAPH)]
    forward = compare(GraphIndex.of(given))
    backward = compare(GraphIndex.of(list(reversed(given))))
    assert sorted(map(str, forward)) == sorted(map(str, backward))
    finding = ox.NamedNode(ID + "finding/relation-microsoft-openai-revenue-share/direction")
    classification = ox.NamedNode(AIA + "classification")
    judged = {q.object for q in backward if q.subject == finding and q.predicate == classification}
    assert judged == {ox.NamedNode(AIA + "Conflict")}


def test_a_date_that_cannot_be_the_same_day_is_a_conflict(resources: Resources) -> None:
    path = resources.root / "data/articles/he-azure-china-openai.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"--07-09"^^xsd:gMonthDay', '"--07-10"^^xsd:gMonthDay', 1))
    store = comparison(assemble(resources))
    finding = ox.NamedNode(ID + "finding/policy-openai-api-restriction-china/start-date")
    judged = list(
        store.quads_for_pattern(finding, ox.NamedNode(AIA + "classification"), None, None)
    )
    assert [q.object for q in judged] == [ox.NamedNode(AIA + "Conflict")]
