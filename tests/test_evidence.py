"""Evidence says which of its fact's values it backs (``aia:supports``)."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
import pytest

from aiaccess.dataset import Assembled
from aiaccess.errors import DataError
from aiaccess.evidence import SUPPORTS
from aiaccess.namespaces import AIA, ID, OA, SCHEMA, article_graph
from aiaccess.resources import Resources
from aiaccess.validate import validate

HE = article_graph("he-azure-china-openai")
EN = article_graph("en-azure-workaround")
REVENUE_SHARE = ID + "relation/microsoft-openai-revenue-share"


def supported(assembled: Assembled, graph: str, fact: str) -> dict[str, set[str]]:
    """Return ``{quote: supported property IRIs}`` of ``fact``'s evidence in ``graph``."""
    name = ox.NamedNode(graph)
    quads = [q for q in assembled.quads if q.graph_name == name]
    evidence = {
        q.object
        for q in quads
        if q.subject == ox.NamedNode(fact) and q.predicate == ox.NamedNode(AIA + "evidence")
    }
    props: dict[object, set[str]] = defaultdict(set)
    exact: dict[str, str] = {}
    for q in quads:
        if q.subject in evidence and q.predicate == SUPPORTS:
            assert isinstance(q.object, ox.NamedNode)
            props[q.subject].add(q.object.value)
        if q.predicate == ox.NamedNode(OA + "exact"):
            assert isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)
            exact[q.subject.value.split("#")[0]] = q.object.value
    return {exact[e.value]: props[e] for e in evidence if isinstance(e, ox.NamedNode)}


def test_each_sides_quote_backs_who_pays_whom(assembled: Assembled) -> None:
    # he: "OpenAI מקבלת 20% מכל הכנסה שמיקרוסופט מפיקה"; en: "OpenAI pays Microsoft …"
    (he,) = supported(assembled, HE, REVENUE_SHARE).values()
    assert {AIA + "fromParty", AIA + "toParty", AIA + "sharePercent"} <= he
    (en,) = supported(assembled, EN, REVENUE_SHARE).values()
    assert {AIA + "fromParty", AIA + "toParty"} <= en
    assert AIA + "sharePercent" not in en


def test_the_date_is_backed_by_the_quote_that_gives_it(assembled: Assembled) -> None:
    found = supported(assembled, EN, ID + "policy/openai-api-restriction-china")
    dated = {quote for quote, props in found.items() if SCHEMA + "startDate" in props}
    assert dated == {
        "OpenAI’s API restriction in China started on July 9th, 2024.",
        "it would restrict Chinese customers from using its API starting July 9th",
    }


def _break(resources: Resources, relative: str, old: str, new: str) -> None:
    path = resources.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_evidence_without_supports_fails_validation(resources: Resources) -> None:
    _break(
        resources,
        "data/articles/he-azure-china-openai.ttl",
        "        aia:supports rdf:type , aia:fromParty , aia:sharePercent , aia:toParty ;\n",
        "",
    )
    report = validate(resources)
    shapes = {v.shape.rsplit("#", 1)[-1] for v in report.violations}
    assert shapes == {"S40-EvidenceSupportsShape"}
    assert report.violations[0].focus.startswith(ID + "evidence/he-azure-china-openai/")


def test_supporting_a_value_the_fact_lacks_fails_the_build(resources: Resources) -> None:
    # The Hebrew article states the 20 %; the English one does not, so its quote cannot back it.
    _break(
        resources,
        "data/articles/en-azure-workaround.ttl",
        "aia:supports rdf:type , aia:fromParty , aia:toParty ;",
        "aia:supports rdf:type , aia:fromParty , aia:toParty , aia:sharePercent ;",
    )
    with pytest.raises(
        DataError, match=r"supports <https://w3id\.org/aiaccess/ontology#sharePercent>"
    ):
        validate(resources)


def test_an_unknown_key_on_evidence_is_refused(resources: Resources) -> None:
    _break(
        resources,
        "data/articles/en-azure-workaround.ttl",
        "aia:supports rdf:type , aia:fromParty , aia:toParty ;",
        "aia:backs aia:fromParty ;",
    )
    with pytest.raises(DataError, match=r"unexpected <https://w3id\.org/aiaccess/ontology#backs>"):
        validate(resources)
