"""``aiaccess.load()``: the dataset as an rdflib ``Dataset`` backed by Oxigraph.

Assembling the dataset (reading the seeds, locating every quote, scanning for
mentions) takes longer than loading it, so the assembled quads of the packaged
data are kept as N-Quads in a cache folder, named after a SHA-256 of every
input file and of the package's code: any change to the data or the code gives
a new name, and the stale file is removed. Loading then parses that file with
Oxigraph's own N-Quads parser, straight into an Oxigraph store that oxrdflib
wraps; nothing goes through rdflib's parsers, which are many times slower.

The folder is ``$AIACCESS_CACHE``, else ``$XDG_CACHE_HOME/aiaccess``, else
``~/.cache/aiaccess``; set ``AIACCESS_CACHE`` to an empty string to turn the
cache off. A folder that cannot be written is simply not used.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from aiaccess.resources import Resources, default_resources

if TYPE_CHECKING:
    import rdflib

from aiaccess.memo import CACHE_ENV
from aiaccess.memo import folder as _cache_folder

__all__ = ["CACHE_ENV", "cache_file", "load", "store"]
_PACKAGE = Path(__file__).resolve().parent


def load(resources: Resources | None = None) -> rdflib.Dataset:
    """Return the dataset as an rdflib ``Dataset`` over an in-memory Oxigraph store.

    Each article's facts are in its own named graph; the default graph is the
    union of all graphs, so plain triple patterns see everything.

    :param resources: where the data lives (default: the packaged data).
    :returns: a fresh dataset; changing it changes nothing on disk.
    :raises SeedError: if a seed is missing or changed.
    :raises DataSyntaxError: if a data file is malformed.
    :raises EvidenceError: if a quote is not verbatim in its seed.

    >>> from rdflib import URIRef
    >>> dataset = load()
    >>> fr = URIRef("https://w3id.org/aiaccess/graph/article/fr-azure-openai-individual-developers")
    >>> end = URIRef("https://w3id.org/aiaccess/id/policy/azure-openai-individual-developers-end")
    >>> str(dataset.graph(fr).value(end, URIRef("https://schema.org/startDate")))
    '--10-21'
    >>> len(dataset.query("SELECT ?a WHERE { ?a a <https://w3id.org/aiaccess/ontology#Article> }"))
    5
    """
    import rdflib
    from oxrdflib import OxigraphStore

    return rdflib.Dataset(store=OxigraphStore(store=store(resources)), default_union=True)


def store(resources: Resources | None = None) -> ox.Store:
    """Return a fresh in-memory Oxigraph store holding the dataset.

    The packaged data is read from the cache when it is there (see the module's
    notes); other ``resources`` are always assembled afresh.

    :raises SeedError: if a seed is missing or changed.
    :raises DataSyntaxError: if a data file is malformed.
    :raises EvidenceError: if a quote is not verbatim in its seed.

    >>> len(store()) > 10_000
    True
    """
    cached = cache_file() if resources is None else None
    if cached is not None and cached.is_file():
        result = _parse(cached)
        if result is not None:
            return result
    from aiaccess.dataset import assemble

    nquads = assemble(resources).nquads
    result = ox.Store()
    result.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    if cached is not None:
        _write(cached, nquads)
    return result


def cache_file() -> Path | None:
    """Return where the packaged dataset's quads are cached, or None if caching is off."""
    folder = _cache_folder()
    if folder is None:
        return None
    return folder / f"dataset-{_digest(default_resources())[:32]}.nq"


def _digest(resources: Resources) -> str:
    """Return the SHA-256 of every input file and of the package's code, by name."""
    files = [
        resources.ontology,
        resources.registry,
        *resources.article_files(),
        *sorted(resources.seeds.glob("*")),
        *sorted(_PACKAGE.glob("*.py")),
    ]
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{path.name}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _parse(path: Path) -> ox.Store | None:
    """Load a cached N-Quads file with Oxigraph's parser; None if it is unreadable."""
    result = ox.Store()
    try:
        result.bulk_load(path=path, format=ox.RdfFormat.N_QUADS, lenient=True)
    except (OSError, SyntaxError):
        return None
    return result


def _write(path: Path, nquads: bytes) -> None:
    """Write the cache file atomically and remove stale ones; give up quietly on errors."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as out:
            out.write(nquads)
        os.replace(out.name, path)
        for stale in path.parent.glob("dataset-*.nq"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        return
