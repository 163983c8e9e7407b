"""Every canned query on the shipped dataset, against what the five seed articles say.

Each expectation cites the seed sentence it comes from. Lists in cells are
sorted text that the build computes (aiaccess.valuelists), so some tests compare
them whole; others compare them as sets, where order is not the point.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox
import pytest

from aiaccess.dataset import Assembled
from aiaccess.namespaces import ID
from aiaccess.resources import default_resources
from aiaccess.sparql import Value, run_query

ALL = {"en", "fr", "he", "vi", "zh"}
RESTRICTION = ID + "policy/openai-api-restriction-china"
AZURE_ROUTE = ID + "policy/azure-openai-china-route"
AZURE_END = ID + "policy/azure-openai-individual-developers-end"
VPN_ROUTE = ID + "policy/openai-vpn-access-route-china"
REVENUE_SHARE = ID + "relation/microsoft-openai-revenue-share"
APPROVED_LLMS = ID + "quantity/china-approved-llms"
SEEDS = {
    "en": "001_3dd36336cd19a7fe.txt",
    "fr": "003_4cf94626ceaffd92.txt",
    "he": "000_b6cc69f0c4440825.txt",
    "vi": "004_ebfed251716e06e4.txt",
    "zh": "002_4e34bc0a721c555f.txt",
}

Row = dict[str, Value]


@pytest.fixture(scope="module")
def shipped(assembled: Assembled) -> ox.Store:
    """The shipped dataset in one store, shared by the read-only tests of this module."""
    store = ox.Store()
    store.bulk_extend(assembled.quads)
    return store


def rows(store: ox.Store, name: str, **params: object) -> list[Row]:
    """Run a canned query and return its rows as Python values."""
    return run_query(name, store=store, **params).rows


def listed(value: Value) -> set[str]:
    """Split a gathered list (``a, b``) into a set."""
    return {item.strip() for item in str(value or "").split(",") if item.strip()}


def where(found: list[Row], **match: object) -> list[Row]:
    """Return the rows whose columns equal ``match``."""
    return [row for row in found if all(row[k] == v for k, v in match.items())]


def one(found: list[Row], **match: object) -> Row:
    """Return the single row whose columns equal ``match``."""
    matching = where(found, **match)
    assert len(matching) == 1, f"{len(matching)} rows match {match}"
    return matching[0]


# --- timeline ---------------------------------------------------------------
# Dates are derived by the build (aiaccess.temporal); tests/test_temporal.py checks the
# derivations themselves, these check what the canned query shows of them.

ANNOUNCEMENT = ID + "event/openai-announces-api-restriction"
NAKASONE_JOINS = ID + "event/paul-nakasone-joins-openai"


def test_timeline_is_ordered_by_earliest_then_latest_day(shipped: ox.Store) -> None:
    found = rows(shipped, "timeline")
    keys = [(str(r["earliest"] or "0000"), str(r["latest"] or "9999")) for r in found]
    assert keys == sorted(keys)
    # no earliest bound first: vi reports the firms' reaction, so by its date (28/06/2024)
    assert (found[0]["earliest"], found[0]["latest"]) == (None, "2024-06-28")
    assert [r["date"] for r in found if r["earliest"] is not None][:3] == [
        "2022",
        "2023-01-01 – 2023-12-31",
        "2023-11-18",
    ]


def test_timeline_has_one_row_per_fact_and_date(shipped: ox.Store) -> None:
    # Nakasone's 13 June used to appear twice (once per precision); now once, derived
    found = rows(shipped, "timeline")
    assert len({(r["fact"], r["change"]) for r in found}) == len(found)
    joins = one(found, fact=NAKASONE_JOINS)
    assert (joins["date"], joins["status"], joins["actors"], joins["sources"]) == (
        "2024-06-13",
        "derived",
        "Paul Nakasone",
        "zh",
    )


def test_timeline_dates_the_restriction_as_stated_with_each_wording(shipped: ox.Store) -> None:
    # en: "OpenAI's API restriction in China started on July 9th, 2024." (stated with its year);
    # he: "החל מה-9 ביולי" and zh: "7月9号之后" give no year
    row = one(rows(shipped, "timeline"), fact=RESTRICTION)
    assert (row["date"], row["earliest"], row["latest"], row["status"], row["change"]) == (
        "2024-07-09",
        "2024-07-09",
        "2024-07-09",
        "stated",
        "start",
    )
    assert row["label"] == "OpenAI restricts API access from China"  # the en graph's words
    stated = str(row["stated"]).split("; ")
    assert stated == sorted(stated)
    assert "en: “started on July 9th, 2024” (started on July 9th, 2024) = 2024-07-09" in stated
    assert "he: “החל מה-9 ביולי” (as of 9 July) = --07-09 in the year of the he article's date" in (
        stated
    )
    assert (
        "zh: “7月9号之后” (after 9 July) = --07-09 in the year of the zh article's date" in stated
    )
    assert row["sources"] == "en, fr, he, vi, zh"


def test_timeline_derives_the_announcement_between_two_articles(shipped: ox.Store) -> None:
    # zh: Nakasone joined "6月13日" "就在OpenAI发布这则通知的前夕" (on the eve of the notice);
    # vi, dated 28/06/2024, reports "lệnh cấm mới được ban hành" (the newly issued ban)
    row = one(rows(shipped, "timeline"), fact=ANNOUNCEMENT)
    assert (row["date"], row["status"]) == ("2024-06-14 – 2024-06-28", "derived")
    assert (row["earliest"], row["latest"]) == ("2024-06-14", "2024-06-28")
    derivation = str(row["derivation"])
    assert derivation.startswith(
        "earliest 2024-06-14: timex/zh-dateline ⇒ article/zh-openai-china-api-ban published"
        " 2024-07-14; timex/zh-nakasone-joins-13-june ⇒ event/paul-nakasone-joins-openai start"
        " 2024-06-13; tlink/zh-nakasone-eve-of-notice ⇒ event/openai-announces-api-restriction"
        " start 2024-06-14 | latest 2024-06-28: timex/vi-dateline"
    )
    assert "the vi article's report" in derivation
    # en "late last month", read against its update date (23 August), clashes with vi's 28 June
    assert (
        "conflict: timex/en-announcement-late-last-month set aside (on or after 2024-07-21,"
        " but on or before 2024-06-28)"
    ) in derivation


def test_timeline_shows_inferred_and_year_less_dates_as_derived(shipped: ox.Store) -> None:
    # he: the VPN route ends with the cut-off ("ניתוק הגישה גם למשתמשים ב-VPN"), no date stated;
    # fr: "à compter du 21 octobre" in the year of the (undated) French article
    found = rows(shipped, "timeline")
    vpn = one(found, fact=VPN_ROUTE)
    assert (vpn["date"], vpn["change"], vpn["status"]) == ("2024-07-09", "end", "derived")
    end = one(found, fact=AZURE_END)
    assert (end["date"], end["status"], end["actors"]) == ("2024-10-21", "derived", "Microsoft")
    assert end["stated"] == (
        "fr: “informer les développeurs en Chine par e-mail de la cessation des services Azure"
        " OpenAI” (informing developers in China by e-mail of the end of the Azure OpenAI"
        " services) = on or after event/microsoft-emails-developers-azure-openai-end start;"
        " fr: “à compter du 21 octobre” (from 21 October) = --10-21 in the year of the fr"
        " article's date"
    )


def test_timeline_has_the_articles_dates(shipped: ox.Store) -> None:
    found = rows(shipped, "timeline")
    dates = {
        r["fact"].removeprefix(ID + "article/"): (r["change"], r["date"], r["status"])
        for r in found
        if str(r["fact"]).startswith(ID + "article/")
    }
    assert dates == {
        "vi-openai-bans-china-developers": ("published", "2024-06-28", "stated"),
        "zh-openai-china-api-ban": ("published", "2024-07-14", "stated"),
        "en-azure-workaround": ("modified", "2024-08-23", "stated"),
        # he: "OpenAI ניתקה את קשריה עם סין החל מהשבוע" (as of this week) around 9 July
        "he-azure-china-openai": ("published", "2024-07-03 – 2024-07-15", "derived"),
        # fr: "Cette année, OpenAI a interrompu ses services" (has stopped, this year)
        "fr-azure-openai-individual-developers": (
            "published",
            "2024-07-09 – 2024-12-31",
            "derived",
        ),
    }


def test_timeline_has_the_dated_events_of_the_chinese_article(shipped: ox.Store) -> None:
    # zh: "2023年11月18日,...Sam Altman被扫地出门"; "今年1月接受CNBC采访"; "十多天"; "2022年"
    found = rows(shipped, "timeline")
    ousted = one(found, fact=ID + "event/sam-altman-ousted-2023")
    assert (ousted["date"], ousted["status"]) == ("2023-11-18", "stated")
    cnbc = one(found, fact=ID + "event/paul-nakasone-cnbc-interview")
    assert (cnbc["earliest"], cnbc["latest"], cnbc["status"]) == (
        "2024-01-01",
        "2024-01-31",
        "derived",
    )
    back = one(found, fact=ID + "event/sam-altman-returns-to-openai")
    assert back["date"] == "2023-11-29 – 2023-12-07"
    co_investment = one(found, fact=ID + "relation/openai-in-q-tel-co-investment-2022")
    assert (co_investment["date"], co_investment["status"]) == ("2022", "stated")


# --- access restrictions ----------------------------------------------------


def test_access_restriction_of_openai_as_each_source_states_it(shipped: ox.Store) -> None:
    found = where(rows(shipped, "access-restrictions"), restriction=RESTRICTION)
    assert {row["language"] for row in found} == ALL
    services = {row["language"]: listed(row["service"]) for row in found}
    # he: "OpenAI ... עזיבתה את השוק הסיני" and its text, image and voice models, besides the API
    assert services.pop("he") == {"OpenAI models", "OpenAI API"}
    assert all(v == {"OpenAI API"} for v in services.values())
    assert {row["actor"] for row in found} == {"OpenAI"}
    starts = {row["language"]: row["start"] for row in found}
    assert starts == {
        "en": "2024-07-09",
        "fr": None,
        "he": "--07-09",
        "vi": None,
        "zh": "--07-09",  # "7月9号之后": the year is derived, not stated (see timeline)
    }
    # vi: "gồm cả Trung Quốc đại lục và Hồng Kông" (including mainland China and Hong Kong)
    by_language = {row["language"]: row for row in found}
    assert listed(by_language["vi"]["jurisdictions"]) == {"Mainland China", "Hong Kong"}
    # he: "ניתוק הגישה גם למשתמשים ב-VPN" (access cut off for VPN users too)
    assert "VPN users" in listed(by_language["he"]["audiences"])


def test_access_restriction_on_individual_developers_spares_enterprises(shipped: ox.Store) -> None:
    # fr: "la cessation des services Azure OpenAI pour les développeurs individuels situés en
    # Chine continentale, à compter du 21 octobre" ... "restera accessible aux clients d'entreprise"
    row = one(rows(shipped, "access-restrictions"), restriction=AZURE_END)
    assert row == {
        "restriction": AZURE_END,
        "label": row["label"],
        "actor": "Microsoft",
        "service": "Azure OpenAI Service",
        "jurisdictions": "Mainland China",
        "audiences": "individual developers",
        "spared": "enterprise customers",
        "start": "--10-21",
        "language": "fr",
        "source": ID + "article/fr-azure-openai-individual-developers",
    }


# --- continued-access routes -------------------------------------------------


def test_azure_route_as_four_sources_describe_it(shipped: ox.Store) -> None:
    found = where(rows(shipped, "continued-access-routes"), route=AZURE_ROUTE)
    by_language = {row["language"]: row for row in found}
    assert set(by_language) == {"en", "fr", "he", "zh"}
    assert {row["around"] for row in found} == {RESTRICTION}
    # he: "מיקרוסופט אז'ור סין, המופעלת בשיתוף פעולה עם חברת הטכנולוגיה המקומית 21Vianet"
    assert listed(by_language["he"]["operators"]) == {"21Vianet", "Microsoft"}
    # zh: "只要从微软官方渠道选定代理商签署三方协议,就能用Azure企业账号自助申请Open AI服务"
    assert "tripartite agreement" in str(by_language["zh"]["conditions"])
    assert listed(by_language["zh"]["audiences"]) == {"enterprise customers"}


def test_azure_route_is_narrowed_for_individual_developers_from_21_october(
    shipped: ox.Store,
) -> None:
    row = one(rows(shipped, "continued-access-routes"), route=AZURE_ROUTE, language="fr")
    assert (row["narrowed_by"], row["narrowed_from"], row["narrowed_for"]) == (
        AZURE_END,
        "--10-21",
        "individual developers",
    )
    # fr: "permettant aux clients locaux éligibles d'accéder aux modèles hébergés dans des
    # régions étrangères"
    assert "eligible" in str(row["conditions"])


def test_hong_kong_and_vpn_routes(shipped: ox.Store) -> None:
    found = rows(shipped, "continued-access-routes")
    # en: "Microsoft confirmed that it would continue to offer Azure OpenAI services to users in
    # Hong Kong."
    hong_kong = one(found, route=ID + "policy/azure-openai-hong-kong-route")
    assert (hong_kong["jurisdictions"], hong_kong["operators"]) == ("Hong Kong", "Microsoft")
    # he: VPN users were cut off too, but no end date is stated (the timeline derives it)
    vpn = one(found, route=VPN_ROUTE)
    assert (vpn["language"], vpn["ended"]) == ("he", None)
    assert (vpn["narrowed_by"], vpn["narrowed_from"]) == (RESTRICTION, "2024-07-09")
    assert "VPN users" in listed(vpn["audiences"])


# --- migration offers -------------------------------------------------------


def test_migration_offers_ranked_by_free_tokens(shipped: ox.Store) -> None:
    # vi: "Baidu đang cung cấp ... 50 triệu mã token miễn phí"; "SenseTime Group Inc. và
    # Zhipu AI cũng đang lần lượt phát hành 50 triệu và 150 triệu mã token"
    found = rows(shipped, "migration-offers")
    assert [(r["provider"], r["free_tokens"]) for r in found] == [
        ("Zhipu AI", 150_000_000),
        ("Baidu", 50_000_000),
        ("SenseTime Group Inc.", 50_000_000),
        ("01.AI", None),
        ("Alibaba Group", None),
        ("Baichuan", None),
        ("Tencent", None),
    ]
    assert {r["amount_from"] for r in found[:3]} == {"vi"}
    assert {r["unit"] for r in found[:3]} == {"tokens"}


def test_migration_offers_say_which_source_said_which_terms(shipped: ox.Store) -> None:
    found = {row["offer"]: row for row in rows(shipped, "migration-offers")}
    baidu = found[ID + "offer/baidu"]
    # he: "תוכניות "הגירה" והנחות"; vi: "Baidu đang cung cấp tính năng tinh chỉnh mô hình AI và
    # 50 triệu mã token miễn phí"
    assert str(baidu["terms"]).startswith('he: "Migration" plans and discounts')
    assert "; vi: AI model fine-tuning and 50 million free tokens" in str(baidu["terms"])
    assert baidu["amount"] == "vi: 50,000,000"
    assert found[ID + "offer/tencent"]["terms"] == (
        'he: "Migration" plans and discounts (listed jointly for Tencent, Baidu and Alibaba)'
    )


def test_migration_offers_sources(shipped: ox.Store) -> None:
    # he names Tencent, Baidu, Alibaba and Zhipu; vi names Zhipu AI, Alibaba, Baidu, Baichuan,
    # 01.ai and SenseTime
    sources = {r["provider"]: listed(r["sources"]) for r in rows(shipped, "migration-offers")}
    assert sources == {
        "Zhipu AI": {"he", "vi"},
        "Baidu": {"he", "vi"},
        "SenseTime Group Inc.": {"vi"},
        "01.AI": {"vi"},
        "Alibaba Group": {"he", "vi"},
        "Baichuan": {"vi"},
        "Tencent": {"he"},
    }


# --- corroboration ----------------------------------------------------------


def test_corroboration_counts_sources_per_fact(shipped: ox.Store) -> None:
    found = {row["fact"]: row for row in rows(shipped, "corroboration")}
    expected = {
        RESTRICTION: ALL,
        AZURE_ROUTE: {"en", "fr", "he", "zh"},
        ID + "event/openai-announces-api-restriction": {"en", "he", "vi", "zh"},
        APPROVED_LLMS: {"en", "vi"},
        ID + "relation/21vianet-operates-azure-china": {"he"},
        AZURE_END: {"fr"},
    }
    for fact, languages in expected.items():
        row = found[fact]
        assert (row["count"], row["languages"]) == (len(languages), ", ".join(sorted(languages)))
        assert row["status"] == ("corroborated" if len(languages) > 1 else "single source")
        assert (row["agreeing"], row["disagreeing"]) == (row["languages"], "")


def test_contradicting_sources_do_not_corroborate(shipped: ox.Store) -> None:
    # he: "OpenAI מקבלת 20% מכל הכנסה שמיקרוסופט מפיקה" (Microsoft pays OpenAI);
    # en: "OpenAI pays Microsoft to offer its services on Azure"
    row = one(rows(shipped, "corroboration"), fact=REVENUE_SHARE)
    assert (row["count"], row["languages"], row["status"]) == (2, "en, he", "contested")
    assert (row["agreeing"], row["disagreeing"]) == ("", "en, he")


def test_corroboration_gives_each_sources_wording(shipped: ox.Store) -> None:
    row = one(rows(shipped, "corroboration"), fact=REVENUE_SHARE)
    assert row["labels"] == (
        "en: OpenAI pays Microsoft, including a commission out of its API revenue; "
        "he: Microsoft pays OpenAI 20% of its revenue from selling OpenAI services"
    )
    assert "label" not in row


def test_corroboration_lists_single_source_facts_after_the_others(shipped: ox.Store) -> None:
    found = rows(shipped, "corroboration")
    counts = [row["count"] for row in found]
    assert counts == sorted(counts, reverse=True)
    assert {row["count"] for row in found if row["status"] == "single source"} == {1}
    assert {row["status"] for row in found} == {"corroborated", "contested", "single source"}


# --- source disagreements ----------------------------------------------------

OUTCOME = ID + "outcome/"


def disagreements(shipped: ox.Store, fact: str, aspect: str, **params: object) -> dict[str, Row]:
    """Return the rows of one finding by source language."""
    found = where(rows(shipped, "source-disagreements", **params), fact=fact, aspect=aspect)
    return {str(row["language"]): row for row in found}


def test_disagreement_on_who_pays_whom(shipped: ox.Store) -> None:
    # he: "OpenAI מקבלת 20% מכל הכנסה שמיקרוסופט מפיקה" (OpenAI receives 20% of Microsoft's revenue)
    # en: "OpenAI pays Microsoft to offer its services on Azure"
    found = disagreements(shipped, REVENUE_SHARE, "direction")
    assert {lang: row["stated"] for lang, row in found.items()} == {
        "en": "OpenAI → Microsoft",
        "he": "Microsoft → OpenAI",
    }
    assert {row["classification"] for row in found.values()} == {"conflict"}
    assert found["he"]["quotes"] == (
        "על פי תנאי ההסכם עם מיקרוסופט, OpenAI מקבלת 20% מכל הכנסה "
        "שמיקרוסופט מפיקה ממכירת שירותי OpenAI"
    )
    assert str(found["he"]["glosses"]).startswith("Under the terms of the agreement with Microsoft")
    assert found["en"]["quotes"] == (
        "OpenAI pays Microsoft to offer its services on Azure, and it also pays a commission "
        "to the software giant out of its API revenue."
    )


def test_disagreement_values_are_named_in_the_requested_language(shipped: ox.Store) -> None:
    found = disagreements(shipped, REVENUE_SHARE, "direction", lang="zh")
    assert found["he"]["stated"] == "微软 → OpenAI"


def test_hong_kong_is_a_difference_in_scope(shipped: ox.Store) -> None:
    # vi: "gồm cả Trung Quốc đại lục và Hồng Kông"; en: "OpenAI’s API restriction in China"
    found = disagreements(shipped, RESTRICTION, "jurisdiction")
    assert found["vi"]["stated"] == "Hong Kong, Mainland China"
    assert found["vi"]["quotes"] == (
        'từ "các quốc gia và vùng lãnh thổ không được hỗ trợ", '
        "gồm cả Trung Quốc đại lục và Hồng Kông"
    )
    assert {found[lang]["stated"] for lang in ("en", "fr", "he", "zh")} == {"China"}
    assert found["vi"]["classification"] == "difference"


def test_who_restricted_access_before_the_ban(shipped: ox.Store) -> None:
    # he: "OpenAI אסרה באופן רשמי את השימוש בטכנולוגיה שלה בסין זה מכבר" (OpenAI itself);
    # en: ChatGPT banned "as part of the government’s efforts"; fr: "mises en œuvre par le
    # gouvernement chinois"; vi names no one ("không chính thức khả dụng")
    found = disagreements(shipped, OUTCOME + "openai-unavailable-in-china-before-block", "actor")
    assert {lang: row["stated"] for lang, row in found.items()} == {
        "en": "Government of China",
        "fr": "Government of China",
        "he": "OpenAI",
    }
    assert "OpenAI אסרה באופן רשמי" in str(found["he"]["quotes"])
    assert "the government’s efforts" in str(found["en"]["quotes"])
    assert "OpenAI remains unsupported" not in str(found["en"]["quotes"])


def test_the_delivery_channel(shipped: ox.Store) -> None:
    # he: "מיקרוסופט אז'ור סין, המופעלת בשיתוף פעולה עם ... 21Vianet";
    # zh: "通过在中国以外地区部署的模式"
    operators = disagreements(shipped, AZURE_ROUTE, "operator")
    assert operators["he"]["stated"] == "21Vianet, Microsoft"
    assert {operators[lang]["stated"] for lang in ("en", "fr", "zh")} == {"Microsoft"}
    services = disagreements(shipped, AZURE_ROUTE, "service")
    assert services["he"]["stated"] == "Azure OpenAI Service, Microsoft Azure China"
    assert "21Vianet" in str(services["he"]["quotes"])
    terms = disagreements(shipped, AZURE_ROUTE, "terms")
    assert "hosted in foreign regions" in str(terms["fr"]["stated"])
    assert "在中国以外地区部署" in str(terms["zh"]["quotes"])


def test_who_may_use_azure_openai(shipped: ox.Store) -> None:
    # zh: "用Azure企业账号" (an Azure enterprise account); fr: "aux développeurs"; en: "users"
    found = disagreements(shipped, AZURE_ROUTE, "audience")
    assert {lang: row["stated"] for lang, row in found.items()} == {
        "en": "enterprise customers, users",
        "fr": "developers, enterprise customers",
        "he": "developers, enterprise customers, users",
        "zh": "enterprise customers",
    }
    assert "Azure企业账号" in str(found["zh"]["quotes"])
    assert "users can still access" in str(found["en"]["quotes"])


def test_what_openai_actually_did(shipped: ox.Store) -> None:
    # he: "עזיבתה את השוק הסיני" and "ניתוק הגישה גם למשתמשים ב-VPN"; zh: "封禁了中国用户"
    audiences = disagreements(shipped, RESTRICTION, "audience")
    assert audiences["he"]["stated"] == "VPN users, developers, enterprise customers"
    assert audiences["zh"]["stated"] == "developers, startups, users"
    assert audiences["en"]["stated"] == "developers"
    services = disagreements(shipped, RESTRICTION, "service")
    assert services["he"]["stated"] == "OpenAI API, OpenAI models"
    assert "תמונה וקול" in str(services["he"]["quotes"])


def test_opposite_stances_on_moving_to_chinese_models(shipped: ox.Store) -> None:
    # he: "ייתכן שחלופות אלה אינן הכרחיות"; fr: "se tournent de plus en plus vers les
    # solutions d’IA d’entreprises nationales"; vi: Zhou Hongyi "dự đoán rằng lệnh cấm sẽ thúc đẩy"
    found = disagreements(shipped, OUTCOME + "developers-move-to-chinese-models", "stance")
    assert {lang: row["stated"] for lang, row in found.items()} == {
        "fr": "affirms",
        "he": "denies",
        "vi": "affirms",
    }
    assert {row["classification"] for row in found.values()} == {"conflict"}


def test_credited_outlet_and_kind_of_microsofts_confirmation(shipped: ox.Store) -> None:
    # he: "על פי דיווח שפורסם ב-The Information"; zh: "接受媒体PYMNTS采访时表示";
    # fr: "Microsoft a annoncé son intention"
    fact = ID + "event/microsoft-confirms-azure-openai-china"
    outlets = disagreements(shipped, fact, "credited outlet")
    assert {lang: row["stated"] for lang, row in outlets.items()} == {
        "he": "The Information",
        "zh": "PYMNTS",
    }
    kinds = disagreements(shipped, fact, "type")
    assert {lang: row["stated"] for lang, row in kinds.items()} == {
        "fr": "announcement",
        "he": "statement",
        "zh": "statement",
    }


def test_refinements_are_not_disagreements(shipped: ox.Store) -> None:
    # en "July 9th, 2024" and he "9 ביולי" (no year): the same day at another precision;
    # en "more than a hundred" and vi "117": the same number, stated more precisely
    found = rows(shipped, "source-disagreements")
    assert not where(found, fact=RESTRICTION, aspect="start date")
    assert not where(found, fact=APPROVED_LLMS)
    assert {row["classification"] for row in found} == {"conflict", "difference"}


def test_refinements_stay_in_the_comparison_graph(shipped: ox.Store) -> None:
    query = """PREFIX aia: <https://w3id.org/aiaccess/ontology#>
    SELECT ?finding WHERE { GRAPH <https://w3id.org/aiaccess/graph/comparison> {
      ?finding aia:about <%s> ; aia:classification aia:Refinement } }"""
    found = shipped.query(query % APPROVED_LLMS)
    assert isinstance(found, ox.QuerySolutions)
    assert [row["finding"] for row in found] == [
        ox.NamedNode(ID + "finding/quantity-china-approved-llms/amount")
    ]


def test_no_disagreement_where_sources_agree(shipped: ox.Store) -> None:
    found = rows(shipped, "source-disagreements")
    agreed = {
        ID + "relation/microsoft-openai-partnership",
        ID + "relation/microsoft-investment-in-openai",
    }
    assert not [row for row in found if row["fact"] in agreed]


def test_every_disagreement_row_has_its_own_quote(shipped: ox.Store) -> None:
    for row in rows(shipped, "source-disagreements"):
        assert row["quotes"] and row["glosses"], row
        assert str(row["quotes"]).count(" | ") == str(row["glosses"]).count(" | ")


# --- relationships ----------------------------------------------------------


def test_relationships_with_direction_and_percentage(shipped: ox.Store) -> None:
    found = rows(shipped, "relationships")
    # he: "מיקרוסופט אז'ור סין, המופעלת בשיתוף פעולה עם ... 21Vianet"
    vianet = one(found, relation=ID + "relation/21vianet-operates-azure-china")
    assert (vianet["kind"], vianet["from_party"], vianet["to_party"], vianet["service"]) == (
        "Operating arrangement",
        "21Vianet",
        "Microsoft",
        "Microsoft Azure China",
    )
    shares = {r["language"]: r for r in where(found, relation=REVENUE_SHARE)}
    assert (shares["he"]["from_party"], shares["he"]["to_party"]) == ("Microsoft", "OpenAI")
    assert shares["he"]["percent"] == Decimal(20)
    assert (shares["en"]["from_party"], shares["en"]["to_party"], shares["en"]["percent"]) == (
        "OpenAI",
        "Microsoft",
        None,
    )


def test_partnership_and_investment(shipped: ox.Store) -> None:
    found = rows(shipped, "relationships")
    partnership = where(found, relation=ID + "relation/microsoft-openai-partnership")
    assert {r["language"] for r in partnership} == {"en", "he"}
    assert {frozenset(listed(r["parties"])) for r in partnership} == {
        frozenset({"Microsoft", "OpenAI"})
    }
    # en: "its investor's multi-billion dollar investment"; zh: "作为OpenAI的投资母公司——微软"
    investment = where(found, relation=ID + "relation/microsoft-investment-in-openai")
    assert {(r["language"], r["from_party"], r["to_party"]) for r in investment} == {
        ("en", "Microsoft", "OpenAI"),
        ("zh", "Microsoft", "OpenAI"),
    }


# --- people and roles -------------------------------------------------------


def test_people_and_roles(shipped: ox.Store) -> None:
    found = {
        (r["name"], r["role"], r["organization"], r["language"])
        for r in rows(shipped, "people-and-roles")
    }
    assert {
        ("Sam Altman", "chief executive officer", "OpenAI", "zh"),  # "OpenAI CEO 山姆·奥特曼"
        ("Zhou Hongyi", "chief executive officer", "Qihoo 360", "vi"),  # "Giám đốc điều hành"
        ("Joe Tsai", "chairman", "Alibaba Group", "vi"),  # "Chủ tịch Alibaba Joe Tsai"
        ("Xi Jinping", "president", "Government of China", "fr"),  # "le président chinois"
        ("Bill Gates", "co-founder", "Microsoft", "fr"),  # "le cofondateur de Microsoft"
        ("Paul Nakasone", "director", "National Security Agency", "zh"),  # "美国国家安全局局长"
    } <= found


def test_roles_the_article_calls_former_are_marked_ended(shipped: ox.Store) -> None:
    # zh: "中曾根曾经担任过美国国家安全局局长、美国中央安全局局长和美国网战司令部司令", and
    # "一位美国退役陆军上将" (a retired US Army general)
    nakasone = {
        (r["organization"], r["status"])
        for r in rows(shipped, "people-and-roles")
        if r["name"] == "Paul Nakasone"
    }
    assert nakasone == {
        ("National Security Agency", "former"),
        ("Central Security Service", "former"),
        ("United States Cyber Command", "former"),
        ("United States Army", "former"),  # "一位美国退役陆军上将——保罗·中曾根"
        ("OpenAI", "current"),  # "其安全团队刚刚迎来了……保罗·中曾根"
        ("OpenAI board of directors", "current"),  # "OpenAI新董事会成员"
    }
    chinese = one(
        rows(shipped, "people-and-roles", lang="zh"),
        membership=ID + "membership/paul-nakasone-nsa-director",
    )
    # the role in the article's own words: "美国国家安全局局长"
    assert (chinese["name"], chinese["role"], chinese["organization"], chinese["status"]) == (
        "保罗·中曾根",
        "局长",
        "美国国家安全局",
        "曾任",
    )


def test_people_named_without_a_membership_are_listed_with_their_title(
    shipped: ox.Store,
) -> None:
    # en byline: "Dave Andre" / "Editor"; no organization is named
    row = one(rows(shipped, "people-and-roles"), person=ID + "person/dave-andre")
    assert (row["name"], row["role"], row["organization"], row["membership"]) == (
        "Dave Andre",
        "Editor",
        None,
        None,
    )
    assert (row["language"], row["source"]) == ("en", ID + "article/en-azure-workaround")


def test_role_start_date_as_stated(shipped: ox.Store) -> None:
    # zh: "6月13日,其安全团队刚刚迎来了一位美国退役陆军上将——保罗·中曾根"
    row = one(
        rows(shipped, "people-and-roles"),
        membership=ID + "membership/paul-nakasone-openai-safety-team",
    )
    assert (row["organization"], row["start"], row["end"]) == ("OpenAI", "--06-13", None)


# --- articles and attribution -----------------------------------------------


def test_articles_with_what_each_seed_states_about_itself(shipped: ox.Store) -> None:
    found = {r["language"]: r for r in rows(shipped, "articles")}
    assert set(found) == ALL
    en, zh, vi = found["en"], found["zh"], found["vi"]
    # en byline: "Dave Andre" / "August 23, 2024" / "Updated"; "The latest report comes from
    # The Information"
    assert (en["author"], en["updated"], en["published"], en["credits"]) == (
        "Dave Andre",
        "2024-08-23",
        None,
        "The Information",
    )
    # zh: "chatGPT网址2024-07-1440", "本文链接:https://gptwangzhi.top/chatgpt/498.html"; the
    # article credits PYMNTS ("接受媒体PYMNTS采访") and CNBC ("接受CNBC采访")
    assert (zh["headline"], zh["published"], zh["site"], zh["url"]) == (
        "OpenAI跟中国掀桌子,到底砸向谁?",
        "2024-07-14",
        "chatGPT网址 (gptwangzhi.top)",
        "https://gptwangzhi.top/chatgpt/498.html",
    )
    assert listed(zh["credits"]) == {"CNBC", "PYMNTS"}
    # vi: "Thứ Sáu, 28/06/2024 09:38"; no author, site or URL
    assert (vi["published"], vi["author"], vi["site"], vi["url"]) == (
        "2024-06-28T09:38:00",
        "",
        "",
        None,
    )
    assert found["fr"]["credits"] == "ITHome"  # "Via : ITHome"
    assert found["he"]["credits"] == "The Information"  # "על פי דיווח שפורסם ב-The Information"
    assert found["he"]["headline"] is None  # the Hebrew seed has no headline


def test_attribution_chains_article_outlet_speaker(shipped: ox.Store) -> None:
    chains = {
        (r["language"], r["outlet"], r["speaker"], r["fact"]) for r in rows(shipped, "attribution")
    }
    assert chains == {
        # "The latest report comes from The Information"
        ("en", "The Information", "", ID + "article/en-azure-workaround"),
        ("en", "The Information", "", AZURE_ROUTE),
        (
            "en",
            "The Information",
            "The Information",
            ID + "event/the-information-reports-azure-openai-china-access",
        ),
        (
            "fr",
            "ITHome",
            "",
            ID + "article/fr-azure-openai-individual-developers",
        ),  # "Via : ITHome"
        # "על פי דיווח שפורסם ב-The Information, מיקרוסופט אישרה"
        ("he", "The Information", "Microsoft", ID + "event/microsoft-confirms-azure-openai-china"),
        # "在今年1月接受CNBC采访的时候"
        ("zh", "CNBC", "Paul Nakasone", ID + "event/paul-nakasone-cnbc-interview"),
        # "微软发言人也在接受媒体PYMNTS采访时表示"
        ("zh", "PYMNTS", "Microsoft", ID + "event/microsoft-confirms-azure-openai-china"),
    }


def test_attribution_quotes_the_words_that_name_the_outlet(shipped: ox.Store) -> None:
    found = rows(shipped, "attribution", lang="zh")
    pymnts = one(found, outlet="PYMNTS")
    assert (pymnts["speaker"], pymnts["quotes"]) == (
        MICROSOFT_ZH,
        "微软发言人也在接受媒体PYMNTS采访时表示",
    )
    nakasone = one(found, outlet="CNBC")
    assert (nakasone["speaker"], nakasone["quotes"]) == (
        "保罗·中曾根",
        "在今年1月接受CNBC采访的时候",
    )
    route = one(rows(shipped, "attribution"), fact=AZURE_ROUTE)
    assert route["quotes"] == ""  # none of the route's quotes names The Information


# --- government actions -----------------------------------------------------


def test_government_actions_and_their_targets(shipped: ox.Store) -> None:
    found = {row["measure"]: row for row in rows(shipped, "government-actions")}
    chips = found[ID + "policy/us-ai-chip-export-controls"]
    assert (chips["kind"], chips["actors"], chips["targets"]) == (
        "Export control",
        "United States government",
        "China",
    )
    assert listed(chips["sources"]) == {"en", "vi"}  # he speaks of advanced technology, not chips
    # he: "חקיקה דו-מפלגתית המבקשת להקל על חסימת מכירת בינה מלאכותית מארצות הברית לסין"
    bill = found[ID + "policy/us-ai-sales-bill"]
    assert (bill["kind"], bill["targets"], bill["sources"]) == ("Legislation", "China", "he")
    # zh: "美国财政部一发布对中国投资限制的规则"
    treasury = found[ID + "policy/us-treasury-china-investment-rule"]
    assert (treasury["kind"], treasury["actors"], treasury["sources"]) == (
        "Investment rule",
        "United States Department of the Treasury",
        "zh",
    )
    approvals = found[ID + "policy/china-llm-approvals"]
    assert (approvals["kind"], listed(approvals["sources"])) == ("Model approval", {"en", "vi"})
    # en and he put the measure in the United States; vi does not say where
    assert chips["jurisdictions"] == "United States"
    chatgpt = found[ID + "policy/china-chatgpt-ban"]
    assert (chatgpt["kind"], chatgpt["services"], listed(chatgpt["sources"])) == (
        "Service ban",
        "ChatGPT",
        {"en", "fr"},
    )
    # en: "ChatGPT is already banned in China, where authorities exercise strict control"; fr
    # names no actor: what one source attributes is not lost when another is silent
    assert chatgpt["actors"] == "Government of China"


def test_government_actions_say_which_source_said_what(shipped: ox.Store) -> None:
    found = {row["measure"]: row for row in rows(shipped, "government-actions")}
    chips = found[ID + "policy/us-ai-chip-export-controls"]
    # en: "the US’s extensive chip restrictions, which also target AI chips"; vi: "những nỗ lực
    # của chính phủ Hoa Kỳ nhằm hạn chế ... công nghệ bán dẫn và AI tiên tiến"
    assert chips["labels"] == (
        "en: US chip restrictions, which also target AI chips; "
        "vi: U.S. restrictions on China's access to semiconductors and advanced AI"
    )
    assert chips["actors_by_source"] == (
        "en: United States government; vi: United States government"
    )
    assert str(chips["terms"]).startswith("en: The US’s extensive chip restrictions")
    assert "; vi: U.S. government efforts to restrict China's expansion" in str(chips["terms"])
    # he speaks of cutting China off from advanced technology, not of chips: its own measure
    cutoff = found[ID + "policy/us-advanced-technology-cutoff-china"]
    assert (cutoff["kind"], cutoff["sources"]) == ("Export control", "he")
    chatgpt = found[ID + "policy/china-chatgpt-ban"]
    assert chatgpt["labels"] == (
        "en: ChatGPT is banned in China; fr: ChatGPT is not available in China"
    )
    assert chatgpt["actors_by_source"] == "en: Government of China"


def test_government_actions_in_chinese(shipped: ox.Store) -> None:
    found = {row["measure"]: row for row in rows(shipped, "government-actions", lang="zh")}
    treasury = found[ID + "policy/us-treasury-china-investment-rule"]
    assert (treasury["actors"], treasury["targets"]) == ("美国财政部", "中国")


def test_quantities_in_words_as_stated(shipped: ox.Store) -> None:
    found = {row["quantity"]: row for row in rows(shipped, "quantities")}
    # en: "approved more than a hundred local large language models"; vi: "117 được phê duyệt"
    assert found[APPROVED_LLMS]["amounts"] == "en: more than 100; vi: 117"
    # zh: "在全球范围内会有10-20个基础的大语言模型存在"
    predicted = found[ID + "quantity/altman-predicted-foundation-llms"]
    assert (predicted["amounts"], predicted["units"]) == (
        "zh: 10–20",
        "zh: foundation large language models",
    )
    # zh: "十多天" (more than ten days); vi: "hơn 200 LLM" (more than 200)
    assert found[ID + "quantity/altman-ouster-duration"]["amounts"] == "zh: more than 10"
    assert found[ID + "quantity/china-self-developed-llms"]["amounts"] == "vi: more than 200"
    # en: "NVIDIA’s $3.15 trillion market capitalization"
    assert found[ID + "quantity/nvidia-market-capitalization"]["amounts"] == (
        "en: 3,150,000,000,000"
    )
    assert not any("at least" in str(row["amounts"]) for row in found.values())


# --- coverage by source -----------------------------------------------------


def test_coverage_counts_mentions_from_the_index(shipped: ox.Store) -> None:
    found = rows(shipped, "coverage-by-source")
    assert {row["language"] for row in found} == ALL
    mentions = {(r["language"], r["name"]): r["mentions"] for r in found if r["kind"] != "Event"}
    # he repeats its first line as the fifth paragraph: 21Vianet twice
    assert mentions["he", "21Vianet"] == 2
    # vi: "công ty Zhipu AI có trụ sở tại Bắc Kinh" and "SenseTime Group Inc. và Zhipu AI"
    assert mentions["vi", "Zhipu AI"] == 2
    assert mentions["fr", "ITHome"] == 1
    assert ("vi", "Microsoft") not in mentions


def test_coverage_lists_the_events_each_article_reports(shipped: ox.Store) -> None:
    events = {
        (r["language"], r["item"])
        for r in rows(shipped, "coverage-by-source")
        if r["kind"] == "Event"
    }
    assert ("fr", ID + "event/microsoft-emails-developers-azure-openai-end") in events
    assert {
        lang for lang, item in events if item == ID + "event/openai-announces-api-restriction"
    } == {
        "en",
        "he",
        "vi",
        "zh",
    }


def test_coverage_titles_follow_the_requested_language(shipped: ox.Store) -> None:
    def vi_titles(lang: str) -> set[Value]:
        found = rows(shipped, "coverage-by-source", lang=lang)
        return {row["title"] for row in found if row["language"] == "vi"}

    assert vi_titles("vi") == {"OpenAI cấm cửa các nhà phát triển đến từ Trung Quốc"}
    assert vi_titles("en") == {"Vietnamese news article: OpenAI bans developers from China"}


# --- entity profile ---------------------------------------------------------


def test_entity_profile_of_microsoft_by_source(shipped: ox.Store) -> None:
    found = rows(shipped, "entity-profile")
    registry = where(
        found, graph="https://w3id.org/aiaccess/graph/registry", property="surface form"
    )
    assert {"微软 @zh", "מיקרוסופט @he", "Microsoft @en"} <= {r["object"] for r in registry}
    ended = one(found, fact=AZURE_END, property="actor")
    assert (ended["language"], ended["object"]) == ("fr", "Microsoft")
    assert "à compter du 21 octobre" in str(ended["quotes"])
    mentioned_by = {r["fact"] for r in where(found, property="mentions")}
    assert mentioned_by == {
        ID + f"article/{slug}"
        for slug in (
            "en-azure-workaround",
            "fr-azure-openai-individual-developers",
            "he-azure-china-openai",
            "zh-openai-china-api-ban",
        )
    }
    # the mention index says which articles name it; its tallies are counts, not statements
    index = where(found, graph="https://w3id.org/aiaccess/graph/mentions")
    assert {r["property"] for r in index} == {"mentions"}


def test_entity_profile_takes_a_short_iri(shipped: ox.Store) -> None:
    found = rows(shipped, "entity-profile", entity="org/21vianet")
    facts = {(r["language"], r["fact"], r["property"]) for r in found if r["language"]}
    assert facts == {
        ("he", ID + "relation/21vianet-operates-azure-china", "from party"),
        ("he", AZURE_ROUTE, "operated by"),
    }
    operates = one(found, fact=ID + "relation/21vianet-operates-azure-china")
    assert "21Vianet" in str(operates["quotes"])


def test_entity_profile_of_a_fact_lists_its_own_statements(shipped: ox.Store) -> None:
    found = rows(shipped, "entity-profile", entity=AZURE_END)
    own = {(r["property"], r["object"]) for r in found if r["fact"] == AZURE_END}
    assert {("startDate", "--10-21"), ("excluded audience", "enterprise customers")} <= own


# --- evidence for -----------------------------------------------------------


def test_evidence_offsets_point_at_the_quote_in_the_seed(shipped: ox.Store) -> None:
    seeds = default_resources().seeds
    found = rows(shipped, "evidence-for")
    assert {row["language"] for row in found} == ALL
    for row in found:
        text = Path(seeds, SEEDS[str(row["language"])]).read_text(encoding="utf-8")
        assert text[int(str(row["start"])) : int(str(row["end"]))] == row["quote"]
    english = where(found, language="en")
    assert "OpenAI’s API restriction in China started on July 9th, 2024." in {
        row["quote"] for row in english
    }


def test_evidence_text_is_the_quote_in_the_requested_language(shipped: ox.Store) -> None:
    found = rows(
        shipped, "evidence-for", resource="relation/microsoft-openai-revenue-share", lang="he"
    )
    by_language = {row["language"]: row for row in found}
    assert set(by_language) == {"en", "he"}
    assert by_language["he"]["text"] == by_language["he"]["quote"]
    assert "20%" in str(by_language["he"]["quote"])
    assert by_language["en"]["text"] == by_language["en"]["gloss"]


# --- predictions and opinions -----------------------------------------------


def test_predictions_and_opinions_with_claimants(shipped: ox.Store) -> None:
    found = rows(shipped, "predictions-and-opinions")
    assert {row["certainty"] for row in found} == {"predicted", "speculated", "opinion"}
    order = {"predicted": 0, "speculated": 1, "opinion": 2}
    ranks = [order[str(row["certainty"])] for row in found]
    assert ranks == sorted(ranks)
    # vi: "Zhou Hongyi ... dự đoán rằng lệnh cấm sẽ thúc đẩy người dùng đại lục ..."
    zhou = one(found, fact=ID + "claim/ban-boosts-chinese-ai", language="vi")
    assert (zhou["certainty"], zhou["claimant"]) == ("predicted", "Zhou Hongyi")
    # vi: "Chủ tịch Alibaba Joe Tsai ước tính sẽ mất hai năm"
    tsai = one(found, fact=ID + "claim/joe-tsai-china-ai-two-years-behind")
    assert (tsai["certainty"], tsai["claimant"]) == ("predicted", "Joe Tsai")
    assert listed(tsai["about"]) == {"China", "United States"}
    # zh: "这位就直接说到“美国人工智能领域的领先地位正在被中国窃取和攻击”"
    nakasone = one(found, fact=ID + "claim/nakasone-china-stealing-us-ai-lead")
    assert (nakasone["certainty"], nakasone["claimant"]) == ("opinion", "Paul Nakasone")


def test_predictions_leave_out_reported_facts(shipped: ox.Store) -> None:
    facts = {row["fact"] for row in rows(shipped, "predictions-and-opinions")}
    assert RESTRICTION not in facts
    assert ID + "claim/microsoft-cites-regulatory-requirements" not in facts


# --- names in the requested language ---------------------------------------

# zh: "作为OpenAI的投资母公司——微软"; the registry labels org:microsoft "微软"@zh
MICROSOFT_ZH = "微软"
HONG_KONG_ROUTE = ID + "policy/azure-openai-hong-kong-route"
GATES = ID + "membership/bill-gates-microsoft-co-founder"


@pytest.mark.parametrize(
    ("name", "match", "column"),
    [
        ("timeline", {"fact": AZURE_END}, "actors"),
        ("relationships", {"relation": REVENUE_SHARE, "language": "en"}, "to_party"),
        ("access-restrictions", {"restriction": AZURE_END}, "actor"),
        ("continued-access-routes", {"route": HONG_KONG_ROUTE}, "operators"),
        ("people-and-roles", {"membership": GATES}, "organization"),
        # the entity names of coverage-by-source are chosen outside the UNION that finds them
        ("coverage-by-source", {"language": "en", "item": ID + "org/microsoft"}, "name"),
    ],
)
def test_organization_names_follow_the_requested_language(
    shipped: ox.Store, name: str, match: dict[str, object], column: str
) -> None:
    assert one(rows(shipped, name), **match)[column] == "Microsoft"
    assert one(rows(shipped, name, lang="zh"), **match)[column] == MICROSOFT_ZH
    assert one(rows(shipped, name, lang="de"), **match)[column] == "Microsoft"  # no German name


def test_lang_option_of_the_command_line_names_microsoft_in_chinese() -> None:
    from click.testing import CliRunner

    from aiaccess.cli import main

    for name in ("timeline", "relationships"):
        result = CliRunner().invoke(main, ["query", name, "--lang", "zh", "--format", "csv"])
        assert result.exit_code == 0, result.output
        assert MICROSOFT_ZH in result.stdout


def test_access_restrictions_in_chinese_name_audiences_in_chinese(shipped: ox.Store) -> None:
    # fr: "restera accessible aux clients d'entreprise" (spared), "développeurs individuels"
    row = one(rows(shipped, "access-restrictions", lang="zh"), restriction=AZURE_END)
    assert (row["actor"], row["audiences"], row["spared"]) == (
        MICROSOFT_ZH,
        "个人开发者",
        "企业客户",
    )
    # zh: "套壳ChatGPT做一些 AI 应用" (startups), API developers and "封禁了中国用户" (users)
    zh = one(
        rows(shipped, "access-restrictions", lang="zh"), restriction=RESTRICTION, language="zh"
    )
    assert listed(zh["audiences"]) == {"初创企业", "开发者", "用户"}


def test_command_line_prints_kinds_and_audiences_in_chinese() -> None:
    from click.testing import CliRunner

    from aiaccess.cli import main

    runner = CliRunner()
    restrictions = runner.invoke(main, ["query", "access-restrictions", "--lang", "zh"])
    assert restrictions.exit_code == 0, restrictions.output
    assert "个人开发者" in restrictions.stdout and "企业客户" in restrictions.stdout
    assert "enterprise customers" not in restrictions.stdout
    kinds = runner.invoke(main, ["query", "relationships", "--lang", "zh", "--format", "csv"])
    assert {"收入分成", "合作伙伴关系", "运营安排", "投资"} <= set(
        kinds.stdout.replace("\r", "").split(",")
    )


def test_lists_with_nothing_to_list_are_empty_strings(shipped: ox.Store) -> None:
    # zh: "Sam Altman被扫地出门" says nobody who ousted him; only fr names whom a restriction
    # spares ("restera accessible aux clients d'entreprise"): an empty list is "" on every engine
    ousted = one(rows(shipped, "timeline"), fact=ID + "event/sam-altman-ousted-2023")
    assert ousted["actors"] == ""
    spared = {row["spared"] for row in rows(shipped, "access-restrictions")}
    assert spared == {"", "enterprise customers"}


# --- temporal conflicts -------------------------------------------------------

LATE_LAST_MONTH = ID + "temporal-conflict/timex-en-announcement-late-last-month"


def test_temporal_conflicts_are_the_english_last_month_against_the_vietnamese_date(
    shipped: ox.Store,
) -> None:
    # en, updated "August 23, 2024": "OpenAI’s announcement late last month" and "After
    # OpenAI’s announcement last month"; vi, dated "Thứ Sáu, 28/06/2024 09:38", already reports
    # the ban ("lệnh cấm mới được ban hành")
    found = rows(shipped, "temporal-conflicts")
    assert {r["conflict"] for r in found} == {
        LATE_LAST_MONTH,
        ID + "temporal-conflict/timex-en-announcement-last-month",
    }
    assert {(r["fact"], r["date_of"]) for r in found} == {(ANNOUNCEMENT, "startDate")}
    late = where(found, conflict=LATE_LAST_MONTH)
    assert [(r["side"], r["bound"], r["language"], r["quote"], r["set_aside"]) for r in late] == [
        ("earliest", "2024-07-21", "en", "OpenAI’s announcement late last month", "yes"),
        ("earliest", "2024-07-21", "en", "August 23, 2024", "no"),
        ("latest", "2024-06-28", "vi", "", "no"),
        ("latest", "2024-06-28", "vi", "lệnh cấm mới được ban hành", "no"),
        ("latest", "2024-06-28", "vi", "Quyết định mới nhất của OpenAI", "no"),
        ("latest", "2024-06-28", "vi", "Thứ Sáu, 28/06/2024 09:38", "no"),
    ]


def test_temporal_conflicts_give_each_statement_its_source_and_gloss(shipped: ox.Store) -> None:
    found = where(rows(shipped, "temporal-conflicts"), conflict=LATE_LAST_MONTH)
    dateline = one(found, statement=ID + "timex/vi-dateline")
    assert (dateline["gloss"], dateline["source"]) == (
        "Friday, 28/06/2024 09:38",
        ID + "article/vi-openai-bans-china-developers",
    )
    english = one(found, statement=ID + "timex/en-dateline")
    assert english["source"] == ID + "article/en-azure-workaround"
    assert english["gloss"] == "August 23, 2024 (the byline marks it “Updated”)"
    assert dateline["text"] == "Friday, 28/06/2024 09:38"
    in_vietnamese = rows(shipped, "temporal-conflicts", lang="vi")
    own = one(in_vietnamese, conflict=LATE_LAST_MONTH, statement=ID + "timex/vi-dateline")
    assert own["text"] == "Thứ Sáu, 28/06/2024 09:38"


# --- lists in cells: sorted by the build, the same text on every engine ------


def test_restriction_lists_are_sorted_text(shipped: ox.Store) -> None:
    # he: the restriction as the Hebrew article tells it touches developers, VPN users and
    # enterprise customers; vi: "gồm cả Trung Quốc đại lục và Hồng Kông"
    found = rows(shipped, "access-restrictions")
    hebrew = one(found, restriction=RESTRICTION, language="he")
    assert hebrew["audiences"] == "VPN users, developers, enterprise customers"
    assert hebrew["service"] == "OpenAI API, OpenAI models"
    vietnamese = one(found, restriction=RESTRICTION, language="vi")
    assert vietnamese["jurisdictions"] == "Hong Kong, Mainland China"
    in_chinese = rows(shipped, "access-restrictions", lang="zh")
    chinese = one(in_chinese, restriction=RESTRICTION, language="he")
    assert chinese["audiences"] == "VPN用户, 企业客户, 开发者"


def test_route_lists_are_sorted_text(shipped: ox.Store) -> None:
    # en: users and enterprises in China and on the mainland reach OpenAI's models through
    # Azure; fr: "pour les développeurs individuels situés en Chine continentale"
    found = rows(shipped, "continued-access-routes")
    english = one(found, route=AZURE_ROUTE, language="en")
    assert (english["jurisdictions"], english["audiences"]) == (
        "China, Mainland China",
        "enterprise customers, users",
    )
    assert one(found, route=AZURE_ROUTE, language="fr")["audiences"] == (
        "developers, enterprise customers"
    )


def test_relationship_parties_are_sorted_text(shipped: ox.Store) -> None:
    # zh: "OpenAI公司与In-Q-Tel公司共同投资了另一家公司"; en: "Along with OpenAI, it also
    # offers products from Facebook’s parent Meta"
    found = rows(shipped, "relationships", lang="zh")
    co_investment = one(found, relation=ID + "relation/openai-in-q-tel-co-investment-2022")
    assert co_investment["from_party"] == "In-Q-Tel, OpenAI"
    meta = one(found, relation=ID + "relation/microsoft-meta-azure-partnership")
    assert meta["parties"] == "Meta Platforms, 微软"


def test_article_credits_and_claim_topics_are_sorted_text(shipped: ox.Store) -> None:
    # zh: "接受CNBC采访" and "接受媒体PYMNTS采访"; vi: OpenAI's ban speeds up China's own AI
    chinese = one(rows(shipped, "articles"), language="zh")
    assert chinese["credits"] == "CNBC, PYMNTS"
    claims = rows(shipped, "predictions-and-opinions", lang="zh")
    claim = one(claims, fact=ID + "claim/openai-ban-accelerates-china-ai-self-reliance")
    assert claim["about"] == "OpenAI restricts API access from China, 中国"


def test_quotes_in_a_cell_are_sorted_text(shipped: ox.Store) -> None:
    # zh: "微软发言人也在接受媒体PYMNTS采访时表示" "微软在中国提供的Azure OpenAI服务没有任何变化"
    found = rows(shipped, "entity-profile", entity="org/pymnts")
    confirmed = one(found, fact=ID + "event/microsoft-confirms-azure-openai-china")
    assert confirmed["quotes"] == (
        "微软发言人也在接受媒体PYMNTS采访时表示 | 微软在中国提供的Azure OpenAI服务没有任何变化"
    )
    credit = one(rows(shipped, "attribution"), outlet="PYMNTS")
    assert credit["quotes"] == "微软发言人也在接受媒体PYMNTS采访时表示"


# --- running queries: parameters, languages, endpoints -----------------------

EX = "http://example.com/"
LANG_DATA = f"""
<{ID}article/x> a <https://w3id.org/aiaccess/ontology#Article> ;
    <https://schema.org/inLanguage> "fr" .
<{ID}membership/m> a <https://w3id.org/aiaccess/ontology#Membership> ;
    <http://www.w3.org/ns/org#member> <{ID}person/p> ;
    <http://www.w3.org/ns/org#organization> <{ID}org/o> ;
    <http://www.w3.org/ns/org#role> <{ID}role/r> .
"""
LANG_REGISTRY = f"""
<{ID}person/p> <http://www.w3.org/2000/01/rdf-schema#label> "Xi Jinping"@en , "习近平"@zh .
<{ID}org/o> <http://www.w3.org/2000/01/rdf-schema#label> "Government of China"@en .
<{ID}role/r> <http://www.w3.org/2000/01/rdf-schema#label> "president"@en , "président"@fr .
<https://w3id.org/aiaccess/ontology#CurrentRole> <http://www.w3.org/2000/01/rdf-schema#label>
    "current"@en , "现任"@zh ;
    <http://www.w3.org/2004/02/skos/core#inScheme>
        <https://w3id.org/aiaccess/ontology#RoleStatusScheme> .
"""


@pytest.fixture
def tiny() -> ox.Store:
    """A fresh store with one role and labels in several languages."""
    store = ox.Store()
    store.load(LANG_DATA, ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(EX + "article"))
    store.load(LANG_REGISTRY, ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(EX + "registry"))
    return store


@pytest.mark.parametrize(
    ("lang", "name", "role"),
    [
        ("en", "Xi Jinping", "president"),
        ("zh", "习近平", "president"),
        ("fr", "Xi Jinping", "président"),
        ("de", "Xi Jinping", "president"),
    ],
)
def test_labels_in_the_requested_language_fall_back_to_english(
    tiny: ox.Store, lang: str, name: str, role: str
) -> None:
    row = one(rows(tiny, "people-and-roles", lang=lang))
    assert (row["name"], row["role"], row["organization"]) == (name, role, "Government of China")
    assert row["status"] == ("现任" if lang == "zh" else "current")


def test_parameters_bind_every_where_clause_including_subqueries() -> None:
    from aiaccess.sparql import bind

    text = "SELECT * WHERE { ?s ?p ?o { SELECT ?s WHERE { ?s ?q ?o } } } # WHERE { in a comment"
    bound = bind(text, {"o": ox.Literal("a")})
    assert bound.count('VALUES (?o) { ("a") }') == 2
    assert bound.endswith("# WHERE { in a comment")


def test_string_values_stay_one_literal() -> None:
    from aiaccess.catalog import parse

    query = parse(
        "#+ params:\n#+   - s (string, default x): any text\nSELECT ?v WHERE { BIND(?s AS ?v) }"
    )
    tricky = '") } } ; DROP ALL # \n\\ "'
    assert run_query(query, store=ox.Store(), s=tricky).rows == [{"v": tricky}]


def test_integer_parameters() -> None:
    from aiaccess.catalog import parse
    from aiaccess.errors import ParameterError

    query = parse(
        "#+ params:\n#+   - n (integer, default 2): a number\n"
        "SELECT ?m WHERE { BIND(?n + 1 AS ?m) }"
    )
    assert run_query(query, store=ox.Store()).rows == [{"m": 3}]
    assert run_query(query, store=ox.Store(), n="41").rows == [{"m": 42}]
    with pytest.raises(ParameterError, match="'many' is not an integer"):
        run_query(query, store=ox.Store(), n="many")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "2024"}, "query timeline has no parameter 'year'; its parameters: lang"),
        ({"lang": "en-"}, "'en-' is not a language tag"),
        ({"lang": 'en") }'}, "is not a language tag"),
    ],
)
def test_bad_parameters_are_refused(
    shipped: ox.Store, params: dict[str, str], message: str
) -> None:
    from aiaccess.errors import ParameterError

    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run_query("timeline", store=shipped, **params)


def test_bad_iri_parameter_is_refused(shipped: ox.Store) -> None:
    from aiaccess.errors import ParameterError

    with pytest.raises(ParameterError, match="parameter entity: 'org/open ai' is not an IRI"):
        run_query("entity-profile", store=shipped, entity="org/open ai")


def test_unknown_query_name_suggests_close_ones() -> None:
    from aiaccess.errors import UnknownQueryError

    with pytest.raises(
        UnknownQueryError, match=r"no canned query 'time-line' \(did you mean timeline\?\)"
    ):
        run_query("time-line", store=ox.Store())


def test_malformed_sparql_is_a_query_error() -> None:
    from aiaccess.errors import QueryError

    with pytest.raises(QueryError, match="SPARQL syntax error: error at 1:"):
        run_query("SELECT * WHERE { ?s ?p }", store=ox.Store())


def test_construct_queries_are_refused() -> None:
    from aiaccess.errors import QueryError

    with pytest.raises(QueryError, match="only SELECT and ASK"):
        run_query("CONSTRUCT WHERE { ?s ?p ?o }", store=ox.Store())


def test_ask_queries_give_a_boolean(shipped: ox.Store) -> None:
    results = run_query(
        "ASK { GRAPH ?g { ?s a <https://w3id.org/aiaccess/ontology#Article> } }", store=shipped
    )
    assert (results.boolean, results.table()) == (True, "true")


def test_query_files_run_with_their_header(tmp_path: Path, shipped: ox.Store) -> None:
    path = tmp_path / "articles.rq"
    path.write_text(
        "#+ params:\n#+   - lang (language, default en): unused\n"
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a a <https://w3id.org/aiaccess/ontology#Article> } }"  # noqa: E501
    )
    assert run_query(path, store=shipped, lang="fr").rows == [{"n": 5}]
    assert run_query(str(path), store=shipped).rows == [{"n": 5}]


def test_results_come_from_the_rdflib_dataset_too() -> None:
    from aiaccess.load import load

    found = run_query("migration-offers", store=load()).rows
    assert found[0]["free_tokens"] == 150_000_000


def test_serialized_results_are_standard_sparql_results(shipped: ox.Store) -> None:
    from aiaccess.sparql import serialize_query

    for fmt, media in [
        ("json", ox.QueryResultsFormat.JSON),
        ("xml", ox.QueryResultsFormat.XML),
        ("tsv", ox.QueryResultsFormat.TSV),
    ]:
        parsed = ox.parse_query_results(
            serialize_query("migration-offers", fmt, store=shipped), media
        )
        assert isinstance(parsed, ox.QuerySolutions)
        assert [v.value for v in parsed.variables][:3] == ["offer", "provider", "free_tokens"]
        assert next(iter(parsed))["free_tokens"] == ox.Literal(
            "150000000", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
        )
    with pytest.raises(ValueError, match="format must be one of"):
        serialize_query("migration-offers", "yaml", store=shipped)


MALFORMED_SECOND_ROW = (
    b'{"head":{"vars":["x"]},"results":{"bindings":['
    b'{"x":{"type":"literal","value":"a"}},{"x":{"type":"bogus","value":"b"}}]}}'
)
"""SPARQL JSON results that parse lazily: the error comes while the rows are read."""


class _Endpoint(BaseHTTPRequestHandler):
    """A minimal SPARQL 1.1 protocol endpoint over a store, for the remote tests.

    ``/query`` answers POSTed queries in SPARQL JSON; ``/broken`` answers 400 with
    a message; ``/html`` answers a web page instead of results; ``/malformed``
    answers SPARQL JSON whose second row is malformed.
    """

    store: ox.Store

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        form = parse_qs(self.rfile.read(length).decode())
        if self.path == "/broken":
            return self._answer(400, "text/plain", b"Parse error: unexpected token\nmore")
        if self.path == "/html":
            return self._answer(200, "text/html", b"<html>hello</html>")
        if self.path == "/malformed":
            return self._answer(200, "application/sparql-results+json", MALFORMED_SECOND_ROW)
        result = self.store.query(form["query"][0])
        body = result.serialize(format=ox.QueryResultsFormat.JSON) or b""
        self._answer(200, "application/sparql-results+json", body)

    def _answer(self, status: int, media_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("content-type", media_type)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def endpoint(shipped: ox.Store) -> Iterator[str]:
    """The base URL of a loopback SPARQL endpoint serving the shipped dataset."""
    handler = type("Handler", (_Endpoint,), {"store": shipped})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_remote_endpoint_gives_the_same_answers(shipped: ox.Store, endpoint: str) -> None:
    for name, params in [("migration-offers", {}), ("entity-profile", {"entity": "org/21vianet"})]:
        remote = run_query(name, endpoint=endpoint + "/query", **params)
        local = run_query(name, store=shipped, **params)
        assert (remote.variables, remote.terms) == (local.variables, local.terms)


def test_remote_errors_are_one_line(endpoint: str) -> None:
    from aiaccess.errors import QueryError

    with pytest.raises(QueryError, match=r"answered 400: Parse error: unexpected token$"):
        run_query("timeline", endpoint=endpoint + "/broken")
    with pytest.raises(QueryError, match="answered in text/html, not SPARQL results"):
        run_query("timeline", endpoint=endpoint + "/html")
    with pytest.raises(QueryError, match=r"cannot reach SPARQL endpoint http://127\.0\.0\.1:9/"):
        run_query("timeline", endpoint="http://127.0.0.1:9/", timeout=2)
    with pytest.raises(QueryError, match="cannot reach SPARQL endpoint nowhere"):
        run_query("timeline", endpoint="nowhere")


SERVICE_TO_PORT_9 = "SELECT ?x WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?x ?p ?o } }"


@pytest.mark.parametrize(
    ("ref", "remote", "message"),
    [
        ("timeline", True, r"/malformed sent malformed results: Unexpected term type"),
        (SERVICE_TO_PORT_9, False, r"^query evaluation failed: The port 9 is not allowed"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", False, r"only SELECT and ASK queries can be run here$"),
    ],
)
def test_results_failing_while_read_are_freed_on_the_thread_reading_them(
    endpoint: str, ref: str, remote: bool, message: str
) -> None:
    # pyoxigraph's results may only be freed on the thread that made them; the error's
    # traceback, handed to this thread by the Future, must not keep them alive
    from aiaccess.errors import QueryError

    where = {"endpoint": endpoint + "/malformed"} if remote else {"store": ox.Store()}
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(run_query, ref, **where)
        with pytest.raises(QueryError, match=message):
            reading.result()
    del reading
    gc.collect()  # under pytest's unraisable-exception check: nothing is freed on this thread


def test_store_and_endpoint_exclude_each_other(shipped: ox.Store, endpoint: str) -> None:
    with pytest.raises(ValueError, match="not both"):
        run_query("timeline", store=shipped, endpoint=endpoint + "/query")


# --- the package's exports ----------------------------------------------------


def test_import_aiaccess_stays_cheap() -> None:
    code = (
        "import sys, aiaccess; heavy = {'rdflib', 'pyshacl', 'httpx', 'click', 'starlette'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_exports_stay_functions_when_their_submodules_are_imported() -> None:
    import aiaccess
    import aiaccess.build  # imports the aiaccess.validate submodule
    from aiaccess.validate import Report

    assert callable(aiaccess.validate) and callable(aiaccess.load) and callable(aiaccess.catalog)
    assert aiaccess.query is run_query is aiaccess.run_query
    assert aiaccess.Report is Report
    assert "timeline" in aiaccess.catalog()
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        aiaccess.nothing  # noqa: B018
