"""What a server instance serves, computed once at start: quads, files and VoID.

The data never changes while the server runs. At start the dataset is
assembled (or read from an on-disk store), the downloadable files are produced
by the same writers as ``aiaccess build``, and the VoID description is made
with the server's own URL, so it points at the real endpoint and downloads.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from aiaccess import void
from aiaccess.build import artifacts
from aiaccess.dataset import Assembled, assemble
from aiaccess.resources import Resources, default_resources
from aiaccess.server import formats
from aiaccess.server.worker import StoreSource

log = logging.getLogger("aiaccess.server")

MEDIA_TYPES = {**void.DISTRIBUTIONS, "void.ttl": "text/turtle"}
"""Each downloadable file's media type."""


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


def load(base_url: str, store: Path | None = None, resources: Resources | None = None) -> Snapshot:
    """Return the packaged dataset as served at ``base_url``.

    :param store: an on-disk Oxigraph store; filled with the packaged dataset if it
        does not exist yet, and otherwise served as it is.
    :raises AiaccessError: if the packaged data is invalid.
    :raises OSError: if the store cannot be created or opened.
    """
    res = resources or default_resources()
    data = assemble(res)
    if store is None:
        return _snapshot(data, res, base_url, None)
    quads = open_store(store, data.quads)
    return _snapshot(Assembled(quads, data.sources, data.files), res, base_url, store)


def from_quads(quads: Iterable[ox.Quad], base_url: str) -> Snapshot:
    """Return a snapshot serving arbitrary ``quads`` (tests, other datasets)."""
    data = Assembled(sorted(set(quads), key=str), [], {})
    return _snapshot(data, default_resources(), base_url, None, time.time())


def open_store(path: Path, quads: list[ox.Quad]) -> list[ox.Quad]:
    """Return the quads of the store at ``path``, creating it from ``quads`` if missing.

    :raises OSError: if the folder cannot be written or holds no valid store.
    """
    if not path.exists() or not any(path.iterdir()):
        log.warning("creating the store %s from the packaged dataset", path)
        created = ox.Store(str(path))
        created.bulk_extend(quads)
        created.flush()
        del created
    opened = ox.Store.read_only(str(path))
    return sorted(opened, key=str)


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
