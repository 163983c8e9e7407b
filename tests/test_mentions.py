"""The registry's names and the mention index computed from them, against the seeds."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import pyoxigraph as ox
import pytest

from aiaccess.dataset import Assembled
from aiaccess.mentions import GRAPH, mention_quads, surface_forms
from aiaccess.namespaces import AIA, ID, OA, RDF, RDFS, REGISTRY_GRAPH
from aiaccess.seeds import read_text
from tests.conftest import SHIPPED

LANGUAGES = {
    "he": "000_b6cc69f0c4440825.txt",
    "en": "001_3dd36336cd19a7fe.txt",
    "zh": "002_4e34bc0a721c555f.txt",
    "fr": "003_4cf94626ceaffd92.txt",
    "vi": "004_ebfed251716e06e4.txt",
}
Names = dict[str, set[tuple[str, str]]]


@pytest.fixture(scope="module")
def names(assembled: Assembled) -> tuple[Names, Names]:
    """Return the registry's ``(labels, surface forms)``: entity -> {(language, text)}."""
    labels: Names = defaultdict(set)
    forms: Names = defaultdict(set)
    for quad in assembled.quads:
        if quad.graph_name != ox.NamedNode(REGISTRY_GRAPH) or not isinstance(
            quad.object, ox.Literal
        ):
            continue
        pair = (quad.object.language or "", text(quad.object))
        if text(quad.predicate) == RDFS + "label":
            labels[text(quad.subject)].add(pair)
        elif text(quad.predicate) == AIA + "surfaceForm":
            forms[text(quad.subject)].add(pair)
    return labels, forms


def text(term: object) -> str:
    """Return the lexical value of an IRI, blank node or literal."""
    assert isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal)
    return term.value


def seed(language: str) -> str:
    return read_text(SHIPPED.seeds, LANGUAGES[language])


def test_every_surface_form_is_written_so_in_its_article(names: tuple[Names, Names]) -> None:
    _, forms = names
    missing = [
        (entity, language, text)
        for entity, pairs in forms.items()
        for language, text in pairs
        if text not in seed(language)
    ]
    assert missing == []


def test_microsoft_has_no_vietnamese_name() -> None:
    # The Vietnamese article never names Microsoft.
    assert "Microsoft" not in seed("vi")


def test_every_language_with_a_surface_form_has_a_label(names: tuple[Names, Names]) -> None:
    labels, forms = names
    unlabelled = {
        entity: {lang for lang, _ in pairs} - {lang for lang, _ in labels[entity]}
        for entity, pairs in forms.items()
    }
    assert {e: langs for e, langs in unlabelled.items() if langs} == {}


@pytest.mark.parametrize(
    ("entity", "language", "label"),
    [
        ("org/chinese-government", "fr", "gouvernement chinois"),  # "le gouvernement chinois"
        ("org/in-q-tel", "zh", "In-Q-Tel"),  # "OpenAI公司与In-Q-Tel公司共同投资"
        ("product/openai-api", "he", "API של OpenAI"),  # "לגישה ל-API של OpenAI"
        ("product/openai-api", "zh", "OpenAI 的 API"),  # "通过接入 OpenAI 的 API"
        ("product/openai-api", "vi", "giao diện lập trình ứng dụng"),
    ],
)
def test_labels_in_the_articles_languages(
    names: tuple[Names, Names], entity: str, language: str, label: str
) -> None:
    labels, _ = names
    assert (language, label) in labels[ID + entity]
    assert label in seed(language)


def mentioned(quads: list[ox.Quad]) -> set[tuple[str, str]]:
    """Return ``(entity, exact)`` of every mention annotation among ``quads``."""
    bodies = {
        text(q.subject): text(q.object) for q in quads if text(q.predicate) == AIA + "mentionOf"
    }
    exact = {
        text(q.subject).split("#")[0]: text(q.object)
        for q in quads
        if text(q.predicate) == OA + "exact"
    }
    return {(entity, exact[m]) for m, entity in bodies.items()}


CHINA, MAINLAND = ID + "place/china", ID + "place/mainland-china"


def china_mentions(text: str) -> list[ox.Quad]:
    """Return the mention index of ``text`` for China and mainland China in Vietnamese."""
    forms = {
        "Trung Quốc": {ox.NamedNode(CHINA)},
        "Trung Quốc đại lục": {ox.NamedNode(MAINLAND)},
    }
    return mention_quads("x", ox.NamedNode(ID + "article/x"), text, forms)


def test_a_nested_surface_form_is_not_a_second_mention() -> None:
    found = mentioned(china_mentions("gồm cả Trung Quốc đại lục và Hồng Kông ... tại Trung Quốc"))
    assert found == {(MAINLAND, "Trung Quốc đại lục"), (CHINA, "Trung Quốc")}


def test_no_two_mentions_overlap_in_the_shipped_index(assembled: Assembled) -> None:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    sources: dict[str, str] = {}
    for q in assembled.quads:
        if q.graph_name != GRAPH:
            continue
        if text(q.predicate) == OA + "start":
            starts[text(q.subject)] = int(text(q.object))
        elif text(q.predicate) == OA + "end":
            ends[text(q.subject)] = int(text(q.object))
        elif text(q.predicate) == OA + "hasSource":
            sources[text(q.subject)] = text(q.object)
    for position, start in starts.items():
        target = position.replace("#position", "#target")
        spans[sources[target]].append((start, ends[position]))
    for found in spans.values():
        distinct = sorted(set(found))
        assert all(a[1] <= b[0] for a, b in pairwise(distinct))
    assert spans[ID + "article/vi-openai-bans-china-developers"]


def test_mainland_china_in_vietnamese_is_one_mention(assembled: Assembled) -> None:
    # vi: "gồm cả Trung Quốc đại lục và Hồng Kông": mainland China, not also China
    start = seed("vi").index("Trung Quốc đại lục")
    here = {
        text(q.subject)
        for q in assembled.quads
        if q.graph_name == GRAPH
        and text(q.predicate) == OA + "start"
        and int(text(q.object)) == start
        and "/vi-openai-bans-china-developers/" in text(q.subject)
    }
    slug = f"{ID}mention/vi-openai-bans-china-developers/{start}-{start + 18}"
    assert here == {f"{slug}-place-mainland-china#position"}


def test_forms_are_read_from_labels_and_surface_forms(assembled: Assembled) -> None:
    registry = [q.triple for q in assembled.quads if q.graph_name == ox.NamedNode(REGISTRY_GRAPH)]
    forms = surface_forms(registry)
    assert ox.NamedNode(ID + "place/mainland-china") in forms["Trung Quốc đại lục"]


def test_each_tally_counts_the_mention_annotations(assembled: Assembled) -> None:
    index = [q for q in assembled.quads if q.graph_name == GRAPH]
    annotations: dict[tuple[str, str], set[str]] = defaultdict(set)
    sources = {
        text(q.subject): text(q.object) for q in index if text(q.predicate) == OA + "hasSource"
    }
    named = {
        text(q.subject): text(q.object) for q in index if text(q.predicate) == AIA + "mentionOf"
    }
    for mention, entity in named.items():
        annotations[sources[mention + "#target"], entity].add(mention)
    tallies: dict[str, dict[str, str]] = defaultdict(dict)
    for q in index:
        if text(q.subject).startswith(ID + "mention-tally/"):
            tallies[text(q.subject)][text(q.predicate)] = text(q.object)
    counted = {
        (t[AIA + "tallyIn"], t[AIA + "tallyOf"]): int(t[AIA + "mentionCount"])
        for t in tallies.values()
    }
    assert counted == {key: len(found) for key, found in annotations.items()}
    # vi: "công ty Zhipu AI có trụ sở tại Bắc Kinh" and "SenseTime Group Inc. và Zhipu AI"
    assert counted[ID + "article/vi-openai-bans-china-developers", ID + "org/zhipu-ai"] == 2
    tally = f"{ID}mention-tally/vi-openai-bans-china-developers/org-zhipu-ai"
    assert tallies[tally][RDF + "type"] == AIA + "MentionTally"


def test_a_nested_surface_form_is_not_counted_twice() -> None:
    quads = china_mentions("Trung Quốc đại lục và Trung Quốc, Trung Quốc")
    counts = {
        text(q.subject): int(text(q.object))
        for q in quads
        if text(q.predicate) == AIA + "mentionCount"
    }
    assert counts == {
        ID + "mention-tally/x/place-china": 2,
        ID + "mention-tally/x/place-mainland-china": 1,
    }
