"""Dates derived from the seeds: real derivations, the chains they rest on, and conflicts.

Each expectation cites the seed words it comes from. The derived values are read
from the computed graph ``graph/temporal``; the article graphs must keep only what
each article states.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from aiaccess.dataset import Assembled, assemble
from aiaccess.errors import DataError
from aiaccess.graphindex import GraphIndex
from aiaccess.namespaces import AIA, ID, TEMPORAL_GRAPH
from aiaccess.resources import Resources
from aiaccess.temporal import derive

TIMEX, TLINK, ARTICLE = ID + "timex/", ID + "tlink/", ID + "article/"
DERIVED, CONFLICT = ID + "derived-date/", ID + "temporal-conflict/"
ANNOUNCEMENT = DERIVED + "event-openai-announces-api-restriction-start"


@pytest.fixture(scope="module")
def temporal(assembled: Assembled) -> dict[str, dict[str, list[str]]]:
    """The temporal graph as {subject: {local predicate name: sorted values}}."""
    found: dict[str, dict[str, list[str]]] = {}
    for quad in assembled.quads:
        if quad.graph_name == ox.NamedNode(TEMPORAL_GRAPH):
            name = quad.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            found.setdefault(quad.subject.value, {}).setdefault(name, []).append(quad.object.value)
    return {s: {p: sorted(v) for p, v in props.items()} for s, props in found.items()}


def bounds(temporal: dict[str, dict[str, list[str]]], node: str) -> tuple[str | None, str | None]:
    """The earliest and latest date of a derived date."""
    props = temporal[node]
    return (props.get("earliestDate", [None])[0], props.get("latestDate", [None])[0])


def test_nakasone_joins_on_13_june_2024_derived_from_the_articles_year(
    temporal: dict[str, dict[str, list[str]]],
) -> None:
    # zh: "6月13日,其安全团队刚刚迎来了…保罗·中曾根" in an article dated 2024-07-14
    node = temporal[DERIVED + "event-paul-nakasone-joins-openai-start"]
    assert bounds(temporal, DERIVED + "event-paul-nakasone-joins-openai-start") == (
        "2024-06-13",
        "2024-06-13",
    )
    assert node["inXSDDate"] == ["2024-06-13"]
    assert node["dateStatus"] == [AIA + "Derived"]  # the year is not in the text
    assert node["earliestFrom"] == [TIMEX + "zh-dateline", TIMEX + "zh-nakasone-joins-13-june"]
    assert ARTICLE + "zh-openai-china-api-ban" in node["wasDerivedFrom"]
    quotes = [iri for iri in node["wasDerivedFrom"] if iri.startswith(ID + "evidence/zh-")]
    assert any(iri.endswith("timex-zh-nakasone-joins-13-june") for iri in quotes)


def test_the_announcement_lies_between_nakasone_and_the_vietnamese_article(
    temporal: dict[str, dict[str, list[str]]],
) -> None:
    # zh: "就在OpenAI发布这则通知的前夕,6月13日" (the notice came after 13 June);
    # vi (28/06/2024): "lệnh cấm mới được ban hành" (the newly issued ban)
    assert bounds(temporal, ANNOUNCEMENT) == ("2024-06-14", "2024-06-28")
    node = temporal[ANNOUNCEMENT]
    assert node["earliestFrom"] == [
        TIMEX + "zh-dateline",
        TIMEX + "zh-nakasone-joins-13-june",
        TLINK + "zh-nakasone-eve-of-notice",
    ]
    assert ARTICLE + "vi-openai-bans-china-developers" in node["latestFrom"]
    assert TIMEX + "vi-dateline" in node["latestFrom"]
    assert node["dateText"] == ["2024-06-14 – 2024-06-28"]


def test_the_wechat_campaign_is_the_day_after_the_announcement(
    temporal: dict[str, dict[str, list[str]]],
) -> None:
    # he: "ביום שלאחר הכרזת OpenAI על ניתוק הגישה" (on the day after OpenAI's announcement)
    node = DERIVED + "event-microsoft-china-wechat-campaign-start"
    assert bounds(temporal, node) == ("2024-06-15", "2024-06-29")
    assert TLINK + "he-wechat-day-after-announcement" in temporal[node]["earliestFrom"]


def test_the_english_late_last_month_conflicts_with_the_vietnamese_report(
    temporal: dict[str, dict[str, list[str]]],
) -> None:
    # en (updated August 23, 2024): "OpenAI’s announcement late last month" puts it after 21 July;
    # vi, dated 28 June 2024, already reported the ban as newly issued
    conflict = temporal[CONFLICT + "timex-en-announcement-late-last-month"]
    assert conflict["type"] == [AIA + "TemporalConflict"]
    assert (conflict["earliestDate"], conflict["latestDate"]) == (["2024-07-21"], ["2024-06-28"])
    assert conflict["earliestFrom"] == [
        TIMEX + "en-announcement-late-last-month",
        TIMEX + "en-dateline",
    ]
    assert TIMEX + "vi-dateline" in conflict["latestFrom"]
    assert ARTICLE + "vi-openai-bans-china-developers" in conflict["latestFrom"]
    assert conflict["setAside"] == [TIMEX + "en-announcement-late-last-month"]
    assert "set aside: en: “OpenAI’s announcement late last month”" in conflict["explanation"][0]
    assert CONFLICT + "timex-en-announcement-late-last-month" in temporal[ANNOUNCEMENT]["conflict"]


def test_last_month_conflicts_too_and_nothing_else_does(
    temporal: dict[str, dict[str, list[str]]],
) -> None:
    # en: "After OpenAI’s announcement last month" is July when read against August 23
    conflicts = sorted(s for s, p in temporal.items() if AIA + "TemporalConflict" in p["type"])
    assert conflicts == [
        CONFLICT + "timex-en-announcement-last-month",
        CONFLICT + "timex-en-announcement-late-last-month",
    ]
    assert temporal[conflicts[0]]["earliestDate"] == ["2024-07-01"]


def test_the_chinese_july_9_is_derived_not_stated(assembled: Assembled) -> None:
    # zh: "7月9号之后" has no year: the article graph keeps --07-09, the year is derived
    restriction = ox.NamedNode(ID + "policy/openai-api-restriction-china")
    zh = ox.NamedNode(ID.replace("/id/", "/graph/") + "article/zh-openai-china-api-ban")
    stated = [
        q.object.value
        for q in assembled.quads
        if q.subject == restriction
        and q.graph_name == zh
        and q.predicate.value.endswith("startDate")
    ]
    assert stated == ["--07-09"]


def test_the_restriction_is_stated_by_the_english_article(
    temporal: dict[str, dict[str, list[str]]],
) -> None:
    # en: "OpenAI’s API restriction in China started on July 9th, 2024."
    node = temporal[DERIVED + "policy-openai-api-restriction-china-start"]
    assert node["dateStatus"] == [AIA + "Stated"]
    assert node["earliestFrom"] == node["latestFrom"] == [TIMEX + "en-restriction-july-9-2024"]
    assert node["labelFrom"] == [ARTICLE + "en-azure-workaround"]


def test_the_hebrew_vpn_route_end_is_inferred(
    assembled: Assembled, temporal: dict[str, dict[str, list[str]]]
) -> None:
    # he: "הודעת OpenAI על ניתוק הגישה גם למשתמשים ב-VPN": no end date stated
    node = temporal[DERIVED + "policy-openai-vpn-access-route-china-end"]
    assert bounds(temporal, DERIVED + "policy-openai-vpn-access-route-china-end") == (
        "2024-07-09",
        "2024-07-09",
    )
    assert node["dateStatus"] == [AIA + "Derived"]
    assert node["earliestFrom"] == [
        TIMEX + "en-restriction-july-9-2024",
        TLINK + "he-vpn-route-ends-with-cut-off",
    ]
    route = ox.NamedNode(ID + "policy/openai-vpn-access-route-china")
    assert not [
        q for q in assembled.quads if q.subject == route and q.predicate.value.endswith("endDate")
    ]


def test_undated_articles_are_bounded_by_what_they_say(
    temporal: dict[str, dict[str, list[str]]],
) -> None:
    # he: "OpenAI ניתקה את קשריה עם סין החל מהשבוע" (as of this week), the cut-off on 9 July;
    # fr: "Cette année, OpenAI a interrompu ses services" and "à compter du 21 octobre"
    assert bounds(temporal, DERIVED + "article-he-azure-china-openai-published") == (
        "2024-07-03",
        "2024-07-15",
    )
    assert bounds(
        temporal, DERIVED + "article-fr-azure-openai-individual-developers-published"
    ) == (
        "2024-07-09",
        "2024-12-31",
    )
    end = DERIVED + "policy-azure-openai-individual-developers-end-start"
    assert bounds(temporal, end) == ("2024-10-21", "2024-10-21")
    # fr: "L’année dernière" (last year): the Xi–Gates talk
    assert bounds(temporal, DERIVED + "event-xi-jinping-bill-gates-meeting-start") == (
        "2023-01-01",
        "2023-12-31",
    )


def test_altman_returns_eleven_to_nineteen_days_after_his_ouster(
    temporal: dict[str, dict[str, list[str]]],
) -> None:
    # zh: "2023年11月18日…被扫地出门" then "来来回回地折腾了十多天"
    assert bounds(temporal, DERIVED + "event-sam-altman-returns-to-openai-start") == (
        "2023-11-29",
        "2023-12-07",
    )


def test_derived_values_stay_out_of_the_article_graphs(assembled: Assembled) -> None:
    derived = {AIA + "earliestDate", AIA + "latestDate", AIA + "dateStatus"}
    graphs = {q.graph_name.value for q in assembled.quads if q.predicate.value in derived}
    assert graphs == {TEMPORAL_GRAPH}


def test_derivation_is_deterministic(assembled: Assembled) -> None:
    data = [q for q in assembled.quads if q.graph_name != ox.NamedNode(TEMPORAL_GRAPH)]
    first = derive(GraphIndex.of(data), assembled.files)
    second = derive(GraphIndex.of(list(reversed(data))), assembled.files)
    assert sorted(map(str, first)) == sorted(map(str, second))


ZH = "data/articles/zh-openai-china-api-ban.ttl"


def _break(resources: Resources, old: str, new: str) -> None:
    """Replace ``old`` (which must be present) by ``new`` in the copied Chinese article."""
    path = resources.root / ZH
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_year_less_value_without_anchor_is_a_data_error(resources: Resources) -> None:
    quote = '    aia:evidence [\n        aia:quote "6月13日"'
    _break(resources, "    aia:anchor article:zh-openai-china-api-ban ;\n" + quote, quote)
    message = f"{ZH}: <{TIMEX}zh-nakasone-joins-13-june> is relative .* has no aia:anchor"
    with pytest.raises(DataError, match=message):
        assemble(resources)


def test_a_link_without_a_relation_is_a_data_error(resources: Resources) -> None:
    _break(resources, "    aia:relType aia:Simultaneous ;\n", "")
    with pytest.raises(
        DataError, match=f"<{TLINK}zh-board-reorganized-on-return> needs an aia:relType"
    ):
        assemble(resources)


def test_modelling_guide_documents_the_time_terms() -> None:
    guide = (Path(__file__).resolve().parents[1] / "docs" / "modelling.md").read_text(
        encoding="utf-8"
    )
    for term in (
        "aia:TimeExpression",
        "aia:TemporalLink",
        "aia:DerivedDate",
        "aia:TemporalConflict",
    ):
        assert term in guide
