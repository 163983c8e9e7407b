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
in parallel worker processes when there are many, and remembered per group,
with the group's fragment of each dump (:mod:`aiaccess.fragments`).

What :func:`assemble` returns names those remembered pieces rather than holding
them: the whole dataset is never a list of Python quads in a build, so a
rebuild after one edit does the work of one article and one group, and copies
the rest.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from aiaccess import comparison, evidence, fragments, groups, memo, mentions, seeds, temporal
from aiaccess.articles import Context, Forms, Job, compute, source_of
from aiaccess.errors import DataError
from aiaccess.fragments import Left
from aiaccess.graphindex import GraphIndex
from aiaccess.groups import Index
from aiaccess.memo import Piece
from aiaccess.namespaces import (
    GRAPH,
    ONTOLOGY_GRAPH,
    REGISTRY_GRAPH,
    article_graph,
    article_iri,
)
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


def forked_pool(workers: int) -> ProcessPoolExecutor:
    """Return a pool of ``workers`` processes forked from this one.

    They inherit what this process holds (the data, the work to do) rather than
    receive it pickled. Each first calls :func:`gc.freeze`, which leaves every
    inherited object to the cycle collector's permanent generation: otherwise
    each of a worker's collections walks the whole inherited heap (and writes
    to its pages, copying them), a cost that grows with the dataset at every
    allocation-heavy step.
    """
    return ProcessPoolExecutor(workers, multiprocessing.get_context("fork"), initializer=gc.freeze)


@dataclass(frozen=True)
class Fragment:
    """One part's share of each dump (:mod:`aiaccess.fragments`) and its statistics."""

    dumps: dict[str, Piece]
    stats: fragments.Stats


@dataclass(frozen=True)
class Part:
    """One article's part: the article, its N-Quads (one sorted line per quad) and its name.

    ``digest`` is the SHA-256 of everything the part was computed from (the
    article file, the registry, the code); it names the part's validation unit.
    """

    source: evidence.Source
    piece: Piece
    digest: str

    @property
    def data(self) -> bytes:
        """Return the part's N-Quads."""
        return self.piece.read()

    @property
    def quads(self) -> list[ox.Quad]:
        """Return the part's quads (the last few parts read are kept parsed: see :func:`_read`)."""
        return list(_read(self.piece))


@dataclass(frozen=True)
class Group:
    """Linked articles (:mod:`aiaccess.groups`), the graphs computed from them and their dumps."""

    slugs: list[str]
    piece: Piece
    """The computed graphs as N-Quads, one sorted line per quad."""
    digest: str
    """The SHA-256 of the base and of the group's articles' parts (names its units)."""
    fragment: Fragment

    @property
    def data(self) -> bytes:
        """Return the computed graphs' N-Quads."""
        return self.piece.read()

    @property
    def derived(self) -> list[ox.Quad]:
        """Return the computed graphs' quads (the last few read are kept parsed)."""
        return list(_read(self.piece))


@functools.lru_cache(maxsize=64)
def _read(piece: Piece) -> tuple[ox.Quad, ...]:
    """Return the quads of a remembered piece of N-Quads.

    The build reads a group's articles for its computed graphs, for each
    validation unit and for the SPARQL checks; the last few are kept parsed, so
    that each is parsed once for all of them, without keeping every part.
    """
    return tuple(_parse(piece.read()))


@dataclass(frozen=True)
class Assembled:
    """The assembled dataset: where its parts are, their dumps' fragments, its articles.

    Nothing here holds the whole dataset as Python objects: the parts are read
    (from the cache) one at a time when asked. :attr:`quads` parses everything,
    for the library and the tests on small data.
    """

    sources: list[evidence.Source]
    files: dict[str, Path]
    """Named-graph IRI -> the curated file it was built from (for messages)."""
    base: list[ox.Quad]
    """The ontology and registry graphs."""
    parts: dict[str, Part]
    """Article slug -> what that article contributes: its graph and its mentions."""
    groups: list[Group]
    """The independent groups of linked articles, each with its computed graphs."""
    fragments: list[Fragment]
    """The dumps' fragments in their order: the base, each group, the dataset-level part."""

    @classmethod
    def of(
        cls,
        quads: Iterable[ox.Quad],
        sources: list[evidence.Source],
        files: dict[str, Path],
        articles: dict[str, list[ox.Quad]] | None = None,
        base: list[ox.Quad] | None = None,
        derived: list[ox.Quad] | None = None,
    ) -> Assembled:
        """Return quads already in memory as assembled data (one part, held here).

        :param articles: what each article contributes, if the quads are split so
            (validation units are made from them, with ``base`` and ``derived``).
        """
        data = _canonical(list(quads))
        parts = {slug: _held_part(slug, own, sources) for slug, own in (articles or {}).items()}
        piece = Piece("derived", "", _canonical(derived or []))
        whole = _parse(data)
        fragment, triples, found = fragments.serialize(
            whole, (q.triple for q in whole), Left(), data
        )
        stats = fragments.Stats(fragments.graph_counts(whole), triples, found, [], [])
        held = Fragment({name: Piece("", "", body) for name, body in fragment.items()}, stats)
        group = Group(list(parts), piece, hashlib.sha256(piece.read()).hexdigest(), held)
        return cls(sources, files, base or [], parts, [group], [held])

    @functools.cached_property
    def base_index(self) -> Index:
        """The base's quads by subject (what a validation unit reaches), made when first asked."""
        return groups.index(self.base)

    @functools.cached_property
    def quads(self) -> list[ox.Quad]:
        """Every quad, in the order of ``dataset.nq``."""
        return _parse(self.nquads)

    @property
    def nquads(self) -> bytes:
        """The dataset as N-Quads, as ``dataset.nq`` holds it."""
        return b"".join(f.dumps["dataset.nq"].read() for f in self.fragments)

    @property
    def articles(self) -> dict[str, list[ox.Quad]]:
        """Article slug -> its part's quads (all parsed: for small data and tests)."""
        return {slug: part.quads for slug, part in self.parts.items()}

    @property
    def derived(self) -> list[ox.Quad]:
        """The graphs computed from the articles (:data:`DATASET_STEPS`), every group's."""
        return _parse(_merged([group.data for group in self.groups]))

    @property
    def digests(self) -> dict[str, str]:
        """Article slug -> the name of its part (and of its validation unit)."""
        return {slug: part.digest for slug, part in self.parts.items()}

    def graph_counts(self) -> dict[str, int]:
        """Return each named graph's number of quads, by IRI."""
        counts: Counter[str] = Counter()
        for fragment in self.fragments:
            counts.update(fragment.stats.graphs)
        return dict(sorted(counts.items()))

    @property
    def triples(self) -> int:
        """The number of distinct triples in the union of the graphs (``dataset.ttl``'s)."""
        return sum(fragment.stats.triples for fragment in self.fragments)

    @property
    def entities(self) -> int:
        """The number of distinct subjects in the ``id/`` namespace."""
        return sum(fragment.stats.entities for fragment in self.fragments)

    def dump(self, name: str) -> Iterator[bytes | Piece]:
        """Yield the dump ``name`` (a key of :data:`aiaccess.fragments.DUMPS`) piece by piece.

        Each part's fragment is yielded as it is remembered (a :class:`Piece`), so
        that a writer can copy the file rather than read it.
        """
        return fragments.dump(name, (f.dumps[name] for f in self.fragments))


def _held_part(slug: str, quads: list[ox.Quad], sources: list[evidence.Source]) -> Part:
    """Return an article's part held in memory (its source, if known, else a placeholder)."""
    data = _canonical(quads)
    known = {source.slug: source for source in sources}
    source = known.get(slug) or evidence.Source(
        slug,
        "",
        Path(slug),
        ox.NamedNode(article_iri(slug)),
        ox.NamedNode(article_graph(slug)),
        "",
        "",
    )
    return Part(source, Piece("", "", data), hashlib.sha256(data).hexdigest())


def assemble(resources: Resources | None = None, progress: Progress | None = None) -> Assembled:
    """Read seeds, ontology, registry and articles into the parts of the dataset.

    :param progress: called as articles are done, for a progress bar.
    :raises SeedError: if a seed is missing or changed.
    :raises DataSyntaxError: if a Turtle file is malformed (file, line, column).
    :raises EvidenceError: if a quote is not verbatim in its seed.
    :raises DataError: if a file breaks the modelling contract.

    >>> data = assemble()
    >>> len(data.sources)
    5
    """
    return begin(resources, progress).finish()


def begin(resources: Resources | None = None, progress: Progress | None = None) -> Started:
    """Start assembling: the article parts, their grouping and the groups remembered.

    What is left (the groups to compute, the dataset-level part) is done by
    :meth:`Started.finish`; meanwhile :meth:`Started.dump` can already stream
    the dumps, up to the first fragment not yet made. Raises what
    :func:`assemble` raises about the articles.
    """
    res = resources or default_resources()
    manifest = seeds.verify(res.seeds)
    base_data = _base(res)
    base = _parse(base_data)
    files = {ONTOLOGY_GRAPH: res.relative(res.ontology), REGISTRY_GRAPH: res.relative(res.registry)}
    context = _Lazy(manifest, base)
    salt = memo.key(res.registry.read_bytes())
    jobs = [Job(path, res.relative(path), res.seeds) for path in res.article_files()]
    parts = {p.source.slug: p for p in _parts(jobs, context, salt, progress)}
    files |= {part.source.graph.value: part.source.path for part in parts.values()}
    return Started(base, base_data, files, parts, _planned(base, base_data, parts))


@dataclass(frozen=True)
class Plan:
    """The groups of linked articles, each group's name, and the groups already remembered."""

    slugs: list[list[str]]
    names: list[str]
    recalled: dict[int, Group]


class Started:
    """An assembly under way: parts and groups known, some groups still to be computed.

    The dumps' fragments (the base's, each group's, the dataset-level part's)
    are futures, resolved in the dumps' order as :meth:`finish` makes them, so
    that a build writes the dumps while the edited article's group is computed.
    """

    def __init__(
        self,
        base: list[ox.Quad],
        base_data: bytes,
        files: dict[str, Path],
        parts: dict[str, Part],
        plan: Plan,
    ) -> None:
        self.base = base
        self.base_data = base_data
        self.files = files
        """Named-graph IRI -> the curated file it was built from."""
        self.parts = parts
        self.plan = plan
        self.slots: list[Future[Fragment]] = [Future() for _ in range(len(plan.slugs) + 2)]
        self.slots[0].set_result(_base_fragment(base, base_data))
        for index, group in plan.recalled.items():
            self.slots[index + 1].set_result(group.fragment)

    def dump(self, name: str) -> Iterator[bytes | Piece]:
        """Yield the dump ``name`` piece by piece, waiting for each fragment to be made.

        :raises Exception: what :meth:`finish` raised, if it failed before this fragment.
        """
        return fragments.dump(name, (slot.result().dumps[name] for slot in self.slots))

    def finish(self) -> Assembled:
        """Compute the groups not remembered and the dataset-level part; return the dataset."""
        try:
            found = self._groups()
            tail = _dataset_fragment(
                self.base, self.base_data, [group.fragment.stats for group in found]
            )
            self.slots[-1].set_result(tail)
        except BaseException as error:
            for slot in self.slots:
                if not slot.done():
                    slot.set_exception(error)
            raise
        sources = [part.source for part in self.parts.values()]
        chunks = [slot.result() for slot in self.slots]
        return Assembled(sources, self.files, self.base, self.parts, found, chunks)

    def _groups(self) -> list[Group]:
        """Return every group: the remembered ones, and the others computed in order."""
        plan, found = self.plan, dict(self.plan.recalled)
        todo = [i for i in range(len(plan.slugs)) if i not in found]
        jobs = [
            (
                [self.parts[s] for s in plan.slugs[i]],
                _shared([_links(self.parts[s]) for s in plan.slugs[i]]),
                plan.names[i],
            )
            for i in todo
        ]
        for index, (piece, fragment) in zip(todo, _derived_all(self.base, jobs), strict=True):
            found[index] = Group(plan.slugs[index], piece, plan.names[index], fragment)
            self.slots[index + 1].set_result(fragment)
        return [found[i] for i in range(len(plan.slugs))]


def store(resources: Resources | None = None) -> ox.Store:
    """Return an in-memory Oxigraph store holding the assembled dataset."""
    result = ox.Store()
    result.bulk_load(assemble(resources).nquads, format=ox.RdfFormat.N_QUADS)
    return result


class _Lazy:
    """The articles' shared context, made only if some article must be computed."""

    def __init__(self, manifest: dict[str, str], base: list[ox.Quad]) -> None:
        self.manifest = manifest
        self._base = base

    @functools.cached_property
    def context(self) -> Context:
        """Return the context: the manifest and the registry's names."""
        registry = ox.NamedNode(REGISTRY_GRAPH)
        triples = [q.triple for q in self._base if q.graph_name == registry]
        return Context(self.manifest, Forms(mentions.surface_forms(triples)))


def _base(res: Resources) -> bytes:
    """Return the ontology and registry graphs as N-Quads, one sorted line per quad.

    Remembered under a hash of the two files (and the code): the registry grows
    with the articles, and reading it from Turtle is a large share of a rebuild.

    :raises DataSyntaxError: if a file is malformed.
    :raises DataError: if a file has blank nodes.
    """
    name = memo.key(res.ontology.read_bytes(), res.registry.read_bytes()) + ".nq"
    remembered = memo.get("base", name)
    if remembered is not None:
        return remembered
    base = _graph(res, res.ontology, ONTOLOGY_GRAPH) + _graph(res, res.registry, REGISTRY_GRAPH)
    data = _canonical(base)
    memo.put("base", name, data)
    return data


def _base_fragment(base: list[ox.Quad], base_data: bytes) -> Fragment:
    """Return the base's fragment of each dump: remembered, or serialized here."""
    return _fragment("base-" + memo.key(base_data), lambda: _serialized(base, [], Left()))


def _dataset_fragment(
    base: list[ox.Quad], base_data: bytes, stats: list[fragments.Stats]
) -> Fragment:
    """Return the dataset-level part's fragment: what the groups handed over, once each.

    Those are the quads about the graphs themselves (the languages of
    graph/comparison, which every group states) and, for Turtle, the triples of
    resources that articles in several groups describe alike (see
    :func:`_shared`).
    """
    handed = sorted({line for s in stats for line in s.handed})
    shared = sorted({line for s in stats for line in s.shared})

    def make() -> tuple[dict[str, bytes], fragments.Stats]:
        quads = _parse("".join(handed).encode())
        triples = list(ox.parse("".join(shared).encode(), format=ox.RdfFormat.N_TRIPLES))
        return _serialized(quads, triples, _left(base, frozenset()))

    return _fragment("dataset-" + memo.key(base_data, *handed, "\0", *shared), make)


def _serialized(
    quads: list[ox.Quad], extra: list[ox.Triple], left: Left
) -> tuple[dict[str, bytes], fragments.Stats]:
    """Serialize one part's quads (and ``extra`` Turtle triples); count them."""
    triples = [*(q.triple for q in quads), *extra]
    bodies, written, own = fragments.serialize(quads, triples, left)
    return bodies, fragments.Stats(fragments.graph_counts(quads), written, own, [], [])


def _fragment(name: str, make: Callable[[], tuple[dict[str, bytes], fragments.Stats]]) -> Fragment:
    """Return the remembered fragment ``name``, or make and remember it."""
    remembered = _recalled_fragment(name)
    if remembered is not None:
        return remembered
    bodies, stats = make()
    return _kept_fragment(name, bodies, stats)


def _recalled_fragment(name: str) -> Fragment | None:
    """Return the fragment remembered as ``name``, if all of it is there."""
    stats = memo.get("fragments", f"{name}.{fragments.STATS}")
    if stats is None or not all(memo.has("fragments", f"{name}.{d}") for d in fragments.DUMPS):
        return None
    dumps = {d: Piece("fragments", f"{name}.{d}") for d in fragments.DUMPS}
    return Fragment(dumps, fragments.Stats.from_json(stats))


def _kept_fragment(name: str, bodies: dict[str, bytes], stats: fragments.Stats) -> Fragment:
    """Remember a fragment's dumps, then its statistics (which mark it complete)."""
    dumps = {d: Piece.keep("fragments", f"{name}.{d}", body) for d, body in bodies.items()}
    memo.put("fragments", f"{name}.{fragments.STATS}", stats.to_json())
    return Fragment(dumps, stats)


def _left(base: list[ox.Quad], shared: frozenset[ox.NamedNode]) -> Left:
    """Return what a part leaves to the base (its triples, its entities) and to ``shared``."""
    triples = frozenset(q.triple for q in base)
    return Left(triples, frozenset(fragments.entities(triples)), shared)


def _planned(base: list[ox.Quad], base_data: bytes, by_slug: dict[str, Part]) -> Plan:
    """Return the groups of linked articles, their names and those remembered.

    A group's graphs and fragments are remembered under a hash of the base and
    its articles' digests, so an edit computes again only the edited article's
    group.
    """
    salt = memo.key(base_data)
    slugs = _grouped(base, salt, by_slug)
    names = [
        memo.key(salt, *(f"{slug}\0{by_slug[slug].digest}" for slug in group)) for group in slugs
    ]
    found: dict[int, Group] = {}
    for index, name in enumerate(names):
        recalled = _recalled_group(slugs[index], name)
        if recalled is not None:
            found[index] = recalled
    return Plan(slugs, names, found)


def _recalled_group(slugs: list[str], name: str) -> Group | None:
    """Return a remembered group, if its graphs and fragments are all there."""
    fragment = _recalled_fragment("group-" + name)
    if fragment is None or not memo.has("derived", name + ".nq"):
        return None
    return Group(slugs, Piece("derived", name + ".nq"), name, fragment)


def _shared(found: list[groups.Links]) -> frozenset[str]:
    """Return the resources a group's articles only name (by a type and labels).

    Articles in other groups may describe them in the same words (they are
    exempt from linking), so their triples are written in Turtle by the
    dataset-level part, once.
    """
    described = {iri for links in found for iri in links.described}
    return frozenset(iri for links in found for iri in links.naming if iri not in described)


def _grouped(base: list[ox.Quad], salt: str, parts: dict[str, Part]) -> list[list[str]]:
    """Return the groups of linked articles (slugs): the last build's if no article's links changed.

    The groups follow from the articles' links and the base alone, so the last
    grouping is remembered with the digest of each article's links: a rebuild
    reads the links of the articles that changed only, and groups again only
    if one of those links changed (an edited label or quote changes none).
    """
    name = salt + ".json"
    last = _last_grouping(name)
    known: dict[str, str] = last.get("links", {})
    order = [
        [slug, known.get(f"{slug}\0{part.digest}") or _links_digest(part)]
        for slug, part in parts.items()
    ]
    if last.get("order") == order:
        return [list(group) for group in last["groups"]]
    found = groups.independent({s: _links(p) for s, p in parts.items()}, base) or [[]]
    links = {f"{slug}\0{parts[slug].digest}": digest for slug, digest in order}
    memo.put(
        "grouping", name, json.dumps({"links": links, "order": order, "groups": found}).encode()
    )
    return found


def _last_grouping(name: str) -> dict[str, Any]:
    """Return the grouping remembered as ``name`` (see :func:`_grouped`), or an empty one."""
    remembered = memo.get("grouping", name)
    try:
        found = json.loads(remembered) if remembered is not None else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _links_digest(part: Part) -> str:
    """Return the SHA-256 of an article's links as remembered (their JSON)."""
    return hashlib.sha256(_links_json(part)).hexdigest()


def _links(part: Part) -> groups.Links:
    """Return what may link an article to others (see :func:`_links_json`)."""
    data = _links_json(part)
    try:
        return groups.Links.from_json(data)
    except (ValueError, KeyError, TypeError):
        links = groups.Links.of(part.quads)
        memo.put("links", memo.key(part.digest) + ".json", links.to_json())
        return links


def _links_json(part: Part) -> bytes:
    """Return an article's links as JSON: remembered under its part's digest, or read."""
    name = memo.key(part.digest) + ".json"
    remembered = memo.get("links", name)
    if remembered is not None:
        return remembered
    data = groups.Links.of(part.quads).to_json()
    memo.put("links", name, data)
    return data


Made = tuple[Piece, Fragment]
"""A group's computed graphs (N-Quads) and its fragment of each dump, remembered."""
GroupJob = tuple[list[Part], frozenset[str], str]
"""A group's articles' parts, the resources they only name (see :func:`_shared`), its name."""


def _derived_all(base: list[ox.Quad], jobs: list[GroupJob]) -> Iterator[Made]:
    """Compute each group in ``jobs``: in forked worker processes when many."""
    if not jobs:
        return
    prepared = (groups.Base.of(base), _left(base, frozenset()))
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2 or len(jobs) < PARALLEL_FROM or os.name != "posix":
        yield from (_made(prepared, job) for job in jobs)
        return
    _FORKED[:] = [(prepared, jobs)]
    try:
        with forked_pool(workers) as pool:
            yield from pool.map(_made_forked, range(len(jobs)), chunksize=4)
    finally:
        _FORKED.clear()


Prepared = tuple[groups.Base, Left]
_FORKED: list[tuple[Prepared, list[GroupJob]]] = []
"""What forked workers computing groups share: the base, prepared, and the groups' parts."""


def _made_forked(index: int) -> Made:
    """Compute one group in a forked worker."""
    prepared, jobs = _FORKED[0]
    return _made(prepared, jobs[index])


def _made(prepared: Prepared, job: GroupJob) -> Made:
    """Return a group's computed graphs and its fragment of each dump, remembered here.

    Remembered by the process that computed them, so that only their names and
    statistics travel back to the main process.

    The fragment holds the group's articles and computed graphs, except the
    quads about graphs themselves (handed to the dataset-level part, since
    every group states them); its Turtle leaves out what the base writes and
    the triples of resources the group only names.
    """
    base, left = prepared
    parts, shared, name = job
    given = [(part.data, part.quads) for part in parts]
    derived = _derived(base, given)
    data, every = _union([*given, derived])
    graph_level = (b"<" + GRAPH.encode(),)
    handed, quads, lines = [], [], []
    for line, quad in zip(data.splitlines(keepends=True), every, strict=True):
        if line.startswith(graph_level):
            handed.append(line.decode())
        else:
            quads.append(quad)
            lines.append(line)
    names = frozenset(ox.NamedNode(iri) for iri in shared)
    bodies, written, own = fragments.serialize(
        quads, (q.triple for q in quads), Left(left.triples, left.subjects, names), b"".join(lines)
    )
    kept = [q.triple for q in quads if q.subject in names]
    nt = (ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
    stats = fragments.Stats(
        fragments.graph_counts(quads), written, own, handed, nt.splitlines(keepends=True)
    )
    piece = Piece.keep("derived", name + ".nq", derived[0])
    return piece, _kept_fragment("group-" + name, bodies, stats)


Parsed = tuple[bytes, list[ox.Quad]]
"""N-Quads and the quads parsed from them, line for line."""


def _derived(base: groups.Base, given: list[Parsed]) -> Parsed:
    """Return the N-Quads of the graphs :data:`DATASET_STEPS` compute from a group's parts.

    The steps read the group's articles, the registry quads they reach and the
    ontology, indexed once for all the steps (the ontology once for all groups)
    from the quads already parsed. Each article graph is indexed in its part's
    order, which is the whole dataset's; the steps' output depends on no other
    order (the order of graphs, or of subjects in the shared graphs).
    """
    with _collector_paused():
        return _derived_paused(base, given)


def _derived_paused(base: groups.Base, given: list[Parsed]) -> Parsed:
    """Return the N-Quads of the graphs computed from a group's parts (see :func:`_derived`)."""
    articles = GraphIndex.of(quad for _, part in given for quad in part)
    index = base.ontology.plus(groups.context(articles, base)).joined(articles)
    derived: Parsed = (b"", [])
    for step in DATASET_STEPS:
        found = step(index.plus(derived[1]))
        derived = _union([derived, (_nquads(found), found)])
    return derived


def _parts(jobs: list[Job], context: _Lazy, salt: str, progress: Progress | None) -> list[Part]:
    """Return each article's part: remembered ones recalled, the others computed."""
    keys = [memo.key(salt, str(job.shown), job.path.read_bytes()) for job in jobs]
    index_name = f"index-{salt}.json"
    indexed = _about_index(index_name)
    abouts = {}
    found: dict[int, Part] = {}
    for index, (job, name) in enumerate(zip(jobs, keys, strict=True)):
        remembered = _remembered(job, name, context.manifest, indexed.get(name))
        if remembered is not None:
            found[index] = remembered
            abouts[name] = indexed.get(name) or memo.get("articles", name + ".json")
    todo = [i for i in range(len(jobs)) if i not in found]
    done = len(found)
    named = [(jobs[i], keys[i]) for i in todo]
    computed = _computed(named, context.context if todo else None)
    for index, (piece, about) in zip(todo, computed, strict=True):
        source = _source(jobs[index], about, context.manifest)
        assert source is not None  # just computed from the current seed
        found[index] = Part(source, piece, keys[index])
        abouts[keys[index]] = about
        done += 1
        if progress is not None:
            progress(done, len(jobs))
    if abouts != indexed:
        memo.put("articles", index_name, _index_json(abouts))
    return [found[i] for i in range(len(jobs))]


def _about_index(name: str) -> dict[str, bytes]:
    """Return what the last build remembered of each article part (see :func:`_about`), by name.

    One file for all parts, so a rebuild reads one file rather than one per article.
    """
    remembered = memo.get("articles", name)
    try:
        found = json.loads(remembered) if remembered is not None else {}
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    return {k: v.encode() for k, v in found.items() if isinstance(v, str)}


def _index_json(abouts: dict[str, bytes | None]) -> bytes:
    """Return the index of what each part says of its article, as JSON."""
    return json.dumps({k: v.decode() for k, v in abouts.items() if v is not None}).encode()


def _remembered(
    job: Job, name: str, manifest: dict[str, str], indexed: bytes | None = None
) -> Part | None:
    """Return a remembered part whose seed is unchanged, or None.

    :param indexed: what the part says of its article, if the index has it.
    """
    about = indexed or memo.get("articles", name + ".json")
    if about is None or not memo.has("articles", name + ".nq"):
        return None
    try:
        source = _source(job, about, manifest)
    except (ValueError, KeyError, TypeError):
        return None
    return None if source is None else Part(source, Piece("articles", name + ".nq"), name)


def _source(job: Job, about: bytes, manifest: dict[str, str]) -> evidence.Source | None:
    """Return the article a part describes (see :func:`_about`), if its seed is unchanged."""
    seed, language, checksum = json.loads(about)
    if manifest.get(seed) != checksum:
        return None
    text = seeds.read_text(job.seeds, seed)
    slug = job.path.stem
    iri, graph = ox.NamedNode(article_iri(slug)), ox.NamedNode(article_graph(slug))
    return evidence.Source(slug, seed, job.shown, iri, graph, language, text)


def _about(job: Job, quads: list[ox.Quad], manifest: dict[str, str]) -> bytes:
    """Return what a part says of its article, as JSON: its seed, language and seed's checksum."""
    source = source_of(job, quads, manifest)
    assert source is not None  # just computed from the current seed
    return json.dumps([source.seed, source.language, manifest[source.seed]]).encode()


Named = tuple[Job, str]
"""An article to compute, and the name its part is remembered under."""
Computed = tuple[Piece, bytes]
"""An article's part (remembered where it was computed) and what it says of its article."""


def _computed(jobs: list[Named], context: Context | None) -> Iterator[Computed]:
    """Compute the parts of ``jobs``, in order: in worker processes when there are many.

    Each part is remembered by the process that computed it, so only its name
    (and a few bytes about its article) comes back to this one.
    """
    if context is None:
        return
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2 or len(jobs) < PARALLEL_FROM:
        yield from (_compute_one(job, context) for job in jobs)
        return
    start = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(workers, start, initializer=_share, initargs=(context,)) as pool:
        yield from pool.map(_compute_shared, jobs, chunksize=8)


_SHARED: list[Context] = []
"""The context a worker process was started with (set once, by :func:`_share`)."""


def _share(context: Context) -> None:
    """Keep the shared context in a worker process (and freeze what it inherited: see
    :func:`forked_pool`)."""
    _SHARED.append(context)
    gc.freeze()


def _compute_shared(job: Named) -> Computed:
    """Compute one article in a worker process."""
    return _compute_one(job, _SHARED[0])


def _compute_one(named: Named, context: Context) -> Computed:
    """Compute one article's part (the cycle collector paused) and remember it, what it says of
    its article, and what links it to others (read from the quads it was computed from)."""
    job, name = named
    with _collector_paused():
        data, quads = compute(job, context)
    about = _about(job, quads, context.manifest)
    piece = Piece.keep("articles", name + ".nq", data)
    memo.put("articles", name + ".json", about)
    memo.put("links", memo.key(name) + ".json", groups.Links.of(quads).to_json())
    return piece, about


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
    """Parse N-Quads that Oxigraph wrote, without validating their IRIs again.

    Every term was validated when it was made (or parsed from a curated file),
    and checking each IRI again was most of the parse's cost.
    """
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS, lenient=True))


def _nquads(quads: list[ox.Quad]) -> bytes:
    """Serialize quads as N-Quads with Oxigraph, one line per quad, in their order."""
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def _canonical(quads: list[ox.Quad]) -> bytes:
    """Serialize quads as N-Quads with Oxigraph, one sorted line per distinct quad."""
    return b"".join(sorted(set(_nquads(quads).splitlines(keepends=True))))


def _union(chunks: list[tuple[bytes, list[ox.Quad]]]) -> tuple[bytes, list[ox.Quad]]:
    """Return the distinct quads of ``chunks`` sorted by their N-Quads lines, and those lines.

    Each chunk is N-Quads text with the quads parsed from it, line for line; the
    quads are reused rather than parsed again from the merged text.
    """
    by_line: dict[bytes, ox.Quad] = {}
    for data, quads in chunks:
        by_line.update(zip(data.splitlines(keepends=True), quads, strict=True))
    lines = sorted(by_line)
    return b"".join(lines), [by_line[line] for line in lines]


def _merged(chunks: list[bytes]) -> bytes:
    """Return the distinct N-Quads lines of ``chunks``, sorted by their bytes.

    The chunks are mostly sorted already, which the sort exploits.
    """
    lines = sorted(line for chunk in chunks for line in chunk.splitlines(keepends=True))
    return b"".join(dict.fromkeys(lines))


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
