"""The fast validation path reports exactly what pySHACL, the reference, reports.

The fast path checks each article's graph (with the ontology and registry
resources it refers to) on its own, in parallel, with pyshacl-turbo; the
reference runs pySHACL once on the union of every graph. Both must find the
same violations (focus node, path, shape, message) on the shipped data and on
the shipped data with every invalid shape example of ``tests/shapes/`` added,
each as one more article.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from aiaccess.dataset import PARALLEL_FROM, Assembled
from aiaccess.memo import CACHE_ENV
from aiaccess.namespaces import AIA, ID, ONTOLOGY_GRAPH, SHAPES
from aiaccess.resources import Resources
from aiaccess.validate import Violation, ahead, check, reference, shacl, units
from tests.conftest import SHIPPED
from tests.test_shapes import INVALID, top_shapes, under

_IRI_IN_ID = re.compile(r"^(?P<kind>[a-z]+(?:-[a-z]+)*)/(?P<rest>.+)$")


def _key(violations: list[Violation]) -> set[tuple[str, str | None, str, str]]:
    """Return what must agree: focus node, path, shape and message (blank nodes unnamed)."""
    return {(_named(v.focus), v.path, v.shape, v.message) for v in violations}


def _named(focus: str) -> str:
    """Return the focus IRI, or ``_:`` for any blank node (their labels differ per run)."""
    return "_:" if focus.startswith("_:") else focus


def _renamed(term: object, tag: str, known: set[ox.NamedNode]) -> object:
    """Return an IRI made private to one example (``id/org/x`` -> ``id/org/<tag>-x``).

    Resources of the id/ namespace and ontology terms the ontology does not
    declare (an example's own concept) are renamed; everything else is kept.
    """
    if not isinstance(term, ox.NamedNode) or term in known:
        return term
    if term.value.startswith(AIA):
        return ox.NamedNode(f"{AIA}{tag.replace('-', '')}{term.value.removeprefix(AIA)}")
    match = _IRI_IN_ID.match(term.value.removeprefix(ID)) if term.value.startswith(ID) else None
    if match is None:
        return term
    return ox.NamedNode(f"{ID}{match['kind']}/{tag}-{match['rest']}")


def _example_quads(path: Path, known: set[ox.NamedNode]) -> list[ox.Quad]:
    """Parse one example as if it were an article's graph, its IRIs its own."""
    tag = path.stem.lower()
    graph = ox.NamedNode(f"https://w3id.org/aiaccess/graph/example/{tag}")
    quads = []
    for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        subject = _renamed(quad.subject, tag, known)
        obj = _renamed(quad.object, tag, known)
        quads.append(ox.Quad(subject, quad.predicate, obj, graph))  # type: ignore[arg-type]
    return quads


@pytest.fixture(scope="module")
def injected(assembled: Assembled) -> Assembled:
    """The shipped data plus every invalid shape example, each as one more article."""
    return _with_examples(assembled, INVALID)


def _with_examples(assembled: Assembled, examples: list[Path]) -> Assembled:
    """Return the shipped data with each example added as one more article."""
    articles = dict(assembled.articles)
    ontology = ox.NamedNode(ONTOLOGY_GRAPH)
    known = {q.subject for q in assembled.base if q.graph_name == ontology}
    for path in examples:
        articles[path.stem] = _example_quads(path, known)
    parts = [assembled.base, assembled.derived, *articles.values()]
    everything = sorted({q for part in parts for q in part}, key=str)
    return Assembled.of(
        everything,
        assembled.sources,
        assembled.files,
        articles,
        assembled.base,
        assembled.derived,
    )


def test_shipped_data_same_violations_as_pyshacl(assembled: Assembled) -> None:
    fast = shacl(assembled, SHIPPED)
    assert _key(fast) == _key(reference(assembled, SHIPPED))
    assert fast == []


def test_injected_violations_same_as_pyshacl(injected: Assembled) -> None:
    fast = shacl(injected, SHIPPED)
    assert _key(fast) == _key(reference(injected, SHIPPED))
    assert len(_key(fast)) > 50


def test_injected_corpus_violates_every_shape(injected: Assembled) -> None:
    shapes = {v.shape for v in shacl(injected, SHIPPED)}
    missed = [i for i in top_shapes() if not shapes & {str(s) for s in under(i)}]
    assert missed == []


def test_an_article_unit_holds_what_its_shapes_need(assembled: Assembled) -> None:
    """Each article unit has its own triples and the types of what it names, not the registry."""
    base, *articles, derived = units(assembled, SHIPPED)
    assert len(articles) == len(assembled.articles) == 5
    assert set(derived) <= set(assembled.derived) | set(base)
    for unit, quads in zip(articles, assembled.articles.values(), strict=True):
        assert set(quads) <= set(unit)
        assert len(unit) < len(quads) + len(base)
    openai = ox.NamedNode(ID + "org/openai")
    kind = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert all(any(t.subject == openai and t.predicate == kind for t in u) for u in articles)


def test_the_derived_unit_holds_what_the_shapes_read_of_the_computed_graphs(
    assembled: Assembled,
) -> None:
    """The computed resources shapes target, with the registry they name; not the articles again.

    The source comparison (no shape targets or reaches it) is left out: see
    :mod:`aiaccess.relevance`.
    """
    base, *_, derived = units(assembled, SHIPPED)
    computed = set(assembled.derived)
    temporal = {q for q in computed if q.graph_name.value.endswith("/temporal")}
    context = set(derived) - computed
    assert temporal <= set(derived) <= computed | context
    assert context and context <= set(base)
    assert not context & {q for unit in assembled.articles.values() for q in unit}
    graphs = {q.graph_name.value.rsplit("/", 1)[-1] for q in derived}
    assert graphs == {"temporal", "ontology", "registry"}


def test_borrowing_a_property_from_another_article_is_a_violation(resources: Resources) -> None:
    """What an article leaves out is not filled in by another article's graph."""
    from aiaccess.dataset import assemble

    path = resources.root / "data/articles/en-azure-workaround.ttl"
    text = path.read_text(encoding="utf-8")
    start = text.index("policy:openai-api-restriction-china a aia:AccessRestriction ;")
    label = text.index("    rdfs:label", start)
    end = text.index("\n", label) + 1
    path.write_text(text[:label] + text[end:], encoding="utf-8")
    data = assemble(resources)
    found = [v for v in shacl(data, resources) if v.focus.endswith("openai-api-restriction-china")]
    assert [(v.shape.removeprefix(SHAPES), v.path) for v in found] == [
        ("C01-english-label", "http://www.w3.org/2000/01/rdf-schema#label")
    ]


def test_a_worker_started_ahead_checks_small_data_and_finds_the_same(
    assembled: Assembled, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker forked before assembling compiles the shapes; this process never does."""
    few = INVALID[:: len(INVALID) // (PARALLEL_FROM - 8)][: PARALLEL_FROM - 8]
    injected = _with_examples(assembled, few)  # fewer than PARALLEL_FROM units in all
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "here"))
    here = check(injected, SHIPPED)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "ahead"))
    with ahead(SHIPPED) as engine:
        assert engine is not None

        def not_here(shapes: str) -> None:
            raise AssertionError("the shapes were compiled in the checking process")

        monkeypatch.setattr(sys.modules["aiaccess.validate"], "_compiled", not_here)
        found = check(injected, SHIPPED, engine)
    assert found.violations == here.violations
    assert {v.shape.removeprefix(SHAPES)[:3] for v in found.violations} >= {p.stem[:3] for p in few}
    remembered = {p.name for p in (tmp_path / "ahead" / "shacl").iterdir()}
    assert remembered == {p.name for p in (tmp_path / "here" / "shacl").iterdir()}


def test_no_early_worker_when_a_pool_will_check_most_units(tmp_path: Path) -> None:
    """An early worker for few articles, or many with units remembered; none on a first check."""
    from aiaccess.validate import _pool_likely

    assert not _pool_likely(5, None)
    assert _pool_likely(PARALLEL_FROM, None)  # no cache: everything is checked
    assert _pool_likely(40, tmp_path)  # an empty cache
    (tmp_path / "shacl").mkdir()
    for index in range(30):
        (tmp_path / "shacl" / f"article-{index}.json").write_text("[]")
    assert _pool_likely(40, tmp_path)
    assert not _pool_likely(30, tmp_path)  # a rebuild: the units are remembered


def test_the_articles_units_go_to_the_early_worker_before_the_groups_are_computed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """validate() sends the base's and articles' units once the parts are known; same result."""
    from aiaccess.dataset import begin
    from aiaccess.validate import _send_early

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "early"))
    with ahead(SHIPPED) as engine:
        assert engine is not None
        started = begin(SHIPPED)
        _send_early(started, engine)
        assert len(engine.early) == 1 + 5  # the base's unit and each article's
        found = check(started.finish(), SHIPPED, engine)
    assert found.conforms
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "late"))
    assert check(begin(SHIPPED).finish(), SHIPPED).conforms
    early = {p.name for p in (tmp_path / "early" / "shacl").iterdir()}
    assert early == {p.name for p in (tmp_path / "late" / "shacl").iterdir()}
    assert len(early) == 1 + 5 + 1  # and the derived graphs' unit, sent later
