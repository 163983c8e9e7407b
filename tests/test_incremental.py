"""Rebuilding after an edit computes only what changed, and writes what a clean build writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiaccess.build import build
from aiaccess.memo import CACHE_ENV
from aiaccess.resources import Resources

FR = "data/articles/fr-azure-openai-individual-developers.ttl"


def _build(resources: Resources, out: Path) -> list[tuple[int, int]]:
    """Build; return the progress reports, one per article computed (not recalled)."""
    told: list[tuple[int, int]] = []
    build(out, resources, lambda done, total: told.append((done, total)))
    return told


def _units(memo: Path) -> set[tuple[str, str]]:
    """Return the validation units remembered in ``memo``: (kind, file name)."""
    return {(p.name.split("-", 1)[0], p.name) for p in (memo / "shacl").iterdir()}


def _edit(resources: Resources) -> None:
    """Change one article's English label (not its quotes)."""
    path = resources.root / FR
    text = path.read_text(encoding="utf-8")
    old = "French article: Microsoft ends Azure OpenAI"
    assert old in text
    path.write_text(text.replace(old, "French article (edited): Microsoft ends Azure OpenAI"))


def test_rebuild_after_one_edit_computes_one_article_and_matches_a_clean_build(
    resources: Resources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "memo"))
    assert _build(resources, tmp_path / "first") == [(i, 5) for i in range(1, 6)]
    assert _build(resources, tmp_path / "unchanged") == []
    validated = _units(tmp_path / "memo")
    assert sorted(kind for kind, _ in validated) == ["article"] * 5 + ["base", "derived"]
    _edit(resources)
    assert _build(resources, tmp_path / "incremental") == [(5, 5)]
    again = sorted(kind for kind, _ in _units(tmp_path / "memo") - validated)
    assert again == ["article", "derived"]  # the edited article and the computed graphs
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "fresh-memo"))
    assert len(_build(resources, tmp_path / "clean")) == 5
    names = sorted(p.name for p in (tmp_path / "clean").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "incremental").iterdir())
    for name in names:
        clean = (tmp_path / "clean" / name).read_bytes()
        assert (tmp_path / "incremental" / name).read_bytes() == clean, name
    assert b"French article (edited)" in (tmp_path / "clean" / "dataset.nq").read_bytes()
    assert (tmp_path / "first" / "dataset.nq").read_bytes() != (
        tmp_path / "clean" / "dataset.nq"
    ).read_bytes()


def test_a_changed_seed_is_not_recalled(
    resources: Resources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memo is keyed by the article file; the seed's checksum is checked on recall."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "memo"))
    _build(resources, tmp_path / "first")
    sums = resources.seeds / "SHA256SUMS"
    seed = next(p for p in resources.seeds.glob("003_*.txt"))
    seed.write_bytes(seed.read_bytes() + b"\n")
    import hashlib

    digest = hashlib.sha256(seed.read_bytes()).hexdigest()
    lines = [
        f"{digest}  {seed.name}" if line.endswith(seed.name) else line
        for line in sums.read_text().splitlines()
    ]
    sums.write_text("\n".join(lines) + "\n")
    assert _build(resources, tmp_path / "second") == [(5, 5)]
