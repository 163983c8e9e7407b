"""Writing a file started on a guess ends byte for byte as if written from the real pieces.

Its SHA-256 is right too when taken up from the last build's hash states.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from aiaccess import resumable
from aiaccess.dumpfiles import Chunk, Guess, Hashed, Written, write
from aiaccess.memo import CACHE_ENV, Piece


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Piece]:
    """Four pieces remembered in a fresh cache, by their text."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "memo"))
    texts = ["<a> <b> <c> .\n", "<d> <e> <f> .\n", "<g> <h> <i> .\n", "<j> <k> <l> .\n"]
    pieces = {t: Piece.keep("fragments", f"{n}.nq", t.encode()) for n, t in enumerate(texts)}
    assert all(p.held is None for p in pieces.values())
    return pieces


def _written(
    tmp_path: Path, real: list[Chunk], guessed: list[Chunk] | None, last: Hashed | None = None
) -> bytes:
    """Write ``real`` after ``guessed`` (all written before the real pieces are known)."""
    return _write(tmp_path, real, guessed, last)[0]


def _write(
    tmp_path: Path, real: list[Chunk], guessed: list[Chunk] | None, last: Hashed | None = None
) -> tuple[bytes, Written]:
    """Write as :func:`_written` does; return the file's bytes and what ``write`` returned."""
    known: Future[Any] = Future()

    def chunks() -> list[Chunk]:
        known.set_result(None)
        return real

    guess = Guess(iter(guessed or []), known, last) if guessed is not None or last else None
    path = tmp_path / "out.nq"
    written = write(path, chunks, guess)
    data = path.read_bytes()
    assert written.sha256 == hashlib.sha256(data).hexdigest()
    return data, written


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


@pytest.fixture
def hashed_bytes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the bytes given to every SHA-256 the writer makes from now on."""
    counted: list[int] = []
    new = resumable.new

    class Counting:
        def __init__(self, saved: Any = None) -> None:
            self.hash = new(saved)

        def update(self, data: resumable.Data) -> None:
            counted.append(len(data))
            self.hash.update(data)

        def hexdigest(self) -> str:
            return self.hash.hexdigest()

        def saved(self) -> Any:
            return self.hash.saved()

    monkeypatch.setattr(resumable, "new", Counting)
    return counted


@pytest.mark.parametrize(
    ("real", "guessed", "unhashed"),
    [
        ("abxd", "ab", "ab"),  # the build's case: guessed up to the edited piece
        ("abxd", "abcd", "ab"),  # guessed too far: taken back, hashed from x
        ("abcd", "abcd", "abcd"),  # nothing changed: nothing hashed
        ("abc", "", "abc"),  # nothing guessed, the pieces agree all the same
        ("xbcd", "", ""),  # the first piece differs: all hashed
        ("abcdx", "abcd", "abcd"),  # a piece added at the end
    ],
)
def test_a_rewrite_hashes_from_the_first_piece_unlike_the_last_builds(
    kept: dict[str, Piece],
    tmp_path: Path,
    hashed_bytes: list[int],
    real: str,
    guessed: str,
    unhashed: str,
) -> None:
    pieces = list(kept.values())
    by_letter: dict[str, Chunk] = {letter: pieces[n] for n, letter in enumerate("abcd")}
    by_letter["x"] = b"<x> <y> <z> .\n"

    def of(letters: str) -> list[Chunk]:
        return [b"# head\n", *(by_letter[c] for c in letters)]

    if not resumable.keepable(resumable.new().saved()):
        pytest.skip("libcrypto's SHA-256 cannot be called here: every file is hashed whole")
    _, first = _write(tmp_path, of("abcd"), None)
    assert first.hashed is not None and len(first.hashed.states) == 6
    hashed_bytes.clear()
    data, again = _write(tmp_path, of(real), of(guessed) if guessed else [], first.hashed)
    assert data == _expected(of(real))
    assert sum(hashed_bytes) == len(data) - len(_expected(of(unhashed)))
    assert (
        again.hashed is not None
        and again.hashed.names[: len(unhashed) + 1] == (first.hashed.names[: len(unhashed) + 1])
    )


def test_without_libcrypto_files_are_hashed_whole_and_no_states_are_kept(
    kept: dict[str, Piece], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resumable, "_library", lambda: None)
    real: list[Chunk] = [b"# head\n", *kept.values()]
    data, written = _write(tmp_path, real, real[:2])
    assert data == _expected(real)
    assert written.hashed is None
