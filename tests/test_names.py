"""Entity names and languages as people type them, resolved against the shipped dataset."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from aiaccess.dataset import Assembled
from aiaccess.errors import EntityError, ParameterError
from aiaccess.names import Names, entity, language, languages, normalized
from aiaccess.namespaces import ID
from aiaccess.sparql import run_query


@pytest.fixture(scope="module")
def data(assembled: Assembled) -> ox.Store:
    """The shipped dataset in one store, shared by the read-only tests of this module."""
    store = ox.Store()
    store.bulk_extend(assembled.quads)
    return store


@pytest.mark.parametrize(
    ("typed", "iri"),
    [
        ("微软", "org/microsoft"),  # zh label
        ("מיקרוסופט", "org/microsoft"),  # he label
        ("Microsoft", "org/microsoft"),  # en, fr, vi label
        ("microsoft", "org/microsoft"),  # case ignored
        ("Open AI", "org/openai"),  # a surface form of the Chinese article
        ("openai", "org/openai"),
        ("奥特曼", "person/sam-altman"),  # surface form: "OpenAI的CEO奥特曼"
        ("Trung Quốc đại lục", "place/mainland-china"),  # vi label
        ("Chine continentale", "place/mainland-china"),  # fr label
        ("chatgpt中文教程网", "org/chatgpt-wangzhi"),  # surface form of the site
        ("21Vianet", "org/21vianet"),
        ("offer/zhipu-ai", "offer/zhipu-ai"),  # kind/slug
        ("openai-api-restriction-china", "policy/openai-api-restriction-china"),  # bare slug
        (ID + "org/nvidia", "org/nvidia"),  # full IRI
        ("tencent", "org/tencent"),  # a name beats the slug of offer/tencent
    ],
)
def test_names_in_any_language_and_slugs_resolve(data: ox.Store, typed: str, iri: str) -> None:
    assert entity(typed, data) == ox.NamedNode(ID + iri)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "Micrsoft",
            "no entity 'Micrsoft' in the dataset (did you mean org/microsoft (Microsoft)",
        ),
        (
            "zhipu-ai",
            "'zhipu-ai' is ambiguous (did you mean offer/zhipu-ai or org/zhipu-ai (Zhipu AI)?)",
        ),
        ("org/opnai", "no entity 'org/opnai' in the dataset (did you mean "),
        ("Qwen", "no entity 'Qwen' in the dataset"),
    ],
)
def test_typos_and_ambiguities_say_what_was_meant(data: ox.Store, typed: str, message: str) -> None:
    with pytest.raises(EntityError) as raised:
        entity(typed, data)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_an_unknown_iri_is_an_error_not_an_empty_answer(data: ox.Store) -> None:
    with pytest.raises(EntityError, match="parameter entity: no entity 'org/nobody'"):
        run_query("entity-profile", store=data, entity="org/nobody")


def test_queries_take_names_in_any_language(data: ox.Store) -> None:
    by_name = run_query("entity-profile", store=data, entity="微软", lang="zh").rows
    by_slug = run_query("entity-profile", store=data, entity="org/microsoft", lang="zh").rows
    assert by_name == by_slug and len(by_name) > 50
    evidence = run_query("evidence-for", store=data, resource="microsoft-openai-revenue-share")
    assert {row["language"] for row in evidence.rows} >= {"en", "he"}


def test_every_registry_name_resolves_to_its_entity(data: ox.Store) -> None:
    names = Names.of(data)
    assert len(names.by_name) > 100
    for name, iris in names.by_name.items():
        assert len(iris) == 1, name
        assert entity(name, data).value in iris


def test_names_are_compared_after_normalization() -> None:
    assert normalized("  ＭＩＣＲＯＳＯＦＴ\u3000China ") == "microsoft china"


def test_languages_are_those_of_the_articles(data: ox.Store) -> None:
    assert languages(data) == ("en", "fr", "he", "vi", "zh")
    assert language("HE", data) == "he"
    with pytest.raises(ParameterError) as raised:
        language("de", data)
    assert str(raised.value) == "no article is in language 'de'; the languages: en, fr, he, vi, zh"
