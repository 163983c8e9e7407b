"""Running SPARQL queries, canned or your own, on the dataset or on a remote endpoint.

A query is named by its catalog name (``"timeline"``), a ``.rq`` file, or given
as text. Its parameters (declared in its header, see :mod:`aiaccess.catalog`)
are bound as SPARQL variables: a ``VALUES`` clause, built from RDF terms that
pyoxigraph serializes, opens every ``WHERE`` clause of the query (subqueries
included), so that the same text runs unchanged on the embedded Oxigraph store,
an Oxigraph server or Virtuoso. Values are never pasted into the query text.

Results come back as :class:`Results`, with the RDF terms and the same rows as
Python values; :func:`serialize_query` gives the standard SPARQL results formats,
written by pyoxigraph.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import pyoxigraph as ox

from aiaccess.catalog import CannedQuery, Parameter, get, parse, read
from aiaccess.errors import ParameterError, QueryError
from aiaccess.namespaces import ID, XSD
from aiaccess.sparql_tokens import where_clauses

if TYPE_CHECKING:
    import ssl

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Value: TypeAlias = str | int | float | Decimal | bool | None
QueryRef: TypeAlias = str | os.PathLike[str] | CannedQuery

FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
"""The machine formats results can be written in, by name."""

TIMEOUT_S = 30.0
"""How long to wait for a remote endpoint."""

ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "text/tab-separated-values;q=0.8"
)
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_INTEGER = ox.NamedNode(XSD + "integer")
_STRING = XSD + "string"
_BOOLEAN = XSD + "boolean"
_NUMBERS: dict[str, type[int] | type[Decimal] | type[float]] = {
    **{XSD + name: int for name in ("integer", "int", "long", "short", "byte")},
    **{XSD + name: int for name in ("nonNegativeInteger", "positiveInteger")},
    **{XSD + name: int for name in ("nonPositiveInteger", "negativeInteger")},
    **{XSD + name: int for name in ("unsignedInt", "unsignedLong", "unsignedShort")},
    XSD + "decimal": Decimal,
    XSD + "double": float,
    XSD + "float": float,
}


@dataclass(frozen=True)
class Results:
    """The answer to a query: variables and rows of RDF terms (or an ASK's boolean)."""

    variables: tuple[str, ...]
    terms: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None

    def __len__(self) -> int:
        """Return the number of rows."""
        return len(self.terms)

    @property
    def rows(self) -> list[dict[str, Value]]:
        """Return the rows as dictionaries of Python values (see :func:`to_python`).

        >>> run_query("SELECT ?n WHERE { VALUES ?n { 1 2 } }", store=ox.Store()).rows
        [{'n': 1}, {'n': 2}]
        """
        return [dict(zip(self.variables, map(to_python, row), strict=True)) for row in self.terms]

    def column(self, name: str) -> list[Value]:
        """Return one column as Python values.

        :raises KeyError: if the query has no such variable.
        """
        if name not in self.variables:
            raise KeyError(name)
        index = self.variables.index(name)
        return [to_python(row[index]) for row in self.terms]

    def cells(self, width: int = 60) -> list[list[str]]:
        """Return the rows as display text, each cell cut at ``width`` characters.

        IRIs under ``https://w3id.org/aiaccess/id/`` are shortened to ``kind/slug``,
        the form query parameters accept; line breaks become spaces.
        """
        return [[_cut(_text(term), width) for term in row] for row in self.terms]

    def table(self, columns: int | None = None) -> str:
        """Return a plain-text table fitted into ``columns`` terminal columns (``None``: no
        limit); an ASK query's answer is true or false.

        Widths are display widths (a Chinese character takes two columns). Long text
        wraps; IRIs (``kind/slug`` for the dataset's own) and URLs are never wrapped
        or cut, so they can be copied (see :mod:`aiaccess.tables`).

        >>> query = "SELECT ?a ?b WHERE { VALUES (?a ?b) { (1 'x') } }"
        >>> print(run_query(query, store=ox.Store()).table())
        a  b
        -  -
        1  x
        """
        if self.boolean is not None:
            return "true" if self.boolean else "false"
        from aiaccess.tables import Cell, render

        rows = [
            [Cell.of(_text(term), isinstance(term, ox.NamedNode)) for term in row]
            for row in self.terms
        ]
        return render(self.variables, rows, columns)


def to_python(term: Term | None) -> Value:
    """Return a term as a Python value: numbers and booleans by their datatype, else text.

    IRIs become their string; dates stay in their ISO form, since their precision
    varies (``2024-07-09``, ``2024-01``, ``--10-21``).

    >>> to_python(ox.Literal("150000000", datatype=ox.NamedNode(XSD + "integer")))
    150000000
    >>> to_python(ox.NamedNode("https://w3id.org/aiaccess/id/org/openai"))
    'https://w3id.org/aiaccess/id/org/openai'
    >>> to_python(ox.Literal("--10-21", datatype=ox.NamedNode(XSD + "gMonthDay")))
    '--10-21'
    """
    kind = type(term)
    if kind is ox.Literal:
        return _literal(term)  # type: ignore[arg-type]
    if kind is ox.NamedNode:
        return term.value  # type: ignore[union-attr]
    if term is None:
        return None
    if kind is ox.BlankNode:
        return f"_:{term.value}"  # type: ignore[union-attr]
    return str(term)


def _literal(literal: ox.Literal) -> Value:
    """Convert a literal by its datatype, keeping its text when it is not a valid number."""
    if literal.language is not None:
        return literal.value
    datatype = literal.datatype.value
    if datatype == _STRING:
        return literal.value
    if datatype == _BOOLEAN:
        return literal.value in ("true", "1")
    convert = _NUMBERS.get(datatype)
    if convert is None:
        return literal.value
    try:
        return convert(literal.value)
    except (ValueError, ArithmeticError):
        return literal.value


def _text(term: Term | None) -> str:
    """Return a term as display text: short IDs, no line breaks."""
    value = to_python(term)
    text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    if isinstance(term, ox.NamedNode):
        text = text.removeprefix(ID)
    return " ".join(text.split())


def _cut(text: str, width: int) -> str:
    """Return ``text`` cut to at most ``width`` characters, marked with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


def resolve(ref: QueryRef) -> CannedQuery:
    """Return the query ``ref`` names: a catalog name, a ``.rq`` file, or SPARQL text.

    :raises UnknownQueryError: if a name is not in the catalog.
    :raises QueryError: if a file cannot be read or its header is malformed.

    >>> resolve("timeline").name
    'timeline'
    >>> resolve("ASK { ?s ?p ?o }").name
    'query'
    """
    if isinstance(ref, CannedQuery):
        return ref
    if isinstance(ref, os.PathLike) or ref.endswith(".rq"):
        return _file(Path(ref))
    if any(c.isspace() for c in ref):
        return parse(ref)
    return get(ref)


def _file(path: Path) -> CannedQuery:
    """Read a ``.rq`` file, turning file errors into a :class:`QueryError`."""
    try:
        return read(path)
    except OSError as error:
        raise QueryError(f"cannot read {path}: {error.strerror or error}") from None


def bindings(query: CannedQuery, params: Mapping[str, object]) -> dict[str, Term]:
    """Return every parameter of ``query`` as an RDF term: the given value, or the default.

    :raises ParameterError: for a parameter the query does not declare, or a bad value.

    >>> bindings(resolve("entity-profile"), {"entity": "org/openai"})["entity"]
    <NamedNode value=https://w3id.org/aiaccess/id/org/openai>
    >>> bindings(resolve("timeline"), {"year": "2024"})
    Traceback (most recent call last):
    ...
    aiaccess.errors.ParameterError: query timeline has no parameter 'year'; its parameters: lang
    """
    for name in params:
        if query.parameter(name) is None:
            known = ", ".join(p.name for p in query.parameters) or "none"
            raise ParameterError(
                f"query {query.name} has no parameter {name!r}; its parameters: {known}"
            )
    return {p.name: term(p, params.get(p.name, p.default)) for p in query.parameters}


def term(parameter: Parameter, value: object) -> Term:
    """Return ``value`` as the RDF term a parameter of its kind takes.

    An ``iri`` is absolute, or ``kind/slug`` under ``https://w3id.org/aiaccess/id/``.

    :raises ParameterError: if the value does not fit the kind.

    >>> term(Parameter("lang", "language", "en", ""), "ZH")
    <Literal value=zh datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    >>> term(Parameter("entity", "iri", "", ""), "org/openai").value
    'https://w3id.org/aiaccess/id/org/openai'
    >>> term(Parameter("lang", "language", "en", ""), "english please")
    Traceback (most recent call last):
    ...
    aiaccess.errors.ParameterError: parameter lang: 'english please' is not a language tag (...)
    """
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        return value
    text = str(value).strip()
    if parameter.kind == "iri":
        return _iri(parameter, text)
    if parameter.kind == "language":
        if not _LANGUAGE_TAG.match(text):
            raise ParameterError(
                f"parameter {parameter.name}: {text!r} is not a language tag (such as en, zh, fr)"
            )
        return ox.Literal(text.lower())
    if parameter.kind == "integer":
        return _integer(parameter, text)
    return ox.Literal(text)


def _iri(parameter: Parameter, text: str) -> ox.NamedNode:
    """Return an absolute IRI, resolving ``kind/slug`` against the dataset's ID namespace."""
    iri = text if ":" in text else ID + text
    try:
        return ox.NamedNode(iri)
    except ValueError as error:
        raise ParameterError(
            f"parameter {parameter.name}: {text!r} is not an IRI ({error})"
        ) from None


def _integer(parameter: Parameter, text: str) -> ox.Literal:
    """Return an ``xsd:integer`` literal."""
    try:
        return ox.Literal(str(int(text)), datatype=_INTEGER)
    except ValueError:
        raise ParameterError(f"parameter {parameter.name}: {text!r} is not an integer") from None


def bind(text: str, values: Mapping[str, Term]) -> str:
    """Return ``text`` with a ``VALUES`` clause for ``values`` opening each ``WHERE`` clause.

    :raises QueryError: if there is a value to bind but no ``WHERE {`` to bind it in.

    >>> bind("SELECT * WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://example.com/a")})
    'SELECT * WHERE { VALUES (?s) { (<http://example.com/a>) } ?s ?p ?o }'
    """
    return _bound(text, tuple(values.items()))


@functools.lru_cache(maxsize=1024)
def _bound(text: str, values: tuple[tuple[str, Term], ...]) -> str:
    """Return ``text`` with its ``VALUES`` clauses; remembered, since the same queries recur."""
    if not values:
        return text
    names = " ".join(f"?{name}" for name, _ in values)
    row = " ".join(str(value) for _, value in values)
    clause = f" VALUES ({names}) {{ ({row}) }}"
    ends = where_clauses(text)
    if not ends:
        raise QueryError("cannot bind parameters: the query has no 'WHERE {' clause")
    pieces = [text[start:end] for start, end in zip([0, *ends], [*ends, len(text)], strict=True)]
    return clause.join(pieces)


def run_query(
    ref: QueryRef,
    *,
    store: Any = None,
    endpoint: str | None = None,
    timeout: float = TIMEOUT_S,
    **params: object,
) -> Results:
    """Run a query and return its results.

    :param ref: a catalog name (``"timeline"``), a ``.rq`` file, or SPARQL text.
    :param store: the pyoxigraph ``Store``, or the rdflib ``Dataset`` from
        :func:`aiaccess.load`, to query (default: the packaged dataset, loaded
        once per process and only read).
    :param endpoint: the URL of a SPARQL 1.1 endpoint to query instead.
    :param timeout: seconds to wait for the endpoint.
    :param params: the query's parameters, such as ``lang="zh"`` or ``entity="org/openai"``.
    :returns: the variables and rows (or the boolean of an ASK query).
    :raises UnknownQueryError: if the name is not in the catalog.
    :raises ParameterError: for an unknown parameter or a bad value.
    :raises QueryError: if the query is malformed, is not a SELECT or ASK, or the
        endpoint cannot be reached or answers with an error, or the results fail while
        they are read (malformed remote results, a failing SERVICE call).

    >>> offers = run_query("migration-offers")
    >>> [(row["provider"], row["free_tokens"]) for row in offers.rows[:3]]
    [('Zhipu AI', 150000000), ('Baidu', 50000000), ('SenseTime Group Inc.', 50000000)]
    """
    result = _solutions(ref, store, endpoint, timeout, params)
    try:
        if isinstance(result, ox.QueryBoolean):
            return Results((), (), bool(result))
        variables = tuple(v.value for v in result.variables)
        return Results(variables, tuple(map(tuple, result)))
    except (SyntaxError, OSError) as error:
        raise _unreadable(endpoint, error) from None
    finally:
        del result  # freed on this thread, even when a kept traceback outlives the call


def serialize_query(
    ref: QueryRef,
    format: str = "json",
    *,
    store: Any = None,
    endpoint: str | None = None,
    timeout: float = TIMEOUT_S,
    **params: object,
) -> bytes:
    """Run a query and return its results in a standard SPARQL results format.

    :param format: ``json``, ``xml``, ``csv`` or ``tsv`` (see :data:`FORMATS`).
    :raises ValueError: for another format.

    The other parameters, and the errors, are those of :func:`run_query`.

    >>> serialize_query("ASK { ?s ?p ?o }", store=ox.Store())
    b'{"head":{},"boolean":false}'
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    result = _solutions(ref, store, endpoint, timeout, params)
    try:
        return result.serialize(format=FORMATS[format]) or b""
    except (SyntaxError, OSError) as error:
        raise _unreadable(endpoint, error) from None
    finally:
        del result  # as in run_query


def _solutions(
    ref: QueryRef, store: Any, endpoint: str | None, timeout: float, params: Mapping[str, object]
) -> ox.QuerySolutions | ox.QueryBoolean:
    """Resolve, bind and run a query on the store or the endpoint."""
    query = resolve(ref)
    if endpoint is not None:
        if store is not None:
            raise ValueError("give a store or an endpoint, not both")
        text = bind(query.text, bindings(query, _entities(query, params, None)))
        return _remote(endpoint, text, timeout)
    data = _store(store)
    text = bind(query.text, bindings(query, _entities(query, params, data)))
    return _local(query.name, text, data)


def _entities(
    query: CannedQuery, params: Mapping[str, object], store: ox.Store | None
) -> Mapping[str, object]:
    """Resolve the typed values of ``iri`` parameters (names, slugs) through the dataset's names.

    With a ``store``, every typed value must name something in it; without one (a
    remote endpoint, which may hold other data), IRIs and ``kind/slug`` pass
    unchecked and names are looked up in the packaged dataset.
    """
    from aiaccess.names import entity

    typed = {
        p.name: value
        for p in query.parameters
        if p.kind == "iri" and isinstance(value := params.get(p.name), str)
    }
    resolved = dict(params)
    for name, value in typed.items():
        text = value.strip()
        if store is None and (":" in text or "/" in text):
            continue
        try:
            resolved[name] = entity(text, store if store is not None else _store(None))
        except ParameterError as error:
            raise type(error)(f"parameter {name}: {error}") from None
    return resolved


def _store(store: Any) -> ox.Store:
    """Return the pyoxigraph store to query: the given one, or the packaged dataset."""
    if store is None:
        return _packaged()
    if isinstance(store, ox.Store):
        return store
    inner = getattr(getattr(store, "store", None), "_inner", None)
    if isinstance(inner, ox.Store):
        return inner
    raise TypeError("store must be a pyoxigraph Store or the rdflib Dataset of aiaccess.load()")


@functools.cache
def _packaged() -> ox.Store:
    """Load the packaged dataset once per process; queries here only read it."""
    from aiaccess.load import store

    return store()


def _local(name: str, text: str, store: ox.Store) -> ox.QuerySolutions | ox.QueryBoolean:
    """Evaluate on an Oxigraph store, with the union of all graphs as default graph."""
    try:
        result = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as error:
        raise QueryError(f"{name}: SPARQL syntax error: {_one_line(error)}") from None
    if isinstance(result, ox.QueryTriples):
        del result  # freed here: a kept traceback would hold it in this frame (see _unreadable)
        raise QueryError(f"{name}: only SELECT and ASK queries can be run here")
    return result


@functools.cache
def _tls() -> ssl.SSLContext:
    """Return the TLS settings for remote endpoints, made once per process.

    ``httpx.post`` would make them for every query, loading the CA bundle again
    (about 40 ms of CPU, more than a small query takes on a local endpoint).
    """
    import httpx

    return httpx.create_ssl_context()


def _remote(url: str, text: str, timeout: float) -> ox.QuerySolutions | ox.QueryBoolean:
    """POST the query to a SPARQL 1.1 endpoint; parse its answer with pyoxigraph."""
    import httpx

    try:
        response = httpx.post(
            url, data={"query": text}, headers={"Accept": ACCEPT}, timeout=timeout, verify=_tls()
        )
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise QueryError(f"cannot reach SPARQL endpoint {url}: {_one_line(error)}") from None
    if response.is_error:
        first = (response.text.strip().splitlines() or [""])[0][:200]
        raise QueryError(f"SPARQL endpoint {url} answered {response.status_code}: {first}")
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    fmt = ox.QueryResultsFormat.from_media_type(media_type) if media_type else None
    if fmt is None or fmt == ox.QueryResultsFormat.CSV:
        raise QueryError(
            f"SPARQL endpoint {url} answered in {media_type or 'no media type'}, "
            "not SPARQL results in JSON, XML or TSV"
        )
    try:
        return ox.parse_query_results(response.content, fmt)
    except SyntaxError as error:
        raise QueryError(
            f"SPARQL endpoint {url} sent malformed results: {_one_line(error)}"
        ) from None


def _unreadable(endpoint: str | None, error: Exception) -> QueryError:
    """Return the error for results that failed while being read, one row at a time.

    Both kinds of results are lazy: a remote answer is parsed as it is read, and
    a local query is evaluated as it is read (a SERVICE call can fail then). The
    callers drop the results object before this error leaves their frame:
    pyoxigraph's results must be freed on the thread that made them, and a kept
    traceback (``pytest.raises``, a ``Future``, a CLI runner) would otherwise hold
    them until the garbage collector frees them on whichever thread runs it.
    """
    if endpoint is not None:
        return QueryError(f"SPARQL endpoint {endpoint} sent malformed results: {_one_line(error)}")
    return QueryError(f"query evaluation failed: {_one_line(error)}")


def _one_line(error: Exception) -> str:
    """Return an error's message on one line."""
    return " ".join(str(error).split())
