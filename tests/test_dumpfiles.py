"""Writing a file started on a guess ends byte for byte as if written from the real pieces."""

from __future__ import annotations

import hashlib
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from aiaccess.dumpfiles import Chunk, Guess, write
from aiaccess.memo import CACHE_ENV, Piece


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Piece]:
    """Four pieces remembered in a fresh cache, by their text."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "memo"))
    texts = ["<a> <b> <c> .\n", "<d> <e> <f> .\n", "<g> <h> <i> .\n", "<j> <k> <l> .\n"]
    pieces = {t: Piece.keep("fragments", f"{n}.nq", t.encode()) for n, t in enumerate(texts)}
    assert all(p.held is None for p in pieces.values())
    return pieces


def _written(tmp_path: Path, real: list[Chunk], guessed: list[Chunk] | None) -> bytes:
    """Write ``real`` after ``guessed`` (all written before the real pieces are known)."""
    known: Future[Any] = Future()

    def chunks() -> list[Chunk]:
        known.set_result(None)
        return real

    guess = Guess(iter(guessed), known) if guessed is not None else None
    path = tmp_path / "out.nq"
    digest = write(path, chunks, guess)
    data = path.read_bytes()
    assert digest == hashlib.sha256(data).hexdigest()
    return data


def _expected(real: list[Chunk]) -> bytes:
    return b"".join(c if isinstance(c, bytes) else c.read() for c in real)


@pytest.mark.parametrize(
    ("real", "guessed"),
    [
        ("abcd", "abcd"),  # the guess was right
        ("abxd", "abcd"),  # one piece edited in the middle
        ("ab", "abcd"),  # the guess was longer
        ("abcd", "ab"),  # the guess was shorter
        ("dcba", "abcd"),  # wrong from the first piece
        ("abcd", ""),  # nothing guessed
    ],
)
def test_a_file_started_on_a_guess_holds_exactly_the_real_pieces(
    kept: dict[str, Piece], tmp_path: Path, real: str, guessed: str
) -> None:
    pieces = list(kept.values())
    by_letter: dict[str, Chunk] = {letter: pieces[n] for n, letter in enumerate("abcd")}
    by_letter["x"] = b"<x> <y> <z> .\n"
    real_chunks = [b"# head\n", *(by_letter[c] for c in real)]
    guessed_chunks = [b"# head\n", *(by_letter[c] for c in guessed)]
    assert _written(tmp_path, real_chunks, guessed_chunks) == _expected(real_chunks)


def test_a_guessed_piece_gone_from_the_cache_stops_the_guess(
    kept: dict[str, Piece], tmp_path: Path
) -> None:
    first, second, *_ = kept.values()
    gone = Piece("fragments", "forgotten.nq")
    real: list[Chunk] = [first, second]
    assert _written(tmp_path, real, [first, gone, second]) == _expected(real)


def test_without_a_guess_the_pieces_are_written_in_order(
    kept: dict[str, Piece], tmp_path: Path
) -> None:
    real: list[Chunk] = [*kept.values(), b"tail\n"]
    assert _written(tmp_path, real, None) == _expected(real)
