"""What the pages say about a resource, read from the shipped data (no HTML involved)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from aiaccess.dataset import assemble
from aiaccess.namespaces import AIA, GRAPH, ID, SCHEMA, XSD
from aiaccess.server.index import Index
from aiaccess.server.linkeddata import href
from aiaccess.server.reading import Reading, group, timeline

OPENAI = ID + "org/openai"
BLOCK = ID + "policy/openai-api-restriction-china"


@pytest.fixture(scope="module")
def reading() -> Iterator[Reading]:
    """The shipped dataset read for an English reader."""
    yield Reading(Index(assemble().quads), href, ("en",))


def test_facts_about_openai_are_grouped_by_kind_in_order(reading: Reading) -> None:
    groups = group(reading.facts_about(OPENAI))
    assert [g.name for g in groups] == ["Restrictions", "Relations", "Roles", "Events", "Claims"]
    restrictions = [f.link.iri for f in groups[0].facts]
    assert BLOCK in restrictions
    every = [f.link.iri for g in groups for f in g.facts]
    assert len(every) == len(set(every))  # each fact once


def test_a_fact_has_one_statement_per_source(reading: Reading) -> None:
    fact = reading.fact(BLOCK)
    sources = [s.source.tag for s in fact.statements if s.source]
    assert sources == ["en", "fr", "he", "vi", "zh"]
    hebrew = next(s for s in fact.statements if s.source and s.source.tag == "he")
    assert hebrew.quotes[0].exact.text == "OpenAI ניתקה את קשריה עם סין החל מהשבוע"
    assert (hebrew.quotes[0].exact.lang, hebrew.quotes[0].exact.dir) == ("he", "rtl")
    assert hebrew.quotes[0].gloss is not None
    assert hebrew.quotes[0].gloss.text == "OpenAI cut its ties with China as of this week"
    assert hebrew.certainty is not None and hebrew.certainty.iri.endswith("#Reported")


def test_disagreements_between_sources_are_marked(reading: Reading) -> None:
    fact = reading.fact(BLOCK)
    assert SCHEMA + "startDate" in [p.iri for p in fact.disputed]
    dates = {
        s.source.tag: [v.text.text for p in s.properties for v in p.values if v.text and p.differs]
        for s in fact.statements
        if s.source
    }
    assert "2024-07-09" in dates["en"] and "--07-09" in dates["he"]
    actor = [p for s in fact.statements for p in s.properties if p.predicate.iri.endswith("actor")]
    assert actor and not any(p.differs for p in actor)  # all five name OpenAI


def test_timeline_merges_sources_and_puts_days_without_a_year_last(reading: Reading) -> None:
    moments = timeline([reading.fact(BLOCK)])
    assert [(m.date, [s.tag for s in m.sources]) for m in moments] == [
        ("2024-07-09", ["en"]),
        ("--07-09", ["he", "zh"]),  # zh: "7月9号之后" states no year
    ]
    assert moments[-1].yearless and moments[0].word == "from"


def test_mentions_count_a_nested_name_once(reading: Reading) -> None:
    found = {m.article.tag: m for m in reading.mentions(ID + "person/sam-altman")}
    spots = [(s.start, s.end) for s in found["zh"].spots]
    assert spots == sorted(spots)
    for (_, end), (later, _) in itertools.pairwise(spots):
        assert later >= end, "a mention inside another of the same person"
    assert found["zh"].spots[0].href == f"/id/article/zh-openai-china-api-ban#m{spots[0][0]}"


def test_entity_labels_are_grouped_by_text(reading: Reading) -> None:
    names = {n.text.text: n.langs for n in reading.labels(ID + "org/microsoft")}
    assert names["מיקרוסופט"] == ["he"]
    assert names["微软"] == ["zh"]


def test_derived_dates_join_the_timeline_as_ranges() -> None:
    """A date no source states but the build bounds (aia:DerivedDate) is its own entry."""
    fact, derived = ox.NamedNode(ID + "event/announcement"), ox.NamedNode(ID + "derived-date/x")
    graph, temporal = ox.NamedNode(GRAPH + "article/a"), ox.NamedNode(GRAPH + "temporal")
    date = ox.NamedNode(XSD + "date")

    def quad(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal, g: ox.NamedNode) -> ox.Quad:
        return ox.Quad(s, ox.NamedNode(p), o, g)

    quads = [
        quad(fact, AIA + "certainty", ox.NamedNode(AIA + "Reported"), graph),
        quad(derived, AIA + "timeOf", fact, temporal),
        quad(derived, AIA + "timeProperty", ox.NamedNode(SCHEMA + "startDate"), temporal),
        quad(derived, AIA + "dateStatus", ox.NamedNode(AIA + "Derived"), temporal),
        quad(derived, AIA + "earliestDate", ox.Literal("2024-06-14", datatype=date), temporal),
        quad(derived, AIA + "latestDate", ox.Literal("2024-06-28", datatype=date), temporal),
        quad(derived, AIA + "dateText", ox.Literal("2024-06-14 – 2024-06-28"), temporal),
    ]
    moments = timeline([Reading(Index(quads), href, ()).fact(fact.value)])
    assert [(m.date, m.shown, m.word, m.sources) for m in moments] == [
        ("2024-06-14", "2024-06-14 – 2024-06-28", "from", [])
    ]
    assert moments[0].derived is not None and moments[0].derived.href == "/id/derived-date/x"
