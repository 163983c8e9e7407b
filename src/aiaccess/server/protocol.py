"""Reading a SPARQL 1.1 Protocol request, strictly.

A query arrives by GET (``?query=``), by POST of a form
(``application/x-www-form-urlencoded``) or by POST of the query itself
(``application/sparql-query``, UTF-8). ``default-graph-uri`` and
``named-graph-uri`` may repeat; ``query`` may not. Updates in any form are
refused with 403: the service is read-only. Parameters the protocol does not
define are ignored, except ``format``, the server's override of Accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import Request

from aiaccess.server.errors import (
    HttpError,
    bad_request,
    forbidden,
    method_not_allowed,
    payload_too_large,
    unsupported_media_type,
)
from aiaccess.server.limits import Limits, read_body
from aiaccess.server.worker import Job

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
METHODS = ("GET", "HEAD", "POST")
_UPDATE_PARAMETERS = ("update", "using-graph-uri", "using-named-graph-uri")
_MAX_FIELDS = 1000

Params = list[tuple[str, str]]


@dataclass(frozen=True)
class QueryRequest:
    """What a protocol request asks: a query (None: none given) and its dataset."""

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()

    def job(self, accept: str | None) -> Job:
        """Return the worker job answering this request for a client sending ``accept``."""
        return Job(self.query or "", self.default_graphs, self.named_graphs, accept, self.formats)


async def read_request(request: Request, limits: Limits) -> QueryRequest:
    """Return the query request ``request`` carries.

    :raises HttpError: 405 for another method, 415 for a body of another type, 413 if
        the body or the query is over its limit, 403 for an update, 400 if malformed.
    """
    params = parse_params(request.scope["query_string"])
    if request.method == "POST":
        params = await _post_params(request, params, limits)
    elif request.method not in METHODS:
        raise method_not_allowed(request.method, METHODS)
    return query_request(params, limits)


def query_request(params: Params, limits: Limits) -> QueryRequest:
    """Return the query request the decoded ``params`` describe.

    :raises HttpError: 403 for an update, 400 for a repeated query or a bad graph IRI,
        413 for a query over the length limit.

    >>> query_request([("query", "ASK {}"), ("format", "xml")], Limits())
    QueryRequest(query='ASK {}', default_graphs=(), named_graphs=(), formats=('xml',))
    """
    if any(name in _UPDATE_PARAMETERS for name, _ in params):
        raise read_only()
    queries = _values(params, "query")
    if len(queries) > 1:
        raise bad_request(f"the query parameter is given {len(queries)} times; give it once")
    query = queries[0] if queries else None
    if query is not None and len(query) > limits.query_length:
        raise payload_too_large(
            f"the query is {len(query)} characters long; the limit is {limits.query_length}"
        )
    return QueryRequest(
        query,
        _graphs(params, "default-graph-uri"),
        _graphs(params, "named-graph-uri"),
        _values(params, "format"),
    )


def read_only() -> HttpError:
    """Return the 403 error refusing a SPARQL Update."""
    return forbidden("SPARQL Update is not supported: this is a read-only service")


def parse_params(raw: bytes) -> Params:
    """Decode a query string or form body: percent-escapes, ``+`` as space, strict UTF-8.

    :raises HttpError: 400 if it is not UTF-8 or has too many fields.

    >>> parse_params(b"query=ASK+%7B%7D&default-graph-uri=")
    [('query', 'ASK {}'), ('default-graph-uri', '')]
    """
    try:
        text = raw.decode("utf-8")
        return parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=_MAX_FIELDS)
    except UnicodeDecodeError:
        raise bad_request("parameters must be UTF-8 (percent-encoded)") from None
    except ValueError:
        raise bad_request(f"too many parameters (limit {_MAX_FIELDS})") from None


def content_type(header: str | None) -> tuple[str | None, str | None]:
    """Return a Content-Type's media type and charset, lower-cased.

    >>> content_type('application/sparql-query; charset="UTF-8"')
    ('application/sparql-query', 'utf-8')
    """
    if header is None or not header.strip():
        return None, None
    essence, *params = (part.strip() for part in header.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return essence.lower(), charset


async def _post_params(request: Request, params: Params, limits: Limits) -> Params:
    """Return the URL's parameters plus those the POST body carries."""
    essence, charset = content_type(request.headers.get("content-type"))
    if essence == FORM:
        return params + parse_params(await read_body(request, limits.body_bytes))
    if essence == SPARQL_QUERY:
        if charset not in (None, "utf-8"):
            raise unsupported_media_type(f"a {SPARQL_QUERY} body must be UTF-8, not {charset}")
        if _values(params, "query"):
            raise bad_request("the query is given both in the URL and in the body")
        return [*params, ("query", _utf8(await read_body(request, limits.body_bytes)))]
    if essence == SPARQL_UPDATE:
        raise read_only()
    accepted = f"use {SPARQL_QUERY} or {FORM}"
    if essence is None:
        raise unsupported_media_type(f"a POST needs a Content-Type: {accepted}")
    raise unsupported_media_type(f"cannot read a {essence} body; {accepted}")


def _utf8(body: bytes) -> str:
    """Decode a query body, which the protocol requires to be UTF-8."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise bad_request("the query is not valid UTF-8") from None


def _values(params: Params, name: str) -> tuple[str, ...]:
    """Return every value of parameter ``name``, in order."""
    return tuple(value for key, value in params if key == name)


def _graphs(params: Params, name: str) -> tuple[str, ...]:
    """Return the graph IRIs of parameter ``name``, each checked to be an absolute IRI."""
    graphs = _values(params, name)
    for graph in graphs:
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise bad_request(f"{name} is not a valid absolute IRI: {graph!r}") from None
    return graphs
