"""Rebuilding after an edit computes only what changed, and writes what a clean build writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from aiaccess.build import build
from aiaccess.memo import CACHE_ENV
from aiaccess.namespaces import DATASET_IRI, ID, VOID
from aiaccess.resources import Resources
from tests.dumps import assert_dumps_hold_the_dataset
from tests.test_generate import _generator

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


def _void_counts(dist: Path) -> tuple[int, int]:
    """Return VoID's triples and entities of the whole dataset."""
    store = ox.Store()
    store.load(path=dist / "void.ttl", format=ox.RdfFormat.TURTLE)
    rows = store.query(
        f"SELECT ?t ?e {{ <{DATASET_IRI}> <{VOID}triples> ?t ; <{VOID}entities> ?e }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    row = next(rows)
    return int(row["t"].value), int(row["e"].value)  # type: ignore[union-attr]


def test_several_groups_rebuild_as_a_clean_build_and_every_parser_reads_the_dumps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve generated articles (three groups): fragments spliced, one group recomputed."""
    root = tmp_path / "corpus"
    _generator().generate(12, root, seed=3)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "memo"))
    _build(Resources(root), tmp_path / "first")
    assert_dumps_hold_the_dataset(tmp_path / "first")
    quads = list(ox.parse(path=tmp_path / "first" / "dataset.nq", format=ox.RdfFormat.N_QUADS))
    subjects = {q.subject for q in quads if q.subject.value.startswith(ID)}
    assert _void_counts(tmp_path / "first") == (len(quads), len(subjects))
    path = next((root / "data" / "articles").glob("*-00006.ttl"))
    path.write_text(path.read_text().replace('"Synthetic article ', '"Edited article ', 1))
    before = set((tmp_path / "memo" / "fragments").iterdir())
    shutil.rmtree(tmp_path / "memo" / "links")  # the other articles' links are not read again
    assert _build(Resources(root), tmp_path / "incremental") == [(12, 12)]
    assert len(list((tmp_path / "memo" / "links").iterdir())) == 5  # the edited story's
    added = {p.name.rsplit(".", 2)[0] for p in (tmp_path / "memo" / "fragments").iterdir()}
    assert len(added - {p.name.rsplit(".", 2)[0] for p in before}) == 1  # the edited group's
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "fresh-memo"))
    _build(Resources(root), tmp_path / "clean")
    for name in sorted(p.name for p in (tmp_path / "clean").iterdir()):
        clean = (tmp_path / "clean" / name).read_bytes()
        assert (tmp_path / "incremental" / name).read_bytes() == clean, name
    assert b"Edited article" in (tmp_path / "clean" / "dataset.nq").read_bytes()


def test_a_build_without_the_cache_writes_the_same_bytes(
    resources: Resources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fragments are copied from the cache's files, or held in memory when it is off."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "memo"))
    _build(resources, tmp_path / "cached")
    monkeypatch.setenv(CACHE_ENV, "")
    _build(resources, tmp_path / "uncached")
    for path in sorted((tmp_path / "cached").iterdir()):
        assert (tmp_path / "uncached" / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_dumps_guess_stops_at_the_edited_articles_group(
    resources: Resources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next build starts each dump on the last build's fragments, up to the first fragment
    made from an article whose file changed since (here the only group: the base alone), and
    its SHA-256 from the last build's state there."""
    from concurrent.futures import Future

    from aiaccess.build import _guesses

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "memo"))
    build(tmp_path / "first", resources)
    unchanged = _guesses(resources, Future())["dataset.nq"]
    assert unchanged is not None
    pieces = [c.name for c in unchanged.chunks if not isinstance(c, bytes)]
    assert [name.split("-", 1)[0] for name in pieces] == ["base", "group", "dataset"]
    assert unchanged.last is not None  # with the hash's state before each piece written
    assert [n for n in unchanged.last.names if n.startswith("fragments/")] == [
        f"fragments/{name}" for name in pieces
    ]
    assert len(unchanged.last.states) == len(unchanged.last.names) + 1
    _edit(resources)
    edited = _guesses(resources, Future())["dataset.nq"]
    assert edited is not None
    assert [c.name for c in edited.chunks if not isinstance(c, bytes)] == pieces[:1]
