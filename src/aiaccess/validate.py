"""``aiaccess validate``: SHACL over each article's graph, plus the evidence checks.

The evidence checks (every quote verbatim in its seed, correctly tagged) run
while the dataset is assembled and stop it with an :class:`EvidenceError`.
SHACL then checks ``ontology/shapes.ttl`` against *validation units*
(docs/modelling.md, "What a shape is checked against"):

* the ontology and registry graphs, once;
* each article's graph with its mentions, together with the part of the
  ontology and registry it refers to: every resource it names, and what those
  name in turn (types, superclasses, parent organizations, concept schemes);
* the graphs computed from each independent group of linked articles
  (graph/temporal, graph/comparison; see :mod:`aiaccess.groups`), with the
  ontology and registry quads they reach (not the articles' statements, which
  their own units check), less the resources no shape can read
  (:mod:`aiaccess.relevance`).

A shape must therefore hold in each article's own statements; a rule that is
about all articles together is a SPARQL check in ``queries/checks/``. The
units are independent, so they are checked by pyshacl-turbo (a Rust SHACL
engine): many in parallel worker processes, forked once the shapes are
compiled so that each worker shares the compiled shapes and the assembled data
(threads would not help: much of each run holds the GIL); a few (small data, a
rebuild) by one worker that compiled the shapes while the data was assembled
(:func:`ahead`). pySHACL stays the reference: :func:`reference` runs it on the
union of all graphs, and the tests prove that both report the same violations.
Results are grouped by resource and name the curated file that describes the
resource.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox

from aiaccess import checks, groups, memo, relevance
from aiaccess.dataset import PARALLEL_FROM, Assembled, Group, Part, Started, begin, forked_pool
from aiaccess.resources import Resources, default_resources
from aiaccess.turtle import parse_file

if TYPE_CHECKING:
    import rdflib

    from aiaccess.shacl_results import Finding


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: which resource, which property, what is wrong, where."""

    focus: str
    path: str | None
    message: str
    shape: str
    severity: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """The outcome of validating the dataset."""

    violations: list[Violation] = field(default_factory=list)
    triples: int = 0

    @property
    def conforms(self) -> bool:
        """True when there is no violation of any severity."""
        return not self.violations

    def by_resource(self) -> dict[str, list[Violation]]:
        """Return the violations grouped by focus resource, in IRI order."""
        groups: dict[str, list[Violation]] = defaultdict(list)
        for violation in self.violations:
            groups[violation.focus].append(violation)
        return dict(sorted(groups.items()))

    def text(self) -> str:
        """Return a readable report, one block per resource."""
        if self.conforms:
            return f"Conforms: {self.triples} triples, 0 violations."
        blocks = []
        for focus, items in self.by_resource().items():
            files = ", ".join(sorted({f for v in items for f in v.files})) or "(computed)"
            lines = [f"<{focus}>  [{files}]"]
            lines += [f"  - {v.severity}: {_short(v.path)}: {v.message}" for v in items]
            blocks.append("\n".join(lines))
        summary = f"{len(self.violations)} violations in {len(blocks)} resources."
        return "\n".join([*blocks, summary])


def validate(resources: Resources | None = None) -> Report:
    """Assemble the dataset and check it against the SHACL shapes.

    :raises DataSyntaxError: if a Turtle file is malformed.
    :raises EvidenceError: if a quote is not verbatim in its seed.

    >>> validate().conforms
    True
    """
    res = resources or default_resources()
    with ahead(res) as engine:
        started = begin(res)
        if engine is not None:
            _send_early(started, engine)
        return check(started.finish(), res, engine)


@dataclass(frozen=True)
class Ahead:
    """A worker process that compiles the shapes while the data is being assembled.

    A few units (the shipped data's seven, a rebuild's two) are each checked in
    less time than a pool of workers takes to start, so they are checked in one
    process; that process can still start early: forked before the data is
    assembled, it imports pyshacl-turbo and compiles the shapes meanwhile (on
    another core), then checks the units sent to it as N-Triples while the
    SPARQL checks run here. Many units go to a pool forked once the data is
    assembled (it shares the data); this worker is then not started when that
    can be foreseen (:func:`_pool_likely`), and left unused otherwise.
    """

    pool: ProcessPoolExecutor
    shapes: str
    """The shapes text the worker compiled."""
    early: dict[str, tuple[Future[list[list[Finding]]], int]] = field(default_factory=dict)
    """Units sent before the data was assembled (:func:`_send_early`): name -> batch, place."""


@contextlib.contextmanager
def ahead(resources: Resources) -> Iterator[Ahead | None]:
    """Start an :class:`Ahead` worker; stop it on leaving.

    Yields None where processes cannot be forked, if the shapes cannot be
    read (that is reported, naming the file, when the shapes are checked), or
    when many units will be checked (see :func:`_pool_likely`).
    """
    try:
        shapes = resources.shapes.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        shapes = None
    forking = "fork" in multiprocessing.get_all_start_methods()
    if shapes is None or not forking or _pool_likely(len(resources.article_files()), memo.folder()):
        yield None
        return
    pool = ProcessPoolExecutor(1, multiprocessing.get_context("fork"))
    try:
        pool.submit(_compile_only, shapes)
        yield Ahead(pool, shapes)
    finally:
        pool.shutdown(cancel_futures=True)


def _pool_likely(articles: int, cache: Path | None) -> bool:
    """Tell whether most of ``articles`` units will be checked, by a pool of workers.

    So it is on a first check of many articles: nothing remembered (an empty
    or no cache, fewer remembered units than articles). An early worker would
    then compile the shapes for nothing (half a second of CPU), since the pool
    is forked once they are compiled here. A guess only: when it is wrong, the
    units are checked all the same.
    """
    if articles + 1 < PARALLEL_FROM:
        return False
    if cache is None:
        return True
    try:
        with os.scandir(cache / "shacl") as found:
            remembered = sum(1 for _ in itertools.islice(found, articles))
    except OSError:
        return True
    return remembered < articles


def _send_early(started: Started, engine: Ahead) -> None:
    """Send the base's and the articles' units to ``engine`` as soon as the parts are known.

    The worker then checks them while the groups' graphs are computed here,
    rather than after (only when few: many go to a pool later, see :func:`check`).
    """
    index = groups.index(started.base)
    units = _own_units(started.base, started.parts, lambda: index, engine.shapes)
    todo = [(name, gather) for name, gather in units if not memo.has("shacl", name + ".json")]
    if not todo or len(todo) >= PARALLEL_FROM:
        return
    texts = [(name, _ntriples(gather())) for name, gather in todo]
    batch = engine.pool.submit(_texts_findings, engine.shapes, texts)
    engine.early.update({name: (batch, place) for place, (name, _) in enumerate(texts)})


def _compile_only(shapes: str) -> None:
    """Compile the shapes in a worker, which keeps them for the units it is sent later."""
    _compiled(shapes)


def check(data: Assembled, resources: Resources, engine: Ahead | None = None) -> Report:
    """Check already assembled data: the shapes, then the SPARQL checks.

    :param engine: a worker that compiled the shapes meanwhile (see :func:`ahead`).
    :raises DataSyntaxError: if the shapes file is malformed.
    :raises QueryError: if a check is malformed.
    """
    shapes = _shacl_findings(data, resources, engine)
    found = _dataset_findings(data, resources)
    return Report(_with_files(found | shapes(), data), data.triples)


def shacl(data: Assembled, resources: Resources) -> list[Violation]:
    """Return the shape violations, found one validation unit at a time in parallel.

    Each unit's result is remembered (see :mod:`aiaccess.memo`) under a hash of
    the shapes and the unit's triples, so an unchanged article is not checked again.

    :raises DataSyntaxError: if the shapes file is malformed.
    """
    return _with_files(_shacl_findings(data, resources)(), data)


def _shacl_findings(
    data: Assembled, resources: Resources, engine: Ahead | None = None
) -> Callable[[], set[Finding]]:
    """Start finding what every validation unit breaks; return how to wait for the findings.

    Units are recalled, or checked: by ``engine`` when it compiled these shapes
    and there are few, else here (in parallel processes when many). The shapes
    are compiled here only if some unit has to be checked here.
    """
    shapes = _shapes_text(resources)
    early = engine.early if engine is not None and engine.shapes == shapes else {}
    found: set[Finding] = set()
    todo: list[Unit] = []
    sent: list[tuple[Future[list[list[Finding]]], int]] = []
    for name, gather in _named_units(data, shapes):
        remembered = memo.get("shacl", name + ".json")
        if remembered is not None:
            found.update(_read_findings(remembered))
        elif name in early:
            sent.append(early[name])
        else:
            todo.append((name, gather))
    if todo and engine is not None and engine.shapes == shapes and len(todo) < PARALLEL_FROM:
        texts = [(name, _ntriples(gather())) for name, gather in todo]
        batch = engine.pool.submit(_texts_findings, shapes, texts)
        sent += [(batch, place) for place in range(len(texts))]
    elif todo:
        program = _compiled(shapes)
        for findings in _checked(program, todo):
            found.update(findings)
    return lambda: found.union(*(batch.result()[place] for batch, place in sent))


def _checked(program: Any, todo: list[Unit]) -> Iterator[list[Finding]]:
    """Yield each unit's findings: in forked worker processes when there are many.

    The last unit (the derived graphs' when there are some) is the largest, so
    it is started first.
    """
    return _in_workers(lambda i: _unit_findings(program, *todo[i]), len(todo), reverse=True)


T = TypeVar("T")


def _in_workers(work: Callable[[int], T], count: int, reverse: bool = False) -> Iterator[T]:
    """Yield ``work(i)`` for each ``i`` below ``count``: in forked worker processes when many.

    A few (the shipped data's seven units, a rebuild's two) are done here:
    starting workers would cost more than they save. The workers are forked,
    not spawned: they inherit ``work`` with the compiled shapes and the data it
    reads, and only indices go to them and results come back.
    """
    order = reversed(range(count)) if reverse else range(count)
    workers = min(os.cpu_count() or 1, count)
    forking = "fork" in multiprocessing.get_all_start_methods()
    if workers < 2 or count < PARALLEL_FROM or not forking:
        yield from (work(i) for i in order)
        return
    _FORKED[:] = [work]
    try:
        with forked_pool(workers) as pool:
            yield from pool.map(_forked, order)
    finally:
        _FORKED.clear()


_FORKED: list[Callable[[int], Any]] = []
"""The work of :func:`_in_workers`, set just before the workers are forked."""


def _forked(index: int) -> Any:
    """Do item ``index`` of the forked work in a worker."""
    return _FORKED[0](index)


def _read_findings(data: bytes) -> list[Finding]:
    """Read findings remembered as JSON."""
    return [tuple(f) for f in json.loads(data)]


Unit = tuple[str, Callable[[], list[ox.Quad]]]
"""A validation unit's memo name, and how to gather its quads (only needed if not recalled)."""


def _named_units(data: Assembled, shapes: str) -> list[Unit]:
    """Return each unit's memo name and how to gather its quads, without gathering them.

    The base unit is named after the ontology and registry; an article's unit
    after them and the article's own part, so editing one article renames only
    its unit and its group's derived graphs' unit.
    """
    named = _own_units(data.base, data.parts, lambda: data.base_index, shapes)
    base = named[0][0].removeprefix("base-")
    articles = data.digests
    rule = relevance.reads(shapes)
    for group in data.groups:
        name = memo.key(base, group.digest, *(articles[s] for s in group.slugs))
        named.append(("derived-" + name, functools.partial(_derived_unit, data, group, rule)))
    return named


def _own_units(
    base: list[ox.Quad], parts: dict[str, Part], index: Callable[[], groups.Index], shapes: str
) -> list[Unit]:
    """Return the base's unit and each article's (name, how to gather), the base's first.

    ``index`` gives the base's quads by subject, when a unit is gathered.
    """
    key = memo.key(shapes, _digest(base))  # hashed once: the shapes are long
    named: list[Unit] = [("base-" + key, lambda: base)]
    for part in parts.values():
        gather = functools.partial(_article_unit, part, index)
        named.append(("article-" + memo.key(key, part.digest), gather))
    return named


def _article_unit(part: Part, index: Callable[[], groups.Index]) -> list[ox.Quad]:
    """Return an article's unit: its part, read now, and the base quads it reaches."""
    return _with_context(part.quads, index())


def _digest(quads: list[ox.Quad]) -> str:
    """Return the SHA-256 of the quads' N-Quads."""
    return hashlib.sha256(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").hexdigest()


def _derived_unit(data: Assembled, group: Group, rule: relevance.Reads | None) -> list[ox.Quad]:
    """Return a group's derived graphs with the base quads they reach, less what no shape reads.

    Derived resources have subjects of their own (no article or registry
    resource gains a property there), and their shapes ask only for IRIs where
    they point at facts and articles, so the articles' statements are left
    out: their own units check them. Most computed resources (the source
    comparison, its value lists) are neither targeted nor reached by any shape:
    ``rule`` (:func:`aiaccess.relevance.reads`) leaves them out. Empty when the
    group computed nothing.
    """
    derived = group.derived
    if not derived:
        return []
    unit = _with_context(derived, data.base_index)
    return unit if rule is None else relevance.relevant(unit, rule)


def _dataset_findings(data: Assembled, resources: Resources) -> set[Finding]:
    """Return what the SPARQL checks of ``queries/checks`` find in the whole dataset.

    They run on the base alone, and on each group of linked articles (its
    articles, its computed graphs and the base quads they reach) with and
    without the group: a group *adds* what it alone shows, and *clears* what
    the base alone shows but the group's statements resolve (a registry
    surface form that one of its articles mentions). The dataset's findings
    are the base's, less what any group clears, plus what each group adds;
    tests/test_checks.py proves them equal to one run on every quad. Each
    group's are remembered under its name, so an edit checks one group again.
    """
    texts = [check.text for check in checks.checks(resources)]
    base = _digest(data.base)
    shown = _remembered_checks(memo.key(base, *texts), lambda: _checked_store(data.base, resources))
    digests = data.digests
    added: set[Finding] = set()
    cleared: set[Finding] = set()
    todo: list[tuple[str, Group]] = []
    for group in data.groups:
        name = memo.key(base, group.digest, *(digests[s] for s in group.slugs), *texts)
        remembered = memo.get("checks", f"group-{name}.json")
        if remembered is None:
            todo.append((name, group))
        else:
            more, less = json.loads(remembered)
            added |= {tuple(f) for f in more}
            cleared |= {tuple(f) for f in less}
    if todo:
        data.base_index  # noqa: B018 (made once here, before any worker is forked)

    def check(index: int) -> tuple[set[Finding], set[Finding]]:
        name, group = todo[index]
        return _group_checks(name, data, group, resources)

    for more, less in _in_workers(check, len(todo)):
        added |= more
        cleared |= less
    return (shown - cleared) | added


def _group_checks(
    name: str, data: Assembled, group: Group, resources: Resources
) -> tuple[set[Finding], set[Finding]]:
    """Return what a group adds to the base's findings and what it clears, and remember it.

    The group's N-Quads go straight into the store (Oxigraph parses them,
    leniently: they are its own output, so their IRIs need no second check);
    the base quads they reach are found from the IRIs the store then holds.
    """
    store = ox.Store()
    pieces = [data.parts[slug].data for slug in group.slugs]
    store.load(b"".join([*pieces, group.data]), format=ox.RdfFormat.N_QUADS, lenient=True)
    reach = _reached(store, data.base_index)
    store.extend(reach)
    with_group = _store_findings(store, resources)
    alone = _checked_store(reach, resources)
    more, less = with_group - alone, alone - with_group
    memo.put("checks", f"group-{name}.json", json.dumps([sorted(more), sorted(less)]).encode())
    return more, less


_NAMED = """SELECT DISTINCT ?node WHERE {
    { ?node ?property ?value } UNION { ?resource ?property ?node } FILTER(isIRI(?node))
}"""
"""Every IRI a store's quads have as subject or object (not as property)."""


def _reached(store: ox.Store, by_subject: groups.Index) -> list[ox.Quad]:
    """Return the quads of ``by_subject`` reachable from the IRIs ``store`` names.

    The same quads as :func:`aiaccess.groups.reached` finds from the store's
    quads, without making a Python object of each of them.
    """
    rows = store.query(_NAMED, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)  # a SELECT
    return groups.reachable([n for (n,) in rows if isinstance(n, ox.NamedNode)], by_subject)


def _remembered_checks(name: str, run: Callable[[], set[Finding]]) -> set[Finding]:
    """Return the findings remembered as ``name``, or run the checks and remember them."""
    remembered = memo.get("checks", f"base-{name}.json")
    if remembered is not None:
        return {tuple(f) for f in json.loads(remembered)}
    found = run()
    memo.put("checks", f"base-{name}.json", json.dumps(sorted(found)).encode())
    return found


def _checked_store(quads: list[ox.Quad], resources: Resources) -> set[Finding]:
    """Run every check on a store holding ``quads``."""
    store = ox.Store()
    store.bulk_extend(quads)
    return _store_findings(store, resources)


def _store_findings(store: ox.Store, resources: Resources) -> set[Finding]:
    """Run every check on ``store``."""
    return {
        (f.focus, f.path, f.message, f.check, "Violation") for f in checks.run(store, resources)
    }


def _with_files(found: Iterable[Finding], data: Assembled) -> list[Violation]:
    """Return sorted violations, each naming the curated files that describe its focus."""
    findings = sorted(set(found))
    described = _files_by_subject(data) if findings else {}
    return [Violation(*f, files=tuple(sorted(described.get(f[0], ())))) for f in findings]


def reference(data: Assembled, resources: Resources) -> list[Violation]:
    """Return the shape violations pySHACL, the reference, finds in the union of all graphs.

    Slow (minutes for a thousand articles); the tests and the benchmark use it
    to prove that :func:`shacl` reports exactly the same violations.
    """
    import rdflib
    from pyshacl import validate as pyshacl_validate

    shapes = rdflib.Graph().parse(data=_shapes_text(resources), format="turtle")
    triples = {q.triple for q in data.quads}
    payload = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph().parse(data=payload, format="nt")
    # inplace: the graph was made here for this run, so pySHACL need not copy it first.
    _, results, _ = pyshacl_validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,
    )
    assert isinstance(results, rdflib.Graph)
    return _with_files(_findings(results), data)


def units(data: Assembled, resources: Resources) -> list[list[ox.Quad]]:
    """Return the quads each SHACL run sees: the ontology and registry, each article, derived.

    An article's unit is its own quads and the ontology and registry quads
    about what they name, followed transitively; each group's derived graphs'
    unit (last, one per group with derived graphs) is theirs and the ontology
    and registry quads they reach, less what the shapes cannot read.
    """
    rule = relevance.reads(_shapes_text(resources))
    own = [_article_unit(part, lambda: data.base_index) for part in data.parts.values()]
    derived = [_derived_unit(data, group, rule) for group in data.groups]
    return [data.base, *own, *(unit for unit in derived if unit)]


def _with_context(quads: list[ox.Quad], index: groups.Index) -> list[ox.Quad]:
    """Return an article's quads followed by the base quads they reach."""
    return quads + groups.reached(quads, index)


@functools.cache
def _compiled(shapes: str) -> Any:
    """Compile the shapes once per process (pyshacl-turbo keeps the compiled program)."""
    import rdflib
    from pyshacl_turbo import compile_shapes

    # Only the shapes' own prefixes: the engine binds each of them into every report it makes.
    graph = rdflib.Graph(bind_namespaces="none").parse(data=shapes, format="turtle")
    return compile_shapes(graph, advanced=True)  # type: ignore[no-untyped-call]


def _shapes_text(resources: Resources) -> str:
    """Return the shapes file's text, after checking its syntax with a file-naming error."""
    parse_file(resources.shapes, resources.relative(resources.shapes))
    return resources.shapes.read_text(encoding="utf-8")


def _unit_findings(program: Any, name: str, gather: Callable[[], list[ox.Quad]]) -> list[Finding]:
    """Validate one unit and remember its findings."""
    return _text_findings(program, name, _ntriples(gather()))


def _texts_findings(shapes: str, texts: list[tuple[str, str]]) -> list[list[Finding]]:
    """Validate units given as N-Triples (in an :class:`Ahead` worker); remember their findings."""
    program = _compiled(shapes)
    return [_text_findings(program, name, text) for name, text in texts]


def _ntriples(quads: list[ox.Quad]) -> str:
    """Return a unit's statements as N-Triples text, as the engine reads them.

    The union of the unit's graphs, as pySHACL, the reference, sees the
    dataset: the engine then indexes one graph, not several (about 7 % less
    CPU than the same unit as N-Quads, and a quarter fewer bytes to read).
    """
    return (ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES) or b"").decode()


def _text_findings(program: Any, name: str, text: str) -> list[Finding]:
    """Validate one unit given as N-Triples and remember its findings.

    The engine parses the text natively: a pyoxigraph Store would be filled
    only to be dumped as the same text.
    """
    found = _engine_findings(program, text)
    memo.put("shacl", name + ".json", json.dumps(found).encode())
    return found


def _engine_findings(program: Any, text: str) -> list[Finding]:
    """Validate N-Triples ``text`` with the compiled shapes ``program``."""
    from pyshacl_turbo.rdf import Input

    conforms, results, _ = program.validate(
        Input(text, "nt", None, {}, preserve_ids=True),
        inference="none",
        allow_warnings=True,
        allow_infos=False,
    )
    return [] if conforms else _findings(results)


def _findings(results: rdflib.Graph) -> list[Finding]:
    """Read a SHACL validation report into findings (imports rdflib only when needed)."""
    from aiaccess.shacl_results import findings

    return findings(results)


def _files_by_subject(data: Assembled) -> dict[str, set[str]]:
    """Map each subject IRI to the curated files that describe it."""
    files: dict[str, set[str]] = defaultdict(set)
    for quad in data.quads:
        graph, subject = quad.graph_name, quad.subject
        if isinstance(graph, ox.NamedNode) and isinstance(subject, ox.NamedNode):
            path: Path | None = data.files.get(graph.value)
            if path is not None:
                files[subject.value].add(str(path))
    return files


def _short(path: str | None) -> str:
    """Return a compact name for a property path in messages."""
    if path is None:
        return "(node)"
    if any(mark in path for mark in "|^") or ("/" in path and "://" not in path):
        return path
    return path.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
