"""``aiaccess build``: write the dataset's downloadable artifacts to ``dist/``.

Every file is produced from the assembled quads in a fixed order, so two
builds are byte-identical. The folder is written beside the target and swapped
in only once complete: a failed build leaves the previous ``dist/`` untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from aiaccess import dumpfiles, fragments, memo, resumable, void
from aiaccess.dataset import Assembled, Progress, Started, begin
from aiaccess.errors import ValidationFailed
from aiaccess.fragments import DUMPS
from aiaccess.memo import Piece
from aiaccess.namespaces import PREFIXES
from aiaccess.resources import Resources, default_resources

if TYPE_CHECKING:
    from aiaccess.validate import Report

CHECKSUMS = "SHA256SUMS"
WRITERS = 2
"""Threads writing the files while the data is validated (hashing and writing free the GIL)."""


def build(
    out: Path, resources: Resources | None = None, progress: Progress | None = None
) -> list[Path]:
    """Assemble the dataset, validate it once and write all artifacts into ``out``, atomically.

    The shapes are compiled meanwhile in a worker (:func:`aiaccess.validate.ahead`).
    The dumps are written in threads from the start: first from the last
    build's list of fragments (see :mod:`aiaccess.dumpfiles`), while the
    articles are read, then from the real list as its groups are computed,
    and then while the data is validated.

    :param progress: told ``(done, total)`` as articles are assembled, for a progress bar.
    :returns: the files written, in ``out``.
    :raises AiaccessError: if the data is invalid (syntax, evidence or SHACL);
        ``out`` is then left as it was.
    :raises OSError: if the folder cannot be written.
    """
    res = resources or default_resources()
    out = out.resolve()
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        data, report, written = _written_and_checked(tmp, res, progress)
        if not report.conforms:
            raise ValidationFailed(f"the dataset does not conform to the shapes:\n{report.text()}")
        (tmp / CHECKSUMS).write_bytes(_manifest({n: w.sha256 for n, w in written.items()}))
        _swap(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _remember_plan(res, data, written)
    return [out / name for name in [*written, CHECKSUMS]]


def _written_and_checked(
    tmp: Path, res: Resources, progress: Progress | None
) -> tuple[Assembled, Report, dict[str, dumpfiles.Written]]:
    """Assemble the dataset, write every artifact into ``tmp`` and check the data meanwhile.

    The shapes are compiled in a worker forked first (before any thread
    starts), while the articles are read and the dumps written. The last
    build's files are left to the swap at the end: deleting them drops their
    pages, even unwritten ones, where dropping them from the page cache
    earlier (``posix_fadvise``) first wrote back those of a build made seconds
    before (rebuild of one edit of 1,000 articles, six idle pairs: 2.17 s
    median with it, 1.89 s without).
    """
    from aiaccess.validate import ahead, check  # imports rdflib, which the server need not load

    known: Future[Started] = Future()
    with ahead(res) as engine, ThreadPoolExecutor(WRITERS) as pool:
        guesses = _guesses(res, known)
        writing = {
            name: pool.submit(dumpfiles.write, tmp / name, partial(_real, known, name), guess)
            for name, guess in guesses.items()
        }
        data = _assembled(res, progress, known)
        rest = {n: s for n, s in streams(data, res).items() if n not in writing}
        writing |= {n: pool.submit(dumpfiles.write, tmp / n, s) for n, s in rest.items()}
        report = check(data, res, engine)
        return data, report, {name: future.result() for name, future in writing.items()}


def _assembled(res: Resources, progress: Progress | None, known: Future[Started]) -> Assembled:
    """Assemble the dataset, telling ``known`` as soon as its fragments' list is known.

    A failure is told too, so that no writer waits for the list forever.
    """
    try:
        started = begin(res, progress)
    except BaseException as error:
        known.set_exception(error)
        raise
    known.set_result(started)
    return started.finish()


def _real(known: Future[Started], name: str) -> Iterator[bytes | Piece]:
    """Yield the dump ``name`` once the fragments' list is known (see :meth:`Started.dump`)."""
    return known.result().dump(name)


def _guesses(res: Resources, known: Future[Started]) -> dict[str, dumpfiles.Guess | None]:
    """Return each dump's guess: the fragments of the last build of this data folder, if any.

    A guess stops before the first fragment with an article whose file changed
    since (or with the ontology or registry changed): that part of the dump will
    be written again anyway, so writing the guess past it is wasted.
    """
    remembered = memo.get("plans", _plan_name(res))
    try:
        plan = json.loads(remembered) if remembered is not None else {}
        dumps, articles = plan["dumps"], plan["articles"]
        unchanged = plan["inputs"] == _inputs(res) and isinstance(articles, list)
    except (ValueError, KeyError, TypeError):
        unchanged = False
    guesses: dict[str, dumpfiles.Guess | None] = dict.fromkeys(DUMPS)
    if not unchanged:
        return guesses
    same = _Unchanged(res)
    hashed = plan.get("hashed")
    for name in DUMPS:
        names = dumps.get(name) if isinstance(dumps, dict) else None
        if isinstance(names, list) and len(names) == len(articles):
            pieces = same.prefix([Piece("fragments", str(n)) for n in names], articles)
            last = _hashed(hashed.get(name)) if isinstance(hashed, dict) else None
            guesses[name] = dumpfiles.Guess(fragments.dump(name, pieces), known, last)
    return guesses


def _hashed(remembered: Any) -> dumpfiles.Hashed | None:
    """Return the pieces and hash states of a dump as :func:`_remember_plan` kept them, if sound."""
    try:
        names, states = remembered["names"], [bytes.fromhex(s) for s in remembered["states"]]
    except (KeyError, TypeError, ValueError):
        return None
    if not all(isinstance(n, str) for n in names) or len(states) != len(names) + 1:
        return None
    if any(resumable.keepable(state) is None for state in states):
        return None
    return dumpfiles.Hashed(names, states)


class _Unchanged:
    """Tells whether an article file still has the content a part was computed from."""

    def __init__(self, res: Resources) -> None:
        self.res = res
        self.salt = memo.key(res.registry.read_bytes())
        self.known: dict[str, bool] = {}

    def prefix(self, pieces: list[Piece], articles: list[Any]) -> Iterator[Piece]:
        """Yield ``pieces`` up to the first whose articles (``[[shown, digest], ...]``) changed."""
        for piece, parts in zip(pieces, articles, strict=True):
            if not all(self.same(str(shown), str(digest)) for shown, digest in parts):
                return
            yield piece

    def same(self, shown: str, digest: str) -> bool:
        """Tell whether the article shown as ``shown`` still has the part named ``digest``."""
        if shown not in self.known:
            try:
                data = (self.res.root / shown).read_bytes()
            except OSError:
                data = None
            self.known[shown] = data is not None and memo.key(self.salt, shown, data) == digest
        return self.known[shown]


def _inputs(res: Resources) -> str:
    """Return the name of the ontology and registry the dumps' base was made from."""
    return memo.key(res.ontology.read_bytes(), res.registry.read_bytes())


def _remember_plan(res: Resources, data: Assembled, written: dict[str, dumpfiles.Written]) -> None:
    """Remember the fragments of each dump, for the next build's guess (when all are remembered).

    With each fragment, the articles it was made from (their file, as shown,
    and their part's digest), so that the guess can stop at an edited one; with
    each dump, its pieces and hash states, so that it is not hashed again up to
    the first piece that changes.
    """
    plan = {name: [f.dumps[name] for f in data.fragments] for name in DUMPS}
    if all(p.held is None and p.kind == "fragments" for ps in plan.values() for p in ps):
        parts = [
            [[str(data.parts[s].source.path), data.parts[s].digest] for s in g.slugs]
            for g in data.groups
        ]
        remembered = {
            "inputs": _inputs(res),
            "dumps": {name: [p.name for p in pieces] for name, pieces in plan.items()},
            "articles": [[], *parts, []],
            "hashed": {
                name: {"names": w.hashed.names, "states": [s.hex() for s in w.hashed.states]}
                for name, w in written.items()
                if w.hashed is not None and name in DUMPS
            },
        }
        if len(remembered["articles"]) == len(data.fragments):
            memo.put("plans", _plan_name(res), json.dumps(remembered).encode())


def _plan_name(res: Resources) -> str:
    """Return the name the last build of a data folder's fragments is remembered under."""
    return memo.key("plan", str(res.root.resolve())) + ".json"


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
    return lambda: dumpfiles.joined(chunks())


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
