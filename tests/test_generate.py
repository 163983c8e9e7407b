"""The synthetic corpus generator of ``bench/``: valid under the project's rules, deterministic."""

from __future__ import annotations

import functools
import importlib.util
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

from aiaccess.build import build
from aiaccess.dataset import assemble
from aiaccess.resources import Resources
from aiaccess.validate import check

GENERATOR = Path(__file__).resolve().parents[1] / "bench" / "generate.py"


@functools.cache
def _generator() -> ModuleType:
    """Import bench/generate.py (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("aiaccess_bench_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_corpus_is_valid_and_builds(tmp_path: Path) -> None:
    _generator().generate(20, tmp_path / "corpus")
    res = Resources(tmp_path / "corpus")
    data = assemble(res)
    report = check(data, res)
    assert report.conforms, report.text()
    assert len(data.sources) == 20
    assert {s.language for s in data.sources} == {"he", "en", "zh", "fr", "vi"}
    written = build(tmp_path / "dist", res)
    assert (tmp_path / "dist" / "dataset.nq") in written


def test_texts_are_in_each_language_script(tmp_path: Path) -> None:
    items = _generator().generate(5, tmp_path / "corpus")
    scripts = {
        item.language: {unicodedata.name(c).split()[0] for c in item.text() if c.isalpha()}
        for item in items
    }
    assert "HEBREW" in scripts["he"] and "CJK" in scripts["zh"]
    assert "LATIN" in scripts["vi"] and any(c in items[4].text() for c in "ạảấầẩậốồộớờở")


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generator = _generator()
    generator.generate(12, tmp_path / "a", seed=7)
    generator.generate(12, tmp_path / "b", seed=7)
    generator.generate(12, tmp_path / "c", seed=8)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.*"))
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a/seeds/SHA256SUMS").read_bytes() != (
        tmp_path / "c/seeds/SHA256SUMS"
    ).read_bytes()


def test_facts_carry_verbatim_quotes_of_their_text(tmp_path: Path) -> None:
    items = _generator().generate(5, tmp_path / "corpus")
    data = assemble(Resources(tmp_path / "corpus"))
    exact = "http://www.w3.org/ns/oa#exact"
    quotes = {q.object.value for q in data.quads if q.predicate.value == exact}
    for item in items:
        assert all(sentence in quotes for sentence in item.sentences()), item.slug
