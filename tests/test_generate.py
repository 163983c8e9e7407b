"""The synthetic corpus generator of ``bench/``: valid under the project's rules, deterministic."""

from __future__ import annotations

import functools
import importlib.util
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox
import pytest

from aiaccess.build import build
from aiaccess.dataset import Assembled, assemble
from aiaccess.namespaces import AIA, ID, RDF, SCHEMA
from aiaccess.resources import Resources
from aiaccess.validate import check

GENERATOR = Path(__file__).resolve().parents[1] / "bench" / "generate.py"
OA_EXACT = "http://www.w3.org/ns/oa#exact"


@functools.cache
def _generator() -> ModuleType:
    """Import bench/generate.py (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("aiaccess_bench_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Resources, Assembled, list[Any]]:
    """Twelve articles: two full stories of five languages and one of two articles."""
    out = tmp_path_factory.mktemp("generated") / "corpus"
    items = _generator().generate(12, out, seed=3)
    res = Resources(out)
    return res, assemble(res), items


def test_generated_corpus_is_valid(corpus: tuple[Resources, Assembled, list[Any]]) -> None:
    res, data, _ = corpus
    report = check(data, res)
    assert report.conforms, report.text()
    assert len(data.sources) == 12
    assert {s.language for s in data.sources} == {"he", "en", "zh", "fr", "vi"}


def test_generated_corpus_builds(
    corpus: tuple[Resources, Assembled, list[Any]], tmp_path: Path
) -> None:
    res, _, _ = corpus
    written = build(tmp_path / "dist", res)
    assert (tmp_path / "dist" / "dataset.nq") in written


def test_cli_generates_a_folder_that_validates(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    generated = subprocess.run(
        [sys.executable, str(GENERATOR), "--articles", "5", "--seed", "1", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    aiaccess = Path(sys.executable).with_name("aiaccess")
    validated = subprocess.run(
        [str(aiaccess), "--root", str(out), "validate"], capture_output=True, text=True, check=False
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "0 violations" in validated.stdout


def test_cli_refuses_no_articles(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--articles", "0", "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "--articles must be at least 1" in result.stderr
    assert not (tmp_path / "x").exists()


def test_texts_are_in_each_language_script(tmp_path: Path) -> None:
    items = _generator().generate(5, tmp_path / "corpus")
    scripts = {
        item.language: {unicodedata.name(c).split()[0] for c in item.text() if c.isalpha()}
        for item in items
    }
    assert "HEBREW" in scripts["he"] and "CJK" in scripts["zh"]
    assert scripts["en"] == {"LATIN"} and scripts["fr"] == {"LATIN"}
    assert any(c in items[4].text() for c in "ạảấầẩậốồộớờởứừựđĐ")
    assert "août" in items[3].text() or "juillet" in items[3].text()


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generator = _generator()
    generator.generate(12, tmp_path / "a", seed=7)
    generator.generate(12, tmp_path / "b", seed=7)
    generator.generate(12, tmp_path / "c", seed=8)
    files = _files(tmp_path / "a")
    assert files == _files(tmp_path / "b")
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a/seeds/SHA256SUMS").read_bytes() != (
        tmp_path / "c/seeds/SHA256SUMS"
    ).read_bytes()


def _files(folder: Path) -> list[Path]:
    """Return every file below ``folder``, relative to it, sorted."""
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


def test_every_sentence_is_a_verbatim_quote(
    corpus: tuple[Resources, Assembled, list[Any]],
) -> None:
    _, data, items = corpus
    quotes = {q.object.value for q in data.quads if q.predicate.value == OA_EXACT}
    for item in items:
        sentences = item.sentences()
        assert len(sentences) == 12
        assert all(sentence in quotes for sentence in sentences), item.slug


def test_stories_share_facts_by_iri_and_may_disagree(
    corpus: tuple[Resources, Assembled, list[Any]],
) -> None:
    _, data, _ = corpus
    graphs: dict[str, set[str]] = defaultdict(set)
    starts: dict[str, set[str]] = defaultdict(set)
    for quad in data.quads:
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and "/graph/article/" in graph.value:
            if quad.predicate.value == AIA + "certainty":
                graphs[quad.subject.value].add(graph.value)
            if quad.predicate.value == SCHEMA + "startDate":
                starts[quad.subject.value].add(quad.object.value)
    restriction = ID + "policy/synthetic-00000"
    assert len(graphs[restriction]) == 5
    assert len(graphs[ID + "policy/synthetic-00002"]) == 2
    assert len(graphs[ID + "claim/synthetic-article-00004-domestic-models"]) == 1
    assert all(value.startswith("2024-07-") for value in starts[restriction])
    # seed 3: one article of the first story gives its own start date
    assert len(starts[restriction]) == 2


def test_registry_names_each_entity_in_each_script_that_writes_it(
    corpus: tuple[Resources, Assembled, list[Any]],
) -> None:
    res, _, _ = corpus
    forms: dict[str, dict[str, str]] = defaultdict(dict)
    for triple in ox.parse(path=res.registry, format=ox.RdfFormat.TURTLE):
        if triple.predicate.value == AIA + "surfaceForm":
            assert isinstance(triple.object, ox.Literal)
            forms[triple.subject.value][str(triple.object.language)] = triple.object.value
    company = forms[ID + "org/synthetic-00000"]
    assert set(company) == {"he", "en", "zh", "fr", "vi"}
    assert company["zh"].endswith("科技") and company["he"].startswith("מעבדות ")
    assert set(forms[ID + "org/synthetic-00002"]) == {"he", "en"}
    assert forms[ID + "place/china"]["vi"] == "Trung Quốc"
    types = {
        t.subject.value
        for t in ox.parse(path=res.registry, format=ox.RdfFormat.TURTLE)
        if t.predicate.value == RDF + "type"
    }
    assert len(types) == 5 + 6 * 3 + 12
