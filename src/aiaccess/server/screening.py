"""Reading a query's text before it runs: its SERVICE endpoints and dataset clauses.

``SERVICE`` makes Oxigraph send an HTTP request to the IRI it names, so the
server refuses it unless the endpoint is on the operator's allowlist. The check
parses the query with rdflib's SPARQL parser and walks its algebra, so the word
"service" in a string, an IRI or a comment is not mistaken for the keyword and
prefixed or relative endpoint names are resolved as the engine resolves them.
Only texts that contain the letters "service" are parsed: without them there
can be no ``SERVICE`` (Oxigraph reads keywords literally, with no escapes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from aiaccess.namespaces import PREFIXES
from aiaccess.server.errors import bad_request

_SERVICE_LETTERS = re.compile("service", re.IGNORECASE)

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<variable>[?$]\w+)
    | (?P<language>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<word>[\w:](?:[\w.:\-]*[\w:\-])?)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def screen(query: str, allowed: tuple[str, ...], base: str | None = None) -> None:
    """Refuse a query whose ``SERVICE`` clauses name endpoints not in ``allowed``.

    :param base: the IRI relative IRIs resolve against, as for the engine.

    :raises HttpError: 400 naming the first endpoint refused, or saying why the
        query could not be checked.

    >>> screen("SELECT * { ?s ?p 'a service' } # no SERVICE here", ())
    >>> screen("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", ())
    Traceback (most recent call last):
    ...
    aiaccess.server.errors.HttpError: SERVICE is not allowed here (<http://example.org/sparql>): \
this endpoint makes no outbound requests
    """
    if not mentions_service(query):
        return
    endpoints = service_endpoints(query, base)
    if endpoints is None:
        if allowed:
            raise bad_request(
                "the query contains the word SERVICE and could not be checked against the "
                "allowed SERVICE endpoints; write it in standard SPARQL 1.1"
            )
        return  # the engine will reject or run it; its worker has no network access
    for endpoint in endpoints:
        if endpoint not in allowed:
            raise _refused(endpoint, allowed)


def warm_up() -> None:
    """Load and compile rdflib's SPARQL parser now, so the first screened query is not slow."""
    service_endpoints("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }")


def mentions_service(query: str) -> bool:
    """Tell whether the letters "service" occur anywhere in ``query``, in any case."""
    return _SERVICE_LETTERS.search(query) is not None


def _refused(endpoint: str | None, allowed: tuple[str, ...]) -> Exception:
    """Return the 400 error for a SERVICE clause naming ``endpoint`` (None: a variable)."""
    shown = f"<{endpoint}>" if endpoint else "a variable endpoint"
    if not allowed:
        return bad_request(
            f"SERVICE is not allowed here ({shown}): this endpoint makes no outbound requests"
        )
    choices = ", ".join(f"<{a}>" for a in allowed)
    return bad_request(f"SERVICE {shown} is not allowed; allowed endpoints: {choices}")


def service_endpoints(query: str, base: str | None = None) -> list[str | None] | None:
    """Return the IRI each ``SERVICE`` clause names (None for a variable), or None if unparsable.

    >>> service_endpoints("PREFIX e: <http://e/> SELECT * { SERVICE SILENT e:q { ?s ?p ?o } }")
    ['http://e/q']
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.term import URIRef

    try:
        algebra = translateQuery(parseQuery(query), base=base, initNs=PREFIXES).algebra
    except Exception:  # rdflib raises many kinds on what it cannot read
        return None
    return [str(t) if isinstance(t, URIRef) else None for t in _service_terms(algebra)]


def _service_terms(node: Any) -> Iterator[Any]:
    """Yield the endpoint term of every ``ServiceGraphPattern`` below ``node``."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield node.get("term")
        for value in node.values():
            yield from _service_terms(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _service_terms(value)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _service_terms(value)


def keywords(query: str) -> Iterator[str]:
    """Yield the query's bare words, upper-cased, skipping IRIs, strings and comments.

    >>> list(keywords('SELECT ?from FROM <http://g> { ?s ?p "FROM" } # FROM'))
    ['SELECT', 'FROM']
    """
    for match in _TOKEN.finditer(query):
        if match.lastgroup == "word" and match.group().isalpha():
            yield match.group().upper()


def has_dataset_clause(query: str) -> bool:
    """Tell whether the query chooses its own dataset with ``FROM`` or ``FROM NAMED``.

    >>> has_dataset_clause("SELECT * FROM NAMED <http://g> { GRAPH ?g { ?s ?p ?o } }")
    True
    """
    return "FROM" in keywords(query)
