"""The article pages' annotated text: the seed unchanged, every quote marked with its fact."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aiaccess.dataset import assemble
from aiaccess.namespaces import ID
from aiaccess.server.annotated import Article, article
from aiaccess.server.index import Index
from aiaccess.server.linkeddata import href
from aiaccess.server.reading import Reading

HEBREW = ID + "article/he-azure-china-openai"


@pytest.fixture(scope="module")
def articles() -> Iterator[dict[str, tuple[Article, str]]]:
    """Each shipped article's page data and its seed text, by IRI."""
    data = assemble()
    reading = Reading(Index(data.quads), href, ("en",))
    texts = {s.iri.value: s.text for s in data.sources}
    yield {iri: (article(reading, iri, text), text) for iri, text in texts.items()}


def test_the_text_is_the_seed_unchanged(articles: dict[str, tuple[Article, str]]) -> None:
    assert len(articles) == 5
    for shaped, text in articles.values():
        lines = ["".join(p.text for p in paragraph) for paragraph in shaped.paragraphs]
        assert lines == [line for line in text.split("\n") if line.strip()]


def test_the_21vianet_quote_is_marked_with_its_fact(
    articles: dict[str, tuple[Article, str]],
) -> None:
    shaped, _ = articles[HEBREW]
    assert (shaped.lang, shaped.dir) == ("he", "rtl")
    pieces = [p for paragraph in shaped.paragraphs for p in paragraph if "21Vianet" in p.text]
    facts = {b.fact.iri for p in pieces for b in p.backs}
    assert ID + "relation/21vianet-operates-azure-china" in facts
    assert pieces[0].mention is not None and pieces[0].mention.iri == ID + "org/21vianet"


def test_every_reported_fact_is_numbered_once(articles: dict[str, tuple[Article, str]]) -> None:
    shaped, _ = articles[HEBREW]
    numbers = [r.number for g in shaped.reports for r in g.items]
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    marked = {b.number for paragraph in shaped.paragraphs for p in paragraph for b in p.ends}
    assert marked - {0} == set(numbers)  # every fact's quote is in the text; 0: the article's own


def test_each_quote_has_an_anchor_where_it_starts(
    articles: dict[str, tuple[Article, str]],
) -> None:
    shaped, text = articles[ID + "article/fr-azure-openai-individual-developers"]
    anchors = {
        int(a[1:]): p
        for paragraph in shaped.paragraphs
        for p in paragraph
        for a in p.anchors
        if a.startswith("q")
    }
    start = text.index("à compter du 21 octobre")
    assert any(at <= start < at + 200 for at in anchors)
    for at, piece in anchors.items():
        assert piece.start == at and piece.backs


def test_facts_the_article_is_less_sure_of_say_so(articles: dict[str, tuple[Article, str]]) -> None:
    hedged = {
        r.fact.link.iri: r.certainty.iri
        for shaped, _ in articles.values()
        for g in shaped.reports
        for r in g.items
        if r.certainty
    }
    assert hedged, "no article speculates, predicts or opines"
    assert not any(c.endswith("#Reported") for c in hedged.values())
