"""The catalog of canned queries: one ``.rq`` file per question, described by its header.

Every file in ``queries/`` opens with a comment header in the style of grlc
(``#+ key: value``), which this module reads::

    #+ title: Timeline
    #+ summary: What happened when, in date order?
    #+ description: Longer text, continued on lines
    #+   indented by two spaces or more.
    #+ params:
    #+   - lang (language, default en): language of the labels
    #+ columns:
    #+   - date: the date used for ordering
    #+ tags: dates, events

``summary`` is the question the query answers. Parameters have a kind
(:data:`KINDS`) and a default, written as a user would type the value; they
are SPARQL variables of the query, bound when it runs (see
:mod:`aiaccess.sparql`). ``columns`` names the variables the query returns.
The file name, without ``.rq``, is the query's name. The CLI, the library,
the server and ``docs/queries.md`` all read this catalog.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from aiaccess.errors import QueryError, UnknownQueryError
from aiaccess.resources import Resources, default_resources

KINDS = ("iri", "language", "string", "integer")
"""Parameter kinds: an IRI, a BCP 47 language tag, a plain string, an integer."""

HEADER = "#+"
_KEYS = ("title", "summary", "description", "params", "columns", "tags")
_LISTS = ("params", "columns")
_KEY_LINE = re.compile(r"^#\+ (?P<key>[a-z]+):(?: (?P<value>.*))?$")
_MORE_LINE = re.compile(r"^#\+ {2,}(?P<value>\S.*)$")
_ITEM_LINE = re.compile(r"^#\+ {2,}- (?P<value>.+)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*) \((?P<kind>[a-z]+), default (?P<default>[^)]*)\):"
    r" (?P<description>.+)$"
)
_COLUMN = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*): (?P<description>.+)$")


@dataclass(frozen=True)
class Parameter:
    """A parameter of a canned query: a SPARQL variable bound at run time."""

    name: str
    kind: str
    default: str
    description: str


@dataclass(frozen=True)
class Column:
    """A column of a canned query's results: a projected SPARQL variable."""

    name: str
    description: str


@dataclass(frozen=True)
class CannedQuery:
    """A SPARQL query with the header that describes it."""

    name: str
    text: str
    title: str = ""
    question: str = ""
    """The question in plain words (the header's ``summary``)."""
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    columns: tuple[Column, ...] = ()
    tags: tuple[str, ...] = ()
    path: Path | None = field(default=None, compare=False)

    def parameter(self, name: str) -> Parameter | None:
        """Return the parameter called ``name``, or None.

        >>> q = parse("#+ params:\\n#+   - lang (language, default en): labels\\nASK {}")
        >>> q.parameter("lang").default
        'en'
        >>> q.parameter("entity") is None
        True
        """
        return next((p for p in self.parameters if p.name == name), None)


def parse(text: str, name: str = "query", path: Path | None = None) -> CannedQuery:
    """Read a query's header; a query without one gets an empty description.

    :param text: the ``.rq`` file's text.
    :param name: the query's name (the file name without ``.rq``).
    :param path: the file, for error messages.
    :returns: the query with its title, question, parameters, columns and tags.
    :raises QueryError: if the header is malformed, naming the file and line.

    >>> q = parse('''#+ title: Everything
    ... #+ summary: What is there?
    ... #+ columns:
    ... #+   - s: a subject
    ... SELECT ?s WHERE { ?s ?p ?o }''', "everything")
    >>> (q.title, q.question, [c.name for c in q.columns])
    ('Everything', 'What is there?', ['s'])
    >>> parse("#+ colour: blue\\nASK {}")
    Traceback (most recent call last):
    ...
    aiaccess.errors.QueryError: query:1: unknown header key 'colour'
    """
    fields: dict[str, str] = {}
    items: dict[str, list[tuple[str, str]]] = {key: [] for key in _LISTS}
    key = ""
    where = str(path or name)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith(HEADER):
            break
        key = _header_line(line, key, fields, items, f"{where}:{number}")
    return CannedQuery(
        name=name,
        text=text,
        title=fields.get("title", ""),
        question=fields.get("summary", ""),
        description=fields.get("description", ""),
        parameters=tuple(_parameter(*item) for item in items["params"]),
        columns=tuple(_column(*item) for item in items["columns"]),
        tags=tuple(t.strip() for t in fields.get("tags", "").split(",") if t.strip()),
        path=path,
    )


def _header_line(
    line: str, key: str, fields: dict[str, str], items: dict[str, list[tuple[str, str]]], where: str
) -> str:
    """Add one header line to ``fields`` or ``items``; return the key it belongs to."""
    if line.strip() == HEADER:
        return key
    if match := _KEY_LINE.match(line):
        key = match["key"]
        if key not in _KEYS:
            raise QueryError(f"{where}: unknown header key {key!r}")
        if key not in _LISTS:
            fields[key] = (match["value"] or "").strip()
        return key
    if key in _LISTS and (match := _ITEM_LINE.match(line)):
        items[key].append((match["value"].strip(), where))
    elif key and (match := _MORE_LINE.match(line)):
        _continue(key, match["value"].strip(), fields, items)
    else:
        raise QueryError(f"{where}: cannot read header line {line!r}")
    return key


def _continue(
    key: str, text: str, fields: dict[str, str], items: dict[str, list[tuple[str, str]]]
) -> None:
    """Append a continuation line to the current field or list item."""
    if key in _LISTS and items[key]:
        value, where = items[key][-1]
        items[key][-1] = (f"{value} {text}", where)
    elif key not in _LISTS:
        fields[key] = f"{fields.get(key, '')} {text}".strip()


def _parameter(item: str, where: str) -> Parameter:
    """Read ``name (kind, default value): description``."""
    match = _PARAM.match(item)
    if match is None:
        raise QueryError(
            f"{where}: parameter {item!r} is not 'name (kind, default value): description'"
        )
    if match["kind"] not in KINDS:
        raise QueryError(f"{where}: parameter kind {match['kind']!r} is not one of {KINDS}")
    return Parameter(match["name"], match["kind"], match["default"].strip(), match["description"])


def _column(item: str, where: str) -> Column:
    """Read ``name: description``."""
    match = _COLUMN.match(item)
    if match is None:
        raise QueryError(f"{where}: column {item!r} is not 'name: description'")
    return Column(match["name"], match["description"])


def read(path: Path) -> CannedQuery:
    """Read a ``.rq`` file; its name is the file name without ``.rq``.

    A file read before and unchanged since (same size and modification time) is
    not read and parsed again.

    :raises QueryError: if the header is malformed.
    :raises OSError: if the file cannot be read.
    """
    stat = path.stat()
    return _read(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=512)
def _read(path: Path, modified_ns: int, size: int) -> CannedQuery:
    """Read and parse a ``.rq`` file; remembered by path, modification time and size."""
    return parse(path.read_text(encoding="utf-8"), path.stem, path)


def catalog(resources: Resources | None = None) -> dict[str, CannedQuery]:
    """Return the canned queries by name, in name order.

    :param resources: where the ``queries/`` folder is (default: the packaged one).
    :raises QueryError: if a header is malformed.

    >>> queries = catalog()
    >>> queries["timeline"].title
    'Timeline'
    >>> [p.name for p in queries["entity-profile"].parameters]
    ['entity', 'lang']
    """
    folder = (resources or default_resources()).queries
    return {path.stem: read(path) for path in sorted(folder.glob("*.rq"))}


def get(name: str, resources: Resources | None = None) -> CannedQuery:
    """Return the canned query called ``name``.

    :raises UnknownQueryError: if there is none, suggesting close names.

    >>> get("timeline").question
    'What happened when, in date order, who acted, and which sources report it?'
    >>> get("timelines")
    Traceback (most recent call last):
    ...
    aiaccess.errors.UnknownQueryError: no canned query 'timelines' (did you mean timeline?); ...
    """
    folder = (resources or default_resources()).queries
    path = folder / f"{name}.rq"
    if path.is_file() and path.parent == folder and name == path.stem:
        return read(path)
    close = difflib.get_close_matches(name, [p.stem for p in folder.glob("*.rq")], n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise UnknownQueryError(f"no canned query {name!r}{hint}; see: aiaccess queries")


SAMPLE_ROWS = 5
"""How many rows of each query's answer ``docs/queries.md`` shows."""

_DOCS_INTRO = """# Canned queries

<!-- Generated by `aiaccess queries --markdown > docs/queries.md` from the headers of
queries/*.rq and a run of each query on the shipped dataset. Do not edit by hand:
tests/test_docs.py fails when this file differs from what the command prints. -->

Each question is one SPARQL 1.1 file in [`queries/`](../queries/), named after the
question; the name is what you type. Run one from the command line or from Python:

```sh
aiaccess queries                                          # the list
aiaccess query timeline                                   # a readable table
aiaccess query entity-profile --param entity=org/openai   # with a parameter
aiaccess query timeline --lang zh --format json           # SPARQL 1.1 JSON results
aiaccess query timeline --endpoint http://localhost:7878/query   # another endpoint
```

```python
import aiaccess
aiaccess.query("migration-offers").rows[0]["free_tokens"]   # 150000000
```

Parameters are SPARQL variables. When a query runs, a `VALUES` clause binding
them opens every `WHERE` clause of the query, so the same text runs unchanged on
the embedded store, an Oxigraph server or Virtuoso. An `iri` parameter takes a full
IRI, `kind/slug` (`org/openai`, `policy/openai-api-restriction-china`), a bare slug
(`openai`) or a name in any language of the registry (`OpenAI`, `微软`); one that
names nothing in the dataset, or several things, is an error that suggests close
names. Every query takes `lang`: names and labels in that language where the data
has them, English otherwise (the command line accepts the articles' languages: en,
fr, he, vi, zh). Each article is a named graph, so the queries use `GRAPH` to say
which source states what; lists gathered from several values (`a, b`) come in the
order the engine produces them.
"""


def markdown(resources: Resources | None = None) -> str:
    """Return ``docs/queries.md``: every query's header, and a sample of its answer.

    The samples come from running each query, with its defaults, on the dataset
    built from ``resources``.

    :raises QueryError: if a header is malformed or a query fails.
    """
    from aiaccess.load import store as dataset_store

    queries = catalog(resources)
    store = dataset_store(resources)
    index = ["| query | question |", "|---|---|"]
    index += [f"| [`{q.name}`](#{q.name}) | {_md(q.question)} |" for q in queries.values()]
    sections = [_section(q, store) for q in queries.values()]
    return "\n\n".join([_DOCS_INTRO.rstrip(), "\n".join(index), *sections]) + "\n"


def _section(query: CannedQuery, store: object) -> str:
    """Return one query's section of the docs."""
    from aiaccess.sparql import run_query

    results = run_query(query, store=store)
    shown = min(len(results), SAMPLE_ROWS)
    tags = f" · tags: {', '.join(query.tags)}" if query.tags else ""
    parts = [
        f"## {query.name}",
        f"**{_md(query.title)}.** {_md(query.question)}",
        _md(query.description),
        f"File: [`queries/{query.name}.rq`](../queries/{query.name}.rq){tags}",
        _md_table(
            ["parameter", "kind", "default", "meaning"],
            [[f"`{p.name}`", p.kind, f"`{p.default}`", p.description] for p in query.parameters],
        ),
        _md_table(["column", "meaning"], [[f"`{c.name}`", c.description] for c in query.columns]),
        f"Sample answer (`aiaccess query {query.name}`: {shown} of {len(results)} rows):",
        _md_table(list(results.variables), results.cells()[:shown]),
    ]
    return "\n\n".join(part for part in parts if part)


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    """Return a Markdown table, or nothing when there are no rows."""
    if not rows:
        return ""
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(_md(cell) for cell in line) + " |" for line in lines)


def _md(text: str) -> str:
    """Escape what would break a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
