"""Writing one artifact file: pieces copied by the kernel and hashed, possibly started on a guess.

A dump is a sequence of pieces: bytes (a header, a separator) and fragments
remembered in the cache (:class:`~aiaccess.memo.Piece`), whose names are
hashes of their content. Until the build has read every article it does not
know which fragments make up the dump, but the last build's list is a good
guess: after an edit, every fragment before the edited article's group is
the same. So the writer starts on the guess, and once the real list is known
it keeps what agrees with it (same name, same bytes), goes back to the first
piece that differs, truncating the file and restoring the SHA-256 computed up
to there, and writes the rest. The file ends byte for byte as if written from
the real list alone.

The SHA-256 is not computed over the pieces the last build wrote at the same
place either: the last build's hash states are kept with its list, and the
hash is taken up (:mod:`aiaccess.resumable`) from the first piece that differs.
"""

from __future__ import annotations

import hashlib
import mmap
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from aiaccess import resumable
from aiaccess.memo import Piece

Chunk = bytes | Piece
"""A piece of a file: bytes, or a piece remembered (or held) by :mod:`aiaccess.memo`."""


@dataclass(frozen=True)
class Hashed:
    """A file's pieces, by name (see :func:`_name`), and the SHA-256's state before each.

    ``states`` has one more item than ``names``: the state after the last piece.
    """

    names: list[str]
    states: list[bytes]


@dataclass(frozen=True)
class Guess:
    """The pieces a file is expected to hold, and a future done once the real ones are known."""

    chunks: Iterable[Chunk]
    """The expected pieces, taken one at a time (a remembered one may be gone: OSError)."""
    known: Future[Any]
    last: Hashed | None = None
    """The pieces the last build wrote and its hash's states, taken up where they still agree."""


@dataclass(frozen=True)
class Written:
    """A file's SHA-256, and its pieces and hash's states (None if they cannot be kept)."""

    sha256: str
    hashed: Hashed | None


def write(path: Path, chunks: Callable[[], Iterable[Chunk]], guess: Guess | None = None) -> Written:
    """Write what ``chunks`` yields to ``path``; return the file's SHA-256, computed meanwhile.

    :param guess: pieces to write before ``chunks`` can yield (it may wait for
        them); those that turn out wrong are taken back.
    """
    with path.open("wb", buffering=0) as out:
        sink = _Sink(out, guess.last if guess is not None else None)
        guessed = _guessed(sink, guess) if guess is not None else []
        count = 0
        for index, chunk in enumerate(chunks()):
            count = index + 1
            if index < len(guessed):
                if guessed[index] == chunk:
                    continue
                sink.rewind(index)
                guessed = guessed[:index]
            sink.add(chunk)
        if count < len(guessed):
            sink.rewind(count)
        return sink.written()


def _guessed(sink: _Sink, guess: Guess) -> list[Chunk]:
    """Write the guessed pieces until the real ones are known; return those written."""
    written: list[Chunk] = []
    pieces = iter(guess.chunks)
    while not guess.known.done():
        try:
            chunk = next(pieces)
            sink.add(chunk)
        except (StopIteration, OSError):
            break
        written.append(chunk)
    if len(sink.marks) > len(written):  # a remembered piece went missing while copied
        sink.rewind(len(written))
    return written


class _Sink:
    """An open file, the SHA-256 of what it holds, and where each piece written began.

    While every piece written is the one the last build wrote at that place
    (``last``), nothing is hashed: the hash's state there is the last build's.
    From the first piece that differs, the hash is taken up from that state.
    """

    def __init__(self, out: BinaryIO, last: Hashed | None) -> None:
        self.out = out
        self.last = last
        self.hash: resumable.Hash | None = None if last is not None else resumable.new()
        self.marks: list[tuple[int, Any]] = []
        """Where each piece began, and the hash's state before it."""
        self.names: list[str | None] = []

    def add(self, chunk: Chunk) -> None:
        """Append a piece, remembering where it began and the hash's state before it.

        A remembered piece is hashed through a memory map and copied by the
        kernel (``copy_file_range``), so its bytes are never copied into this
        process.
        """
        index, name = len(self.marks), _name(chunk)
        if self.hash is None:
            assert self.last is not None  # nothing is hashed only while the last build agrees
            if index < len(self.last.names) and name == self.last.names[index]:
                self.marks.append((self.out.tell(), self.last.states[index]))
                self.names.append(name)
                _append(chunk, self.out, None)
                return
            self.hash = resumable.new(self.last.states[index])
        self.marks.append((self.out.tell(), self.hash.saved()))
        self.names.append(name)
        _append(chunk, self.out, self.hash)

    def rewind(self, index: int) -> None:
        """Take back piece ``index`` and every later one."""
        offset, saved = self.marks[index]
        del self.marks[index:]
        del self.names[index:]
        self.out.truncate(offset)
        self.out.seek(offset)
        if self.hash is not None:
            self.hash = resumable.new(saved)

    def written(self) -> Written:
        """Return the file's SHA-256, with its pieces' names and the hash's states if kept."""
        if self.hash is None:
            assert self.last is not None
            end = self.last.states[len(self.marks)]
            digest = resumable.new(end).hexdigest()
        else:
            end, digest = self.hash.saved(), self.hash.hexdigest()
        states = [resumable.keepable(saved) for _, saved in self.marks]
        states.append(resumable.keepable(end))
        kept = [s for s in states if s is not None]
        named = [n for n in self.names if n is not None]
        whole = len(kept) == len(states) and len(named) == len(self.names)
        return Written(digest, Hashed(named, kept) if whole else None)


def _name(chunk: Chunk) -> str | None:
    """Return what names a piece's bytes: a remembered piece's name, or bytes' SHA-256.

    None for a piece held without a name (never remembered, never compared).
    """
    if isinstance(chunk, bytes):
        return "=" + hashlib.sha256(chunk).hexdigest()
    return f"{chunk.kind}/{chunk.name}" if chunk.name else None


def _append(chunk: Chunk, out: BinaryIO, digest: resumable.Hash | None) -> None:
    """Append a piece to ``out``, adding it to ``digest`` unless None."""
    if isinstance(chunk, bytes) or chunk.held is not None or not _COPY:
        data = chunk if isinstance(chunk, bytes) else chunk.read()
        if digest is not None:
            digest.update(data)
        out.write(data)
    else:
        _copy(chunk.path(), out.fileno(), digest)


_COPY = hasattr(os, "copy_file_range")


def _copy(source: str, target: int, digest: resumable.Hash | None) -> None:
    """Append the file ``source`` to the open file ``target``, adding it to ``digest``."""
    with open(source, "rb") as given:
        size = os.fstat(given.fileno()).st_size
        if digest is not None and size:
            with mmap.mmap(given.fileno(), 0, access=mmap.ACCESS_COPY) as mapped:
                digest.update(mapped)
        while size:
            copied = os.copy_file_range(given.fileno(), target, size)
            if not copied:
                raise OSError(f"{source} ended while being copied")
            size -= copied


def joined(chunks: Iterator[Chunk]) -> bytes:
    """Return the bytes of the pieces ``chunks`` yields, joined."""
    return b"".join(c if isinstance(c, bytes) else c.read() for c in chunks)
