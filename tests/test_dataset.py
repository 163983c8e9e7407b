"""The assembled dataset says what the seeds say: real values, per source."""

from __future__ import annotations

import gc

import pyoxigraph as ox
import pytest

from aiaccess.dataset import Assembled, forked_pool
from aiaccess.namespaces import AIA, ID
from tests.conftest import SHIPPED

PREFIXES = f"""
PREFIX aia: <{AIA}>
PREFIX schema: <https://schema.org/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX id: <{ID}>
"""
ARTICLE = ID + "article/"


@pytest.fixture(scope="module")
def store(assembled: Assembled) -> ox.Store:
    result = ox.Store()
    result.bulk_extend(assembled.quads)
    return result


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Run a SELECT over the union of graphs; return rows of plain string values."""
    solutions = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


def per_article(store: ox.Store, subject: str, predicate: str) -> dict[str, str]:
    """Return ``{article slug: value}`` of ``subject predicate ?v`` in each article graph."""
    rows = select(
        store,
        f"""
        SELECT ?article ?v WHERE {{ GRAPH ?g {{ {subject} {predicate} ?v .
                                               ?article a aia:Article }} }}""",
    )
    return {r["article"].removeprefix(ARTICLE): r["v"] for r in rows}


def test_openai_restriction_takes_effect_9_july_per_source(store: ox.Store) -> None:
    dates = per_article(
        store, "<" + ID + "policy/openai-api-restriction-china>", "schema:startDate"
    )
    assert dates == {
        "en-azure-workaround": "2024-07-09",
        "zh-openai-china-api-ban": "--07-09",  # "7月9号之后": no year stated
        "he-azure-china-openai": "--07-09",
    }


def test_restriction_is_reported_by_all_five_articles_each_with_own_quote(store: ox.Store) -> None:
    rows = select(
        store,
        """
        SELECT ?article (SAMPLE(?exact) AS ?quote) WHERE { GRAPH ?g {
            id:policy\\/openai-api-restriction-china aia:evidence ?e .
            ?e oa:hasTarget/oa:hasSource ?article ; oa:hasTarget/oa:hasSelector/oa:exact ?exact
        } } GROUP BY ?article""",
    )
    quotes = {r["article"].removeprefix(ARTICLE): r["quote"] for r in rows}
    assert len(quotes) == 5
    for slug, quote in quotes.items():
        seed = SHIPPED.seeds.glob("*.txt")
        assert any(quote in p.read_text(encoding="utf-8") for p in seed), slug


def test_english_quote_for_july_9th(store: ox.Store) -> None:
    rows = select(
        store,
        """
        SELECT ?exact WHERE { GRAPH ?g { id:policy\\/openai-api-restriction-china aia:evidence ?e .
            ?e oa:hasTarget/oa:hasSelector/oa:exact ?exact } }""",
    )
    assert "OpenAI’s API restriction in China started on July 9th, 2024." in {
        r["exact"] for r in rows
    }


def test_azure_route_for_eligible_enterprises_outside_mainland(store: ox.Store) -> None:
    route = "<" + ID + "policy/azure-openai-china-route>"
    audiences = select(store, f"SELECT DISTINCT ?a WHERE {{ {route} aia:audience ?a }}")
    assert {AIA + "EnterpriseCustomers"} <= {r["a"] for r in audiences}
    conditions = " ".join(
        r["c"] for r in select(store, f"SELECT ?c WHERE {{ {route} aia:condition ?c }}")
    )
    assert "eligible" in conditions and "outside China" in conditions
    quotes = select(
        store,
        f"""SELECT ?exact WHERE {{ {route} aia:evidence ?e .
        ?e oa:hasTarget/oa:hasSelector/oa:exact ?exact }}""",
    )
    assert "公司将继续通过在中国以外地区部署的模式,为中国符合条件的客户提供接入服务" in {
        r["exact"] for r in quotes
    }


def test_azure_openai_ends_for_individual_developers_21_october(store: ox.Store) -> None:
    end = "<" + ID + "policy/azure-openai-individual-developers-end>"
    assert per_article(store, end, "schema:startDate") == {
        "fr-azure-openai-individual-developers": "--10-21"
    }
    rows = select(
        store,
        f"""SELECT ?a ?x ?j WHERE {{ {end} aia:audience ?a ;
        aia:excludedAudience ?x ; aia:jurisdiction ?j ; aia:actor id:org\\/microsoft }}""",
    )
    assert {(r["a"], r["x"], r["j"]) for r in rows} == {
        (AIA + "IndividualDevelopers", AIA + "EnterpriseCustomers", ID + "place/mainland-china")
    }


def test_free_token_amounts_of_migration_offers(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?provider ?tokens WHERE {
        ?offer a aia:MigrationOffer ; aia:actor ?provider ;
               aia:freeTokens/schema:value ?tokens }""",
    )
    assert {(r["provider"].removeprefix(ID + "org/"), int(r["tokens"])) for r in rows} == {
        ("zhipu-ai", 150_000_000),
        ("baidu", 50_000_000),
        ("sensetime", 50_000_000),
    }


def test_21vianet_operates_azure_china(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?g WHERE { GRAPH ?g {
        id:relation\\/21vianet-operates-azure-china a aia:OperatingArrangement ;
            aia:fromParty id:org\\/21vianet ; aia:operatedService id:product\\/azure-china } }""",
    )
    assert [r["g"] for r in rows] == [
        "https://w3id.org/aiaccess/graph/article/he-azure-china-openai"
    ]


def test_sources_disagree_on_who_pays_whom(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?article ?payer ?payee ?pct WHERE { GRAPH ?g {
        id:relation\\/microsoft-openai-revenue-share aia:fromParty ?payer ; aia:toParty ?payee .
        OPTIONAL { id:relation\\/microsoft-openai-revenue-share aia:sharePercent ?pct }
        ?article a aia:Article } }""",
    )
    said = {
        r["article"].removeprefix(ARTICLE): (
            r["payer"].rsplit("/", 1)[-1],
            r["payee"].rsplit("/", 1)[-1],
            r.get("pct"),
        )
        for r in rows
    }
    assert said == {
        "he-azure-china-openai": ("microsoft", "openai", "20"),
        "en-azure-workaround": ("openai", "microsoft", None),
    }


def test_sources_differ_on_approved_llm_counts(store: ox.Store) -> None:
    q = "<" + ID + "quantity/china-approved-llms>"
    # en: "more than a hundred": an exclusive lower bound, not "at least 100"
    assert per_article(store, q, "aia:exclusiveMinValue") == {"en-azure-workaround": "100"}
    assert per_article(store, q, "schema:minValue") == {}
    assert per_article(store, q, "schema:value") == {"vi-openai-bans-china-developers": "117"}


def test_altman_ousted_on_18_november_2023(store: ox.Store) -> None:
    rows = select(
        store, """SELECT ?d WHERE { id:event\\/sam-altman-ousted-2023 schema:startDate ?d }"""
    )
    assert [r["d"] for r in rows] == ["2023-11-18"]


def test_people_and_roles(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?person ?org ?role WHERE { ?m a aia:Membership ;
        org:member ?person ; org:organization ?org ; org:role/rdfs:label ?role }""",
    )
    held = {(r["person"].rsplit("/", 1)[-1], r["org"].rsplit("/", 1)[-1], r["role"]) for r in rows}
    assert ("joe-tsai", "alibaba", "chairman") in {(p, o, r.lower()) for p, o, r in held}
    assert ("zhou-hongyi", "qihoo-360") in {(p, o) for p, o, _ in held}
    assert ("sam-altman", "openai") in {(p, o) for p, o, _ in held}
    assert ("bill-gates", "microsoft") in {(p, o) for p, o, _ in held}


def test_evidence_offsets_point_at_the_quote(assembled: Assembled, store: ox.Store) -> None:
    texts = {s.iri.value: s.text for s in assembled.sources}
    rows = select(
        store,
        """SELECT ?source ?exact ?start ?end WHERE {
        ?e a aia:Evidence ; oa:hasTarget ?t . ?t oa:hasSource ?source ;
           oa:hasSelector [ oa:exact ?exact ] , [ oa:start ?start ; oa:end ?end ] }""",
    )
    assert len(rows) > 200
    for r in rows:
        assert texts[r["source"]][int(r["start"]) : int(r["end"])] == r["exact"]


def test_every_fact_has_evidence_in_each_graph_that_states_it(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?fact ?g WHERE { GRAPH ?g { ?fact aia:certainty ?c
        FILTER NOT EXISTS { ?fact aia:evidence ?e } } }""",
    )
    assert rows == []


def test_mention_index_is_computed_in_all_scripts(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?article ?exact WHERE { GRAPH <https://w3id.org/aiaccess/graph/mentions> {
        ?m aia:mentionOf id:org\\/microsoft ; oa:hasTarget [ oa:hasSource ?article ;
           oa:hasSelector/oa:exact ?exact ] } }""",
    )
    forms = {(r["article"].removeprefix(ARTICLE), r["exact"]) for r in rows}
    assert {
        ("he-azure-china-openai", "מיקרוסופט"),
        ("zh-openai-china-api-ban", "微软"),
        ("fr-azure-openai-individual-developers", "Microsoft"),
        ("en-azure-workaround", "Microsoft"),
    } <= forms


def test_mentions_respect_latin_word_boundaries(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?exact ?suffix WHERE { ?m aia:mentionOf id:place\\/china ;
        oa:hasTarget/oa:hasSelector [ oa:exact ?exact ; oa:suffix ?suffix ] }""",
    )
    assert rows and not any(r["suffix"].startswith("ese") for r in rows)


def test_wikidata_links_only_from_the_checked_list(store: ox.Store) -> None:
    rows = select(
        store, """SELECT ?e ?wd WHERE { ?e <http://www.w3.org/2002/07/owl#sameAs> ?wd }"""
    )
    checked = {
        "openai": "Q21708200",
        "microsoft": "Q2283",
        "azure": "Q725967",
        "tencent": "Q860580",
        "baidu": "Q14772",
        "alibaba": "Q1359568",
        "meta": "Q380",
        "nvidia": "Q182477",
        "chatgpt": "Q115564437",
        "wechat": "Q283233",
        "sam-altman": "Q7407093",
        "ilya-sutskever": "Q21712134",
        "xi-jinping": "Q15031",
        "bill-gates": "Q5284",
        "china": "Q148",
        "hong-kong": "Q8646",
        "united-states": "Q30",
        "cia": "Q37230",
    }
    linked = {r["e"].rsplit("/", 1)[-1]: r["wd"].rsplit("/", 1)[-1] for r in rows}
    assert linked == checked


def test_articles_metadata(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?a ?lang ?seed WHERE { ?a a aia:Article ;
        schema:inLanguage ?lang ; aia:seedFile ?seed }""",
    )
    assert {(r["a"].removeprefix(ARTICLE), r["lang"]) for r in rows} == {
        ("he-azure-china-openai", "he"),
        ("en-azure-workaround", "en"),
        ("zh-openai-china-api-ban", "zh"),
        ("fr-azure-openai-individual-developers", "fr"),
        ("vi-openai-bans-china-developers", "vi"),
    }
    assert per_article(
        store, "<" + ARTICLE + "vi-openai-bans-china-developers>", "schema:datePublished"
    ) == {"vi-openai-bans-china-developers": "2024-06-28T09:38:00"}
    assert per_article(store, "<" + ARTICLE + "zh-openai-china-api-ban>", "schema:url") == {
        "zh-openai-china-api-ban": "https://gptwangzhi.top/chatgpt/498.html"
    }
    assert per_article(store, "<" + ARTICLE + "en-azure-workaround>", "schema:author") == {
        "en-azure-workaround": ID + "person/dave-andre"
    }


def test_forked_workers_leave_what_they_inherit_to_the_permanent_generation() -> None:
    """A worker's collections then walk only what it made, not the data it was forked with."""
    inherited = [[] for _ in range(100_000)]  # tracked by the collector, unlike object()
    already = gc.get_freeze_count()  # what this process froze itself (the server does)
    with forked_pool(1) as pool:
        frozen = pool.submit(gc.get_freeze_count).result()
    assert frozen >= already + len(inherited)
    assert gc.get_freeze_count() == already  # this process's objects are still collected
