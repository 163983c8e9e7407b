"""``aiaccess build``: write the dataset's downloadable artifacts to ``dist/``.

Every file is produced from the assembled quads in a fixed order, so two
builds are byte-identical. The folder is written beside the target and swapped
in only once complete: a failed build leaves the previous ``dist/`` untouched.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from aiaccess import void
from aiaccess.dataset import Assembled, Progress, begin
from aiaccess.errors import ValidationFailed
from aiaccess.fragments import DUMPS
from aiaccess.memo import Piece
from aiaccess.namespaces import PREFIXES
from aiaccess.resources import Resources, default_resources

CHECKSUMS = "SHA256SUMS"
WRITERS = 2
"""Threads writing the files while the data is validated (hashing and writing free the GIL)."""


def build(
    out: Path, resources: Resources | None = None, progress: Progress | None = None
) -> list[Path]:
    """Assemble the dataset, validate it once and write all artifacts into ``out``, atomically.

    The dumps are written (in threads) as soon as the articles are grouped:
    the remembered fragments are copied while the groups not remembered are
    computed, and then while the data is validated.

    :param progress: told ``(done, total)`` as articles are assembled, for a progress bar.
    :returns: the files written, in ``out``.
    :raises AiaccessError: if the data is invalid (syntax, evidence or SHACL);
        ``out`` is then left as it was.
    :raises OSError: if the folder cannot be written.
    """
    from aiaccess.validate import check  # imports rdflib, which the server need not load

    res = resources or default_resources()
    started = begin(res, progress)
    out = out.resolve()
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        with ThreadPoolExecutor(WRITERS) as pool:
            writing = {n: pool.submit(_write, tmp / n, partial(started.dump, n)) for n in DUMPS}
            data = started.finish()
            rest = {n: s for n, s in streams(data, res).items() if n not in writing}
            writing |= {n: pool.submit(_write, tmp / n, s) for n, s in rest.items()}
            report = check(data, res)
            sums = {name: future.result() for name, future in writing.items()}
        if not report.conforms:
            raise ValidationFailed(f"the dataset does not conform to the shapes:\n{report.text()}")
        (tmp / CHECKSUMS).write_bytes(_manifest(sums))
        _swap(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [out / name for name in [*sums, CHECKSUMS]]


def artifacts(data: Assembled, res: Resources) -> dict[str, Callable[[], bytes]]:
    """Return each artifact's file name and the function producing its bytes.

    Public so that the server can offer byte-identical downloads without a build.
    """
    return {name: _joined(chunks) for name, chunks in streams(data, res).items()}


def streams(data: Assembled, res: Resources) -> dict[str, Callable[[], Iterator[bytes | Piece]]]:
    """Return each artifact's file name and the function yielding its bytes piece by piece.

    The dumps are their parts' fragments one after the other (see
    :mod:`aiaccess.fragments`), so a large dataset is never held whole.
    """
    return {
        "dataset.trig": lambda: data.dump("dataset.trig"),
        "dataset.nq": lambda: data.dump("dataset.nq"),
        "dataset.ttl": lambda: data.dump("dataset.ttl"),
        "dataset.jsonld": lambda: data.dump("dataset.jsonld"),
        "ontology.ttl": lambda: iter([res.ontology.read_bytes()]),
        "shapes.ttl": lambda: iter([res.shapes.read_bytes()]),
        "void.ttl": lambda: iter([_serialize(void.describe(data), ox.RdfFormat.TURTLE)]),
    }


def _joined(chunks: Callable[[], Iterator[bytes | Piece]]) -> Callable[[], bytes]:
    """Return a function joining the pieces ``chunks`` yields."""
    return lambda: b"".join(c if isinstance(c, bytes) else c.read() for c in chunks())


def _write(path: Path, chunks: Callable[[], Iterable[bytes | Piece]]) -> str:
    """Write what ``chunks`` yields to ``path``; return the file's SHA-256, computed meanwhile.

    A remembered piece is hashed through a memory map and copied by the kernel
    (``copy_file_range``), so its bytes are never copied into this process.
    """
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for chunk in chunks():
            if isinstance(chunk, bytes) or chunk.held is not None or not _COPY:
                data = chunk if isinstance(chunk, bytes) else chunk.read()
                digest.update(data)
                out.write(data)
            else:
                out.flush()
                _copy(chunk.path(), out.fileno(), digest)
    return digest.hexdigest()


_COPY = hasattr(os, "copy_file_range")


def _copy(source: str, target: int, digest: hashlib._Hash) -> None:
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


def _serialize(statements: list[ox.Quad] | list[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    """Serialize with the project's prefixes where the format has them."""
    data = ox.serialize(statements, format=fmt, prefixes=PREFIXES)
    assert data is not None  # no output file was given, so the bytes are returned
    return data


def _manifest(sums: Mapping[str, str]) -> bytes:
    """Return a ``sha256sum``-compatible manifest from each file's SHA-256, by name."""
    return "".join(f"{sums[n]}  {n}\n" for n in sorted(sums)).encode()


def sha256sums(files: Mapping[str, bytes]) -> bytes:
    """Return a ``sha256sum``-compatible manifest of ``files`` (name → bytes), by name.

    >>> sha256sums({"a.txt": b""}).decode().endswith("b855  a.txt" + chr(10))
    True
    """
    return _manifest({name: hashlib.sha256(body).hexdigest() for name, body in files.items()})


def _swap(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp`` with renames, so readers never see a partial folder."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
