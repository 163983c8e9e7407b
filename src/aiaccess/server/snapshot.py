"""What a server instance serves, computed once: quads, files and VoID.

The data never changes while the server runs. The packaged dataset is built
once into a folder of the cache (:func:`aiaccess.load.cache_file` names it
after a digest of the data and the code): the files ``aiaccess build`` writes,
their gzip forms and the articles' metadata. Later starts read that folder
instead of assembling the dataset again, and every query worker loads the
folder's N-Quads into memory with Oxigraph's own parser (an in-memory store
answers exactly as the library's does; the on-disk one may order unordered
results differently). Only the VoID description is made at each start, with
the server's own URL, so it points at the real endpoint and downloads. Other
data (``--store``, tests' quads) is assembled at start as before.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from aiaccess import void
from aiaccess.build import artifacts
from aiaccess.dataset import Assembled, Fragment, assemble
from aiaccess.evidence import Source
from aiaccess.fragments import Stats
from aiaccess.load import cache_file
from aiaccess.resources import Resources, default_resources
from aiaccess.server import formats
from aiaccess.server.worker import StoreSource

log = logging.getLogger("aiaccess.server")

MEDIA_TYPES = {**void.DISTRIBUTIONS, "void.ttl": "text/turtle"}
"""Each downloadable file's media type."""
COMPLETE = "complete"
"""The file that marks a built folder as finished."""
LAYOUT = "server4"
"""The built folder's name prefix; a new layout of its contents takes a new one."""


@dataclass(frozen=True)
class Snapshot:
    """The served data: its quads, its files by name, its VoID triples, and their age."""

    quads: list[ox.Quad]
    files: dict[str, bytes]
    void: list[ox.Triple]
    modified: float
    """When the data last changed, in seconds since the epoch (for Last-Modified)."""
    source: StoreSource
    """Where the query workers load the same quads from."""
    texts: dict[str, str] = field(default_factory=dict)
    """The text of each article, by the article's IRI (its seed, for its page)."""
    gzipped: dict[str, bytes] | None = None
    """The files' gzip forms, when they were made beforehand (else made when served)."""


def load(base_url: str, store: Path | None = None, resources: Resources | None = None) -> Snapshot:
    """Return the packaged dataset as served at ``base_url``.

    :param store: an on-disk Oxigraph store; filled with the packaged dataset if it
        does not exist yet, and otherwise served as it is.
    :raises AiaccessError: if the packaged data is invalid.
    :raises OSError: if the store cannot be created or opened.
    """
    res = resources or default_resources()
    if store is None and resources is None:
        built = built_folder()
        if built is not None:
            return _from_built(built, res, base_url)
    data = assemble(res)
    if store is None:
        return _snapshot(data, res, base_url, None)
    quads = open_store(store, data.quads)
    return _snapshot(Assembled.of(quads, data.sources, data.files), res, base_url, store)


def from_quads(quads: Iterable[ox.Quad], base_url: str) -> Snapshot:
    """Return a snapshot serving arbitrary ``quads`` (tests, other datasets)."""
    data = Assembled.of(quads, [], {})
    return _snapshot(data, default_resources(), base_url, None, time.time())


def open_store(path: Path, quads: list[ox.Quad]) -> list[ox.Quad]:
    """Return the quads of the store at ``path``, creating it from ``quads`` if missing.

    :raises OSError: if the folder cannot be written or holds no valid store.
    """
    if not path.exists() or not any(path.iterdir()):
        log.warning("creating the store %s from the packaged dataset", path)
        _create_store(path, quads)
    opened = ox.Store.read_only(str(path))
    return sorted(opened, key=str)


def built_folder() -> Path | None:
    """Return the cache folder holding the packaged dataset built for serving.

    It is built on first use; None when the cache is off or cannot be written.

    :raises AiaccessError: if the packaged data is invalid.
    """
    nquads = cache_file()
    if nquads is None:
        return None
    folder = nquads.with_name(f"{LAYOUT}-" + nquads.stem.removeprefix("dataset-"))
    if (folder / COMPLETE).is_file():
        return folder
    try:
        _build(folder)
    except OSError as error:
        log.warning("cannot keep the built dataset in %s: %s", folder.parent, error)
        return None
    return folder


def _build(folder: Path) -> None:
    """Write the artifacts, their gzip forms and the articles' metadata into ``folder``."""
    res = default_resources()
    data = assemble(res)
    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "files").mkdir(parents=True)
    try:
        for name, write in artifacts(data, res).items():
            if name != "void.ttl":
                body = write()
                (tmp / "files" / name).write_bytes(body)
                (tmp / "files" / (name + ".gz")).write_bytes(_gzip(body))
        (tmp / "sources.json").write_text(json.dumps([_source_fields(s) for s in data.sources]))
        (tmp / "counts.json").write_bytes(_counts(data).to_json())
        (tmp / COMPLETE).write_text(str(_modified(res)))
        _replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _replace(tmp: Path, folder: Path) -> None:
    """Move ``tmp`` to ``folder`` (another process may have won the race) and drop old builds."""
    try:
        tmp.rename(folder)
    except OSError:
        if not (folder / COMPLETE).is_file():
            raise
    for stale in folder.parent.glob("server*-*"):
        if stale != folder and ".tmp-" not in stale.name:
            shutil.rmtree(stale, ignore_errors=True)


def _from_built(folder: Path, res: Resources, base: str) -> Snapshot:
    """Return the snapshot of a built folder: files and quads read, VoID made for ``base``.

    The N-Quads were written by pyoxigraph from checked data, so they are parsed
    without IRI validation. VoID's counts were remembered by the build
    (:func:`_counts`): reassembling the data to count it again took a third of a
    second, a third of the time to the first answer.
    """
    files: dict[str, bytes] = {}
    gzipped: dict[str, bytes] = {}
    for path in sorted((folder / "files").iterdir()):
        if path.suffix == ".gz":
            gzipped[path.name.removesuffix(".gz")] = path.read_bytes()
        else:
            files[path.name] = path.read_bytes()
    quads = list(ox.parse(files["dataset.nq"], format=ox.RdfFormat.N_QUADS, lenient=True))
    sources = [_source(fields) for fields in json.loads((folder / "sources.json").read_text())]
    counted = Fragment({}, Stats.from_json((folder / "counts.json").read_bytes()))
    described = void.describe(Assembled(sources, {}, [], {}, [], [counted]), base=base)
    files["void.ttl"] = formats.rdf_bytes(described, formats.TURTLE)
    gzipped["void.ttl"] = _gzip(files["void.ttl"])
    modified = float((folder / COMPLETE).read_text())
    source = StoreSource(nquads_file=str(folder / "files" / "dataset.nq"))
    texts = {s.iri.value: s.text for s in sources}
    return Snapshot(quads, files, described, modified, source, texts, gzipped)


def _counts(data: Assembled) -> Stats:
    """Return what VoID counts in ``data`` (quads by graph, triples, entities), to be
    remembered with the built files."""
    return Stats(data.graph_counts(), data.triples, data.entities, [], [])


def _source_fields(source: Source) -> dict[str, str]:
    """Return an article as JSON: what VoID and the article pages need of it."""
    return {
        "slug": source.slug,
        "seed": source.seed,
        "path": str(source.path),
        "iri": source.iri.value,
        "graph": source.graph.value,
        "language": source.language,
        "text": source.text,
    }


def _source(fields: dict[str, str]) -> Source:
    """Return an article read back from JSON."""
    return Source(
        fields["slug"],
        fields["seed"],
        Path(fields["path"]),
        ox.NamedNode(fields["iri"]),
        ox.NamedNode(fields["graph"]),
        fields["language"],
        fields["text"],
    )


def _create_store(path: Path, quads: list[ox.Quad]) -> None:
    """Write ``quads`` into a new on-disk store at ``path``."""
    created = ox.Store(str(path))
    created.bulk_extend(quads)
    created.flush()
    created.optimize()
    del created


def _gzip(body: bytes) -> bytes:
    """Return ``body`` compressed as the downloads serve it."""
    return gzip.compress(body, compresslevel=9, mtime=0)


def _snapshot(
    data: Assembled, res: Resources, base: str, store: Path | None, modified: float | None = None
) -> Snapshot:
    """Return the snapshot of ``data``: files from the build's writers, VoID at ``base``."""
    files = {name: write() for name, write in artifacts(data, res).items() if name != "void.ttl"}
    described = void.describe(data, base=base)
    files["void.ttl"] = formats.rdf_bytes(described, formats.TURTLE)
    source = StoreSource(path=str(store)) if store else StoreSource(nquads=files["dataset.nq"])
    texts = {s.iri.value: s.text for s in data.sources}
    return Snapshot(data.quads, files, described, modified or _modified(res), source, texts)


def _modified(res: Resources) -> float:
    """Return when the packaged data last changed: its newest file's time."""
    paths = [res.ontology, res.shapes, res.registry, *res.article_files()]
    return max(path.stat().st_mtime for path in paths)
