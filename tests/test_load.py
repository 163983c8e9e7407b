"""``aiaccess.load()``: an rdflib Dataset over Oxigraph, and the cache that makes it fast."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from oxrdflib import OxigraphStore

from aiaccess.dataset import Assembled
from aiaccess.load import CACHE_ENV, cache_file, load, store
from aiaccess.namespaces import AIA, ID, article_graph
from aiaccess.resources import Resources

FR = rdflib.URIRef(article_graph("fr-azure-openai-individual-developers"))
AZURE_END = rdflib.URIRef(ID + "policy/azure-openai-individual-developers-end")
START = rdflib.URIRef("https://schema.org/startDate")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty cache folder, for the tests of the cache itself.

    The other tests read the run's shared cache (tests/conftest.py), as users do.
    """
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def test_load_gives_a_dataset_over_oxigraph() -> None:
    dataset = load()
    assert isinstance(dataset, rdflib.Dataset)
    assert isinstance(dataset.store, OxigraphStore)
    assert dataset.default_union


def direct(assembled: Assembled) -> set[ox.Quad]:
    """The assembled quads as an Oxigraph store holds them (it stores xsd:nonNegativeInteger
    as xsd:integer)."""
    reference = ox.Store()
    reference.bulk_extend(assembled.quads)
    return set(reference)


def test_every_quad_of_the_assembled_dataset_is_loaded(assembled: Assembled) -> None:
    loaded = store()
    assert len(loaded) == len(assembled.quads)
    assert set(loaded) == direct(assembled)


def test_one_named_graph_per_article() -> None:
    graphs = {str(g.identifier) for g in load().graphs()}
    articles = {g for g in graphs if g.startswith(article_graph(""))}
    assert len(articles) == 5
    assert {
        "https://w3id.org/aiaccess/graph/registry",
        "https://w3id.org/aiaccess/graph/mentions",
    } <= graphs


def test_each_graph_states_its_own_values() -> None:
    dataset = load()
    # fr: "à compter du 21 octobre" (no year)
    assert dataset.graph(FR).value(AZURE_END, START) == rdflib.Literal(
        "--10-21", datatype=rdflib.XSD.gMonthDay
    )


def test_the_default_graph_is_the_union() -> None:
    found = load().query(f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{AIA}Article> }}")
    assert [int(row[0]) for row in found] == [5]


def test_the_cache_is_written_once_and_then_read(cache: Path, assembled: Assembled) -> None:
    path = cache_file()
    assert path is not None and path.parent == cache and not path.exists()
    store()
    assert path.is_file()
    written = path.stat().st_mtime_ns
    assert set(store()) == direct(assembled)
    assert path.stat().st_mtime_ns == written


def test_a_broken_cache_file_is_rebuilt(cache: Path, assembled: Assembled) -> None:
    path = cache_file()
    assert path is not None
    cache.mkdir()
    path.write_text("<not quads")
    assert set(store()) == direct(assembled)
    assert path.read_bytes() != b"<not quads"


def test_stale_cache_files_are_removed(cache: Path) -> None:
    cache.mkdir()
    stale = cache / "dataset-0123456789abcdef.nq"
    stale.write_text("")
    store()
    assert not stale.exists()
    assert [p.name for p in cache.glob("dataset-*")] == [cache_file().name]  # type: ignore[union-attr]


def test_an_empty_setting_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "")
    assert cache_file() is None
    assert len(store()) > 10_000


def test_an_unwritable_cache_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    assert len(store()) > 10_000


def test_other_resources_are_assembled_afresh(cache: Path, resources: Resources) -> None:
    fr = resources.root / "data" / "articles" / "fr-azure-openai-individual-developers.ttl"
    fr.unlink()
    graphs = {g.value for g in store(resources).named_graphs()}
    assert article_graph("fr-azure-openai-individual-developers") not in graphs
    assert not list(cache.glob("dataset-*"))  # only the build's per-article memo is kept


def test_the_cache_name_follows_the_data(
    cache: Path, monkeypatch: pytest.MonkeyPatch, resources: Resources
) -> None:
    before = cache_file()
    registry = resources.registry
    registry.write_text(registry.read_text() + "\n# changed\n")
    monkeypatch.setattr(sys.modules["aiaccess.load"], "default_resources", lambda: resources)
    assert cache_file() != before


def test_loaded_stores_are_independent() -> None:
    first, second = store(), store()
    first.clear()
    assert len(first) == 0 and len(second) > 10_000
    assert isinstance(second, ox.Store)
