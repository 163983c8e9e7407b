"""Computed graphs per group of linked articles are those of the whole dataset, restricted."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from aiaccess.dataset import DATASET_STEPS, Assembled, assemble
from aiaccess.graphindex import GraphIndex
from aiaccess.groups import Links, independent
from aiaccess.namespaces import AIA, ID, ORG, RDF, RDFS, REGISTRY_GRAPH
from aiaccess.resources import Resources
from tests.test_generate import _generator

KIND = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(RDFS + "label")


def _sorted(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Return the distinct quads sorted by their N-Quads lines, as the build orders them."""
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    lines = b"".join(sorted(set(data.splitlines(keepends=True))))
    return list(ox.parse(lines, format=ox.RdfFormat.N_QUADS))


def _whole(data: Assembled) -> bytes:
    """Return the N-Quads of the computed graphs worked out from the whole dataset at once."""
    given = data.base + [q for quads in data.articles.values() for q in quads]
    derived: list[ox.Quad] = []
    for step in DATASET_STEPS:
        derived = _sorted(derived + step(GraphIndex.of(_sorted(given + derived))))
    return ox.serialize(derived, format=ox.RdfFormat.N_QUADS) or b""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Assembled:
    """Twelve generated articles: two stories of five languages and one of two articles."""
    out = tmp_path_factory.mktemp("groups") / "corpus"
    _generator().generate(12, out, seed=3)
    return assemble(Resources(out))


def test_generated_stories_are_independent_groups(generated: Assembled) -> None:
    """The generator writes stories of five consecutive articles sharing facts by IRI."""
    stories = [{int(s.rsplit("-", 1)[-1]) // 5 for s in g.slugs} for g in generated.groups]
    assert sorted(len(group.slugs) for group in generated.groups) == [2, 5, 5]
    assert sorted(stories) == [{0}, {1}, {2}]


def test_grouped_graphs_equal_those_of_the_whole_dataset(generated: Assembled) -> None:
    grouped = ox.serialize(generated.derived, format=ox.RdfFormat.N_QUADS) or b""
    assert grouped == _whole(generated)
    assert b"https://w3id.org/aiaccess/graph/temporal" in grouped
    assert b"https://w3id.org/aiaccess/graph/comparison" in grouped


def test_the_shipped_articles_are_one_group(assembled: Assembled) -> None:
    """All five articles report the same restriction (policy/openai-api-restriction-china)."""
    assert [len(group.slugs) for group in assembled.groups] == [5]
    assert ox.serialize(assembled.derived, format=ox.RdfFormat.N_QUADS) == _whole(assembled)


def _article(
    slug: str, *quads: tuple[str, ox.NamedNode, ox.NamedNode | ox.Literal]
) -> list[ox.Quad]:
    """Return an article graph's quads: (subject under id/, predicate, object)."""
    graph = ox.NamedNode(f"urn:graph:{slug}")
    return [ox.Quad(ox.NamedNode(ID + s), p, o, graph) for s, p, o in quads]


def _links(articles: dict[str, list[ox.Quad]]) -> dict[str, Links]:
    """Return what links each article."""
    return {slug: Links.of(quads) for slug, quads in articles.items()}


ROLE = ("role/ceo", KIND, ox.NamedNode(AIA + "Role"))
CEO = ("role/ceo", LABEL, ox.Literal("chief executive officer", language="en"))


def test_a_resource_every_article_names_alike_does_not_link() -> None:
    articles = {"a": _article("a", ROLE, CEO), "b": _article("b", ROLE, CEO)}
    assert independent(_links(articles), []) == [["a"], ["b"]]


def test_a_resource_described_differently_links() -> None:
    other = ("role/ceo", LABEL, ox.Literal("CEO", language="en"))
    articles = {"a": _article("a", ROLE, CEO), "b": _article("b", ROLE, other)}
    assert independent(_links(articles), []) == [["a", "b"]]


def test_a_resource_one_article_describes_links_those_naming_it() -> None:
    member = ("membership/x", ox.NamedNode(ORG + "role"), ox.NamedNode(ID + "role/ceo"))
    articles = {
        "a": _article("a", ROLE, CEO),
        "b": _article("b", member),
        "c": _article("c", ("event/c", LABEL, ox.Literal("c", language="en"))),
    }
    assert independent(_links(articles), []) == [["a", "b"], ["c"]]


def test_an_outcome_only_the_registry_describes_links_the_facts_bearing_on_it() -> None:
    outcome = ox.NamedNode(ID + "outcome/blocked")
    registry = [ox.Quad(outcome, KIND, ox.NamedNode(AIA + "Outcome"), ox.NamedNode(REGISTRY_GRAPH))]
    bears = ox.NamedNode(AIA + "bearsOn")
    articles = {"a": _article("a", ("claim/a", bears, outcome)), "b": _article("b")}
    articles["c"] = _article("c", ("claim/c", bears, outcome))
    assert independent(_links(articles), registry) == [["a", "c"], ["b"]]


def test_a_language_only_some_groups_label_in_makes_one_group() -> None:
    """The computed lists are written in every language of the data's labels."""
    french = ("event/x", LABEL, ox.Literal("annonce", language="fr"))
    articles = {"a": _article("a", french), "b": _article("b", CEO)}
    assert independent(_links(articles), []) == [["a", "b"]]


def test_a_group_is_computed_again_only_when_its_articles_change(
    generated: Assembled, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit to one story's article leaves the other stories' computed graphs remembered."""
    from aiaccess.memo import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "memo"))
    out = tmp_path / "corpus"
    _generator().generate(12, out, seed=3)
    res = Resources(out)
    assemble(res)
    before = set((tmp_path / "memo" / "derived").iterdir())
    assert len(before) == 3
    path = out / "data" / "articles" / f"{generated.groups[0].slugs[0]}.ttl"
    path.write_text(
        path.read_text().replace('"Synthetic article ', '"Synthetic article (edited) ', 1)
    )
    again = assemble(res)
    added = set((tmp_path / "memo" / "derived").iterdir()) - before
    assert len(added) == 1
    assert ox.serialize(again.derived, format=ox.RdfFormat.N_QUADS) == _whole(again)


def test_links_are_remembered_as_they_were_read(generated: Assembled) -> None:
    for quads in generated.articles.values():
        links = Links.of(quads)
        assert Links.from_json(links.to_json()) == links
