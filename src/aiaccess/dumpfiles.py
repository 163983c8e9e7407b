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

from aiaccess.memo import Piece

Chunk = bytes | Piece
"""A piece of a file: bytes, or a piece remembered (or held) by :mod:`aiaccess.memo`."""


@dataclass(frozen=True)
class Guess:
    """The pieces a file is expected to hold, and a future done once the real ones are known."""

    chunks: Iterable[Chunk]
    """The expected pieces, taken one at a time (a remembered one may be gone: OSError)."""
    known: Future[Any]


def write(path: Path, chunks: Callable[[], Iterable[Chunk]], guess: Guess | None = None) -> str:
    """Write what ``chunks`` yields to ``path``; return the file's SHA-256, computed meanwhile.

    :param guess: pieces to write before ``chunks`` can yield (it may wait for
        them); those that turn out wrong are taken back.
    """
    with path.open("wb", buffering=0) as out:
        sink = _Sink(out)
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
        return sink.digest.hexdigest()


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
    """An open file, the SHA-256 of what it holds, and where each piece written began."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.digest = hashlib.sha256()
        self.marks: list[tuple[int, Any]] = []

    def add(self, chunk: Chunk) -> None:
        """Append a piece, remembering where it began and the digest before it.

        A remembered piece is hashed through a memory map and copied by the
        kernel (``copy_file_range``), so its bytes are never copied into this
        process.
        """
        self.marks.append((self.out.tell(), self.digest.copy()))
        if isinstance(chunk, bytes) or chunk.held is not None or not _COPY:
            data = chunk if isinstance(chunk, bytes) else chunk.read()
            self.digest.update(data)
            self.out.write(data)
        else:
            _copy(chunk.path(), self.out.fileno(), self.digest)

    def rewind(self, index: int) -> None:
        """Take back piece ``index`` and every later one."""
        offset, digest = self.marks[index]
        del self.marks[index:]
        self.out.truncate(offset)
        self.out.seek(offset)
        self.digest = digest


_COPY = hasattr(os, "copy_file_range")


def _copy(source: str, target: int, digest: Any) -> None:
    """Append the file ``source`` to the open file ``target``, adding it to ``digest``."""
    with open(source, "rb") as given:
        size = os.fstat(given.fileno()).st_size
        with mmap.mmap(given.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            digest.update(mapped)
        while size:
            copied = os.copy_file_range(given.fileno(), target, size)
            if not copied:
                raise OSError(f"{source} ended while being copied")
            size -= copied


def joined(chunks: Iterator[Chunk]) -> bytes:
    """Return the bytes of the pieces ``chunks`` yields, joined."""
    return b"".join(c if isinstance(c, bytes) else c.read() for c in chunks)
