"""The dumps as the concatenation of per-part fragments, each serialized by Oxigraph.

The dataset is made of disjoint *parts*: the ontology and registry (the base),
each group of linked articles with its computed graphs (:mod:`aiaccess.groups`),
and a small dataset-level part. Each part is serialized on its own, by Oxigraph,
into every dump format, and remembered; a dump is then its parts' fragments in
a fixed order, so a rebuild after one edit serializes one group and copies the
rest. Nothing here writes RDF syntax: a fragment is Oxigraph's output for its
part, with the identical ``@prefix`` header that Oxigraph writes in Turtle and
TriG kept once at the top of the dump, and the top-level JSON-LD array that
Oxigraph writes (``[{...},{...}]``) spliced into one array.

In ``dataset.nq`` each part's lines are sorted by their bytes; the parts follow
each other in the fixed order. In ``dataset.ttl`` (the union of the graphs'
triples) no triple is written twice: each part leaves out the triples another
part writes (see :class:`Fragment`).
"""

from __future__ import annotations

import functools
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from aiaccess.memo import Piece
from aiaccess.namespaces import ID, PREFIXES

DUMPS: dict[str, ox.RdfFormat] = {
    "dataset.trig": ox.RdfFormat.TRIG,
    "dataset.nq": ox.RdfFormat.N_QUADS,
    "dataset.ttl": ox.RdfFormat.TURTLE,
    "dataset.jsonld": ox.RdfFormat.JSON_LD,
}
"""The dumps made of fragments, by file name."""

STATS = "stats.json"
"""The name of a fragment's statistics, beside its dumps."""


@dataclass(frozen=True)
class Stats:
    """What the VoID description and the report count in one part, remembered with it."""

    graphs: dict[str, int]
    """Named graph IRI -> its quads in this part."""
    triples: int
    """The triples this part writes into ``dataset.ttl``."""
    entities: int
    """The ``id/`` subjects of those triples that no other part counts."""
    handed: list[str]
    """N-Quads lines this part hands to the dataset-level part (see :mod:`aiaccess.dataset`)."""
    shared: list[str]
    """N-Triples lines this part leaves to the dataset-level part's Turtle."""

    def to_json(self) -> bytes:
        """Return the statistics as JSON, to be remembered."""
        return json.dumps(
            [self.graphs, self.triples, self.entities, self.handed, self.shared]
        ).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Stats:
        """Read statistics remembered as JSON."""
        graphs, triples, entities, handed, shared = json.loads(data)
        return cls(dict(graphs), int(triples), int(entities), list(handed), list(shared))


@dataclass(frozen=True)
class Left:
    """What a part leaves to the others: triples and subjects that another part writes."""

    triples: frozenset[ox.Triple] = frozenset()
    """Triples the base writes (an article may repeat a registry label)."""
    subjects: frozenset[ox.NamedNode] = frozenset()
    """Subjects the base counts as entities."""
    shared: frozenset[ox.NamedNode] = frozenset()
    """Subjects whose triples the dataset-level part writes in Turtle and counts."""


def serialize(
    quads: list[ox.Quad], triples: Iterable[ox.Triple], left: Left, lines: bytes | None = None
) -> tuple[dict[str, bytes], int, int]:
    """Return one part's fragment of each dump, its Turtle triples and its own entities.

    :param quads: the part's distinct quads, sorted by their N-Quads lines.
    :param triples: the triples it may write into ``dataset.ttl`` (repeats allowed):
        those ``left`` to others are left out.
    :param lines: the quads' N-Quads lines as Oxigraph wrote them, in the same
        order, if at hand: they are the N-Quads fragment, not serialized again.
    """
    fragments = {
        name: lines if lines is not None and name == "dataset.nq" else _body(quads, fmt)
        for name, fmt in DUMPS.items()
        if name != "dataset.ttl"
    }
    own = [
        t for t in dict.fromkeys(triples) if t not in left.triples and t.subject not in left.shared
    ]
    fragments["dataset.ttl"] = _body(own, ox.RdfFormat.TURTLE)
    return fragments, len(own), len(entities(own, left.subjects))


def graph_counts(quads: Iterable[ox.Quad]) -> dict[str, int]:
    """Return each named graph's number of quads, by IRI."""
    found = Counter(q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode))
    return dict(sorted(found.items()))


def entities(
    triples: Iterable[ox.Triple] | Iterable[ox.Quad], known: frozenset[ox.NamedNode] = frozenset()
) -> set[ox.NamedNode]:
    """Return the distinct subjects in the ``id/`` namespace, except ``known`` ones."""
    subjects = {t.subject for t in triples}
    return {
        s
        for s in subjects
        if isinstance(s, ox.NamedNode) and s.value.startswith(ID) and s not in known
    }


def _body(statements: list[ox.Quad] | list[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    """Return Oxigraph's serialization of ``statements`` without what the dump has once."""
    data = ox.serialize(statements, format=fmt, prefixes=PREFIXES) or b""
    if fmt == ox.RdfFormat.N_QUADS:
        return b"".join(sorted(data.splitlines(keepends=True)))
    if fmt == ox.RdfFormat.JSON_LD:
        assert data.startswith(b"[") and data.endswith(b"]"), "Oxigraph writes one array"
        return data[1:-1]
    header = _header(fmt)
    if not data:
        return b""
    assert data.startswith(header), "Oxigraph writes the same prefixes first"
    return data[len(header) :]


@functools.cache
def _header(fmt: ox.RdfFormat) -> bytes:
    """Return the ``@prefix`` lines Oxigraph writes at the top of Turtle and TriG."""
    node = ox.NamedNode(ID + "x")
    quad = ox.Quad(node, node, node, node)
    one: list[ox.Quad] | list[ox.Triple] = [quad.triple] if fmt == ox.RdfFormat.TURTLE else [quad]
    data = ox.serialize(one, format=fmt, prefixes=PREFIXES) or b""
    lines = data.splitlines(keepends=True)
    return b"".join(line for line in lines if line.startswith(b"@prefix "))


def dump(name: str, fragments: Iterable[Piece]) -> Iterator[bytes | Piece]:
    """Yield the dump ``name`` made of ``fragments`` (in the parts' order), piece by piece.

    Empty fragments are left out, so that a part with nothing to write adds
    no separator. Each fragment is taken when its turn comes, so ``fragments``
    may still be being made.
    """
    if name == "dataset.jsonld":
        yield b"["
        separator = b""
        for fragment in fragments:
            if _size(fragment):
                if separator:
                    yield separator
                yield fragment
                separator = b","
        yield b"]"
        return
    header = _header(DUMPS[name]) if name in ("dataset.trig", "dataset.ttl") else b""
    for fragment in fragments:
        if _size(fragment):
            if header:
                yield header
                header = b""
            yield fragment


def _size(piece: Piece) -> int:
    """Return the number of bytes of a piece, without reading a remembered one."""
    return len(piece.held) if piece.held is not None else os.path.getsize(piece.path())
