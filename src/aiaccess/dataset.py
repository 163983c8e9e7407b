"""Assembling the dataset: every graph, with evidence located and mentions computed.

This is the one place that reads the curated files. The build writes what it
returns to ``dist/``, the library and the server load it into Oxigraph.

Each file is parsed once. Each article's part (see :mod:`aiaccess.articles`) is
computed on its own, in parallel worker processes when there are many, and
remembered under a hash of its inputs (the article file, the registry, the
code; the seed is checked against the manifest), so a rebuild after editing one
article computes one article. :data:`DATASET_STEPS` lists the computed steps
that read several articles at once; adding one is one line there. They are
computed per independent group of linked articles (:mod:`aiaccess.groups`),
in parallel worker processes when there are many, and remembered per group.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from aiaccess import comparison, evidence, groups, memo, mentions, seeds, temporal
from aiaccess.articles import Context, Forms, Job, compute, source_of
from aiaccess.errors import DataError
from aiaccess.graphindex import GraphIndex
from aiaccess.namespaces import ONTOLOGY_GRAPH, REGISTRY_GRAPH
from aiaccess.resources import Resources, default_resources
from aiaccess.turtle import parse_file

Progress = Callable[[int, int], None]
"""Told ``(articles done, articles in all)`` as the articles are assembled."""

DatasetStep = Callable[[GraphIndex], list[ox.Quad]]

DATASET_STEPS: tuple[DatasetStep, ...] = (temporal.derive, comparison.compare)
"""Computed steps over several articles (a group's quads in, indexed; new quads out), each
seeing the previous steps' output: the temporal network's derived dates (graph/temporal) and
the comparison of sources (graph/comparison)."""

PARALLEL_FROM = 16
"""Fewer articles, groups or validation units than this are done here: workers cost a start."""


@dataclass(frozen=True)
class Assembled:
    """The dataset's quads, sorted, with the sources they came from."""

    quads: list[ox.Quad]
    sources: list[evidence.Source]
    files: dict[str, Path]
    """Named-graph IRI -> the curated file it was built from (for messages)."""
    base: list[ox.Quad] = field(default_factory=list)
    """The ontology and registry graphs."""
    articles: dict[str, list[ox.Quad]] = field(default_factory=dict)
    """Article slug -> what that article contributes: its graph and its mentions."""
    digests: dict[str, str] = field(default_factory=dict)
    """Article slug -> SHA-256 of its part's N-Quads (names its validation result)."""
    derived: list[ox.Quad] = field(default_factory=list)
    """The graphs computed from the whole dataset (:data:`DATASET_STEPS`)."""
    groups: list[Group] = field(default_factory=list)
    """The independent groups of linked articles, each with its share of ``derived``."""
    nquads: bytes = b""
    """``quads`` as canonical N-Quads (one sorted line per quad), if assembled here."""


def assemble(resources: Resources | None = None, progress: Progress | None = None) -> Assembled:
    """Read seeds, ontology, registry and articles into one sorted list of quads.

    :param progress: called as articles are done, for a progress bar.
    :raises SeedError: if a seed is missing or changed.
    :raises DataSyntaxError: if a Turtle file is malformed (file, line, column).
    :raises EvidenceError: if a quote is not verbatim in its seed.
    :raises DataError: if a file breaks the modelling contract.

    >>> data = assemble()
    >>> len(data.sources)
    5
    """
    res = resources or default_resources()
    manifest = seeds.verify(res.seeds)
    base = _graph(res, res.ontology, ONTOLOGY_GRAPH)
    registry = parse_file(res.registry, res.relative(res.registry))
    _no_blank_nodes(registry, res.relative(res.registry))
    base += _in_graph(registry, REGISTRY_GRAPH)
    files = {ONTOLOGY_GRAPH: res.relative(res.ontology), REGISTRY_GRAPH: res.relative(res.registry)}
    context = Context(manifest, Forms(mentions.surface_forms(registry)))
    salt = memo.key(res.registry.read_bytes())
    jobs = [Job(path, res.relative(path), res.seeds) for path in res.article_files()]
    parts = _parts(jobs, context, salt, progress)
    sources = [part.source for part in parts]
    files |= {source.graph.value: source.path for source in sources}
    articles = {part.source.slug: part.quads for part in parts}
    digests = {part.source.slug: part.digest for part in parts}
    base_data = _nquads(base)
    found = _groups(base, base_data, parts)
    _, derived = _union([(group.data, group.derived) for group in found])
    chunks = [(base_data, base), *((part.data, part.quads) for part in parts)]
    nquads, quads = _union(chunks + [(group.data, group.derived) for group in found])
    return Assembled(quads, sources, files, base, articles, digests, derived, found, nquads)


def store(resources: Resources | None = None) -> ox.Store:
    """Return an in-memory Oxigraph store holding the assembled dataset."""
    result = ox.Store()
    result.bulk_extend(assemble(resources).quads)
    return result


@dataclass(frozen=True)
class Group:
    """Linked articles (:mod:`aiaccess.groups`) and the graphs computed from them."""

    slugs: list[str]
    derived: list[ox.Quad]
    data: bytes
    """``derived`` as N-Quads, one sorted line per quad."""
    digest: str
    """The SHA-256 of the group's articles' parts (names its validation unit)."""


def _groups(base: list[ox.Quad], base_data: bytes, parts: list[Part]) -> list[Group]:
    """Return each group of linked articles with its computed graphs: remembered or computed.

    A group's graphs are remembered under a hash of the base and its articles'
    digests, so an edit computes again only the edited article's group.
    """
    by_slug = {part.source.slug: part for part in parts}
    links = {slug: _links(part) for slug, part in by_slug.items()}
    slugs = groups.independent(links, base) or [[]]
    salt = memo.key(base_data)
    names = [
        memo.key(salt, *(f"{slug}\0{by_slug[slug].digest}" for slug in group)) for group in slugs
    ]
    data = {i: memo.get("derived", name + ".nq") for i, name in enumerate(names)}
    todo = [i for i, found in data.items() if found is None]
    jobs = [[by_slug[slug] for slug in slugs[i]] for i in todo]
    for index, computed in zip(todo, _derived_all(base, jobs), strict=True):
        memo.put("derived", names[index] + ".nq", computed)
        data[index] = computed
    result = []
    for index, group in enumerate(slugs):
        chunk = data[index] or b""
        result.append(Group(group, _parse(chunk), chunk, names[index]))
    return result


def _links(part: Part) -> groups.Links:
    """Return what may link an article to others: remembered under its part's digest, or read."""
    name = memo.key(part.digest) + ".json"
    remembered = memo.get("links", name)
    if remembered is not None:
        try:
            return groups.Links.from_json(remembered)
        except (ValueError, KeyError, TypeError):
            pass
    links = groups.Links.of(part.quads)
    memo.put("links", name, links.to_json())
    return links


def _derived_all(base: list[ox.Quad], jobs: list[list[Part]]) -> Iterator[bytes]:
    """Compute the graphs of each group in ``jobs``: in forked worker processes when many."""
    prepared = groups.Base.of(base)
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2 or len(jobs) < PARALLEL_FROM or os.name != "posix":
        yield from (_derived(prepared, job) for job in jobs)
        return
    _FORKED[:] = [(prepared, jobs)]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, context) as pool:
            yield from pool.map(_derived_forked, range(len(jobs)), chunksize=4)
    finally:
        _FORKED.clear()


_FORKED: list[tuple[groups.Base, list[list[Part]]]] = []
"""What forked workers computing groups share: the base, prepared, and the groups' parts."""


def _derived_forked(index: int) -> bytes:
    """Compute one group's graphs in a forked worker."""
    prepared, jobs = _FORKED[0]
    return _derived(prepared, jobs[index])


def _derived(base: groups.Base, parts: list[Part]) -> bytes:
    """Return the N-Quads of the graphs :data:`DATASET_STEPS` compute from a group's ``parts``.

    The steps read the group's articles and the ontology and registry quads they
    reach, sorted as the whole dataset is, so that they see what they would see
    in it. The quads already parsed are reused, not parsed again from the N-Quads,
    and indexed once for all the steps.
    """
    with _collector_paused():
        return _derived_paused(base, parts)


def _derived_paused(base: groups.Base, parts: list[Part]) -> bytes:
    """Return the N-Quads of the graphs computed from a group's ``parts`` (see :func:`_derived`)."""
    quads = [quad for part in parts for quad in part.quads]
    context = groups.context(quads, base)
    chunks = [(_nquads(context), context), *((part.data, part.quads) for part in parts)]
    given = GraphIndex.of(_union(chunks)[1])
    derived: tuple[bytes, list[ox.Quad]] = (b"", [])
    for step in DATASET_STEPS:
        found = step(given.plus(derived[1]))
        derived = _union([derived, (_nquads(found), found)])
    return derived[0]


@dataclass(frozen=True)
class Part:
    """One article's part: the article, its quads, their N-Quads and its SHA-256."""

    source: evidence.Source
    quads: list[ox.Quad]
    data: bytes
    digest: str


def _parts(jobs: list[Job], context: Context, salt: str, progress: Progress | None) -> list[Part]:
    """Return each article's part: remembered ones read, the others computed."""
    keys = [memo.key(salt, str(job.shown), job.path.read_bytes()) for job in jobs]
    found: dict[int, Part] = {}
    for index, (job, name) in enumerate(zip(jobs, keys, strict=True)):
        remembered = _remembered(job, name, context)
        if remembered is not None:
            found[index] = remembered
    todo = [i for i in range(len(jobs)) if i not in found]
    done = len(found)
    for index, data in zip(todo, _computed([jobs[i] for i in todo], context), strict=True):
        memo.put("articles", keys[index] + ".nq", data)
        quads = _parse(data)
        source = source_of(jobs[index], quads, context.manifest)
        assert source is not None  # just computed from the current seed
        found[index] = Part(source, quads, data, hashlib.sha256(data).hexdigest())
        done += 1
        if progress is not None:
            progress(done, len(jobs))
    return [found[i] for i in range(len(jobs))]


def _remembered(job: Job, name: str, context: Context) -> Part | None:
    """Return a remembered part whose seed is unchanged, or None."""
    data = memo.get("articles", name + ".nq")
    if data is None:
        return None
    try:
        quads = _parse(data)
    except SyntaxError:
        return None
    source = source_of(job, quads, context.manifest)
    if source is None:
        return None
    return Part(source, quads, data, hashlib.sha256(data).hexdigest())


def _computed(jobs: list[Job], context: Context) -> Iterator[bytes]:
    """Compute the parts of ``jobs``, in order: in worker processes when there are many."""
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2 or len(jobs) < PARALLEL_FROM:
        yield from (_compute(job, context) for job in jobs)
        return
    start = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(workers, start, initializer=_share, initargs=(context,)) as pool:
        yield from pool.map(_compute_shared, jobs, chunksize=8)


_SHARED: list[Context] = []
"""The context a worker process was started with (set once, by :func:`_share`)."""


def _share(context: Context) -> None:
    """Keep the shared context in a worker process."""
    _SHARED.append(context)


def _compute_shared(job: Job) -> bytes:
    """Compute one article in a worker process."""
    return _compute(job, _SHARED[0])


def _compute(job: Job, context: Context) -> bytes:
    """Compute one article's part, with the cycle collector paused."""
    with _collector_paused():
        return compute(job, context)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while an article's part or a group's graphs are computed.

    The steps make many short-lived objects and no reference cycles, so every
    collection they trigger only walks the dataset held so far (every part's
    quads) for nothing: a quarter of a group's CPU at 200 articles.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _parse(data: bytes) -> list[ox.Quad]:
    """Parse N-Quads with Oxigraph."""
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def _nquads(quads: list[ox.Quad]) -> bytes:
    """Serialize quads as N-Quads with Oxigraph."""
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def _union(chunks: list[tuple[bytes, list[ox.Quad]]]) -> tuple[bytes, list[ox.Quad]]:
    """Return the distinct quads of ``chunks`` sorted by their N-Quads lines, and those lines.

    Each chunk is N-Quads text with the quads parsed from it, line for line; the
    quads are reused rather than parsed again from the merged text, so each is
    held once in memory and the largest parse of the build is not done.
    """
    by_line: dict[bytes, ox.Quad] = {}
    for data, quads in chunks:
        by_line.update(zip(data.splitlines(keepends=True), quads, strict=True))
    lines = sorted(by_line)
    return b"".join(lines), [by_line[line] for line in lines]


def _graph(res: Resources, path: Path, graph: str) -> list[ox.Quad]:
    """Parse a blank-node-free Turtle file into quads of ``graph``."""
    triples = parse_file(path, res.relative(path))
    _no_blank_nodes(triples, res.relative(path))
    return _in_graph(triples, graph)


def _in_graph(triples: list[ox.Triple], graph: str) -> list[ox.Quad]:
    """Put triples into the named graph ``graph``."""
    name = ox.NamedNode(graph)
    return [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]


def _no_blank_nodes(triples: list[ox.Triple], path: Path) -> None:
    """Refuse blank nodes, which would make the canonical output unstable."""
    for t in triples:
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            raise DataError(path, "blank nodes are not allowed here; give the resource an IRI")
