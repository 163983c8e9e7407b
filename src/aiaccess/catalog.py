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
