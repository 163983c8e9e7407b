"""``aiaccess build``: write the dataset's downloadable artifacts to ``dist/``.

Every file is produced from the assembled quads in a fixed order, so two
builds are byte-identical. The folder is written beside the target and swapped
in only once complete: a failed build leaves the previous ``dist/`` untouched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pyoxigraph as ox

from aiaccess import void
from aiaccess.dataset import Assembled, Progress, assemble
from aiaccess.errors import ValidationFailed
from aiaccess.namespaces import PREFIXES
from aiaccess.resources import Resources, default_resources

CHECKSUMS = "SHA256SUMS"


def build(
    out: Path, resources: Resources | None = None, progress: Progress | None = None
) -> list[Path]:
    """Assemble the dataset, validate it once and write all artifacts into ``out``, atomically.

    :param progress: told ``(done, total)`` as articles are assembled, for a progress bar.
    :returns: the files written, in ``out``.
    :raises AiaccessError: if the data is invalid (syntax, evidence or SHACL);
        ``out`` is then left as it was.
    :raises OSError: if the folder cannot be written.
    """
    from aiaccess.validate import check  # imports rdflib, which the server need not load

    res = resources or default_resources()
    data = assemble(res, progress)
    report = check(data, res)
    if not report.conforms:
        raise ValidationFailed(f"the dataset does not conform to the shapes:\n{report.text()}")
    writers = artifacts(data, res)
    out = out.resolve()
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        for name, write in writers.items():
            (tmp / name).write_bytes(write())
        (tmp / CHECKSUMS).write_bytes(_checksums(tmp, list(writers)))
        _swap(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [out / name for name in [*writers, CHECKSUMS]]


def artifacts(data: Assembled, res: Resources) -> dict[str, Callable[[], bytes]]:
    """Return each artifact's file name and the function producing its bytes.

    Public so that the server can offer byte-identical downloads without a build.
    """
    triples = list(dict.fromkeys(q.triple for q in data.quads))
    return {
        "dataset.trig": lambda: _serialize(data.quads, ox.RdfFormat.TRIG),
        "dataset.nq": lambda: data.nquads or canonical_nquads(data.quads),
        "dataset.ttl": lambda: _serialize(triples, ox.RdfFormat.TURTLE),
        "dataset.jsonld": lambda: _serialize(data.quads, ox.RdfFormat.JSON_LD),
        "ontology.ttl": lambda: res.ontology.read_bytes(),
        "shapes.ttl": lambda: res.shapes.read_bytes(),
        "void.ttl": lambda: _serialize(void.describe(data), ox.RdfFormat.TURTLE),
    }


def canonical_nquads(quads: list[ox.Quad]) -> bytes:
    """Return N-Quads with one statement per line, lines sorted by their bytes."""
    lines = _serialize(quads, ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    return b"".join(sorted(lines))


def _serialize(statements: list[ox.Quad] | list[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    """Serialize with the project's prefixes where the format has them."""
    data = ox.serialize(statements, format=fmt, prefixes=PREFIXES)
    assert data is not None  # no output file was given, so the bytes are returned
    return data


def _checksums(folder: Path, names: list[str]) -> bytes:
    """Return a ``sha256sum``-compatible manifest of ``names`` in ``folder``."""
    return sha256sums({n: (folder / n).read_bytes() for n in names})


def sha256sums(files: Mapping[str, bytes]) -> bytes:
    """Return a ``sha256sum``-compatible manifest of ``files`` (name → bytes), by name.

    >>> sha256sums({"a.txt": b""}).decode().endswith("b855  a.txt" + chr(10))
    True
    """
    lines = [f"{hashlib.sha256(files[n]).hexdigest()}  {n}\n" for n in sorted(files)]
    return "".join(lines).encode()


def _swap(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp`` with renames, so readers never see a partial folder."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
