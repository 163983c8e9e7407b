"""Reading a query's text before it runs: its SERVICE endpoints and dataset clauses.

``SERVICE`` makes Oxigraph send an HTTP request to the IRI it names, so the
server refuses it unless the endpoint is on the operator's allowlist. The text
is read with the package's SPARQL tokenizer (:mod:`aiaccess.sparql_tokens`),
so the word "service" in a string, an IRI, a comment, a variable or a prefixed
name is not mistaken for the keyword, and prefixed or relative endpoint names
resolve as the engine resolves them. Only texts that contain the letters
"service" are read: without them there can be no ``SERVICE`` (Oxigraph reads
keywords literally, with no escapes).

The screening fails closed. A text that mentions "service" and that the
tokenizer cannot read is refused, whatever else protects the server; so is one
where "service" stands where the engine might take it for the keyword (a bare
word such as ``SERVICESILENT``, a prefixed name such as ``service:x``). The
one real ambiguity of SPARQL's tokens, ``<`` as an operator or the start of an
IRI, is read all three ways, and an endpoint found in any reading counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aiaccess.namespaces import PREFIXES
from aiaccess.server.errors import HttpError, bad_request, forbidden
from aiaccess.sparql_tokens import Kind, Prologue, Token, UnreadableQuery, readings

_SERVICE_LETTERS = re.compile("(?<![:?$])service", re.IGNORECASE)
_FROM_LETTERS = re.compile("(?<![:?$])from", re.IGNORECASE)

Endpoint = str | None
"""The IRI a ``SERVICE`` clause names, or None for a variable."""


def screen(query: str, allowed: tuple[str, ...], base: str | None = None) -> None:
    """Refuse a query whose ``SERVICE`` clauses name endpoints not in ``allowed``.

    :param base: the IRI relative IRIs resolve against, as for the engine.
    :raises HttpError: 403 naming the first endpoint refused; 400 if the query
        mentions "service" and cannot be read.

    >>> screen("SELECT * { ?s ?p 'a service' } # no SERVICE here", ())
    >>> screen("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", ())
    Traceback (most recent call last):
    ...
    aiaccess.server.errors.HttpError: SERVICE is not allowed here (<http://example.org/sparql>): \
this endpoint makes no outbound requests
    """
    if not mentions_service(query):
        return
    try:
        endpoints = service_endpoints(query, base)
    except UnreadableQuery as error:
        raise bad_request(
            f"the query mentions SERVICE and cannot be checked ({error}); "
            "write it in standard SPARQL"
        ) from None
    for endpoint in endpoints:
        if endpoint not in allowed:
            raise _refused(endpoint, allowed)


def mentions_service(query: str) -> bool:
    """Tell whether the letters "service" occur in ``query`` where they could start a keyword.

    Not right after ``:`` (a prefixed name such as ``aia:service``: the engine's
    parser reads the longest name and never backtracks into it), nor after ``?``
    or ``$`` (a variable). Anywhere else, in any case, they count.

    >>> mentions_service("SELECT ?service { ?x aia:service ?service }")
    False
    >>> mentions_service("SELECT * { ?s ?p 'a service' }")
    True
    """
    return _SERVICE_LETTERS.search(query) is not None


def service_endpoints(query: str, base: str | None = None) -> list[Endpoint]:
    """Return the endpoint of every ``SERVICE`` clause, in every reading of ``<``.

    :raises UnreadableQuery: if the query cannot be read, or a word or prefixed
        name might be the keyword in disguise.

    >>> service_endpoints("PREFIX e: <http://e/> SELECT * { SERVICE SILENT e:q { ?s ?p ?o } }")
    ['http://e/q']
    """
    found: list[Endpoint] = []
    for tokens in readings(query):
        found += [e for e in _endpoints(tokens, base) if e not in found]
    return found


def _endpoints(tokens: Sequence[Token], base: str | None) -> list[Endpoint]:
    """Return the endpoints the ``SERVICE`` keywords among ``tokens`` name."""
    prologue = Prologue(base, PREFIXES)
    found: list[Endpoint] = []
    for index, token in enumerate(tokens):
        prologue.declare(tokens, index)
        if _disguised(token):
            raise UnreadableQuery(f"{token.text!r} could be read as the SERVICE keyword")
        if token.word == "SERVICE":
            found.append(_endpoint(tokens, index + 1, prologue))
    return found


def _disguised(token: Token) -> bool:
    """Tell whether a token other than the keyword could be taken for ``SERVICE``."""
    if token.kind is Kind.KEYWORD:
        return "SERVICE" in token.word and token.word != "SERVICE"
    return token.kind is Kind.PNAME and token.text.upper().startswith("SERVICE")


def _endpoint(tokens: Sequence[Token], index: int, prologue: Prologue) -> Endpoint:
    """Return the endpoint named after ``SERVICE`` (and ``SILENT``) at ``tokens[index]``."""
    if index < len(tokens) and tokens[index].word == "SILENT":
        index += 1
    if index >= len(tokens):
        raise UnreadableQuery("SERVICE names no endpoint")
    target = tokens[index]
    if target.kind is Kind.VAR:
        return None
    if target.kind not in (Kind.IRI, Kind.PNAME):
        raise UnreadableQuery(f"SERVICE is followed by {target.text!r}, not an IRI")
    iri = prologue.resolve(target)
    if iri is None:
        raise UnreadableQuery(f"the SERVICE endpoint {target.text} has an undeclared prefix")
    return iri


def _refused(endpoint: Endpoint, allowed: tuple[str, ...]) -> HttpError:
    """Return the 403 error for a SERVICE clause naming ``endpoint`` (None: a variable)."""
    shown = f"<{endpoint}>" if endpoint else "a variable endpoint"
    if not allowed:
        return forbidden(
            f"SERVICE is not allowed here ({shown}): this endpoint makes no outbound requests"
        )
    choices = ", ".join(f"<{a}>" for a in allowed)
    return forbidden(f"SERVICE {shown} is not allowed; allowed endpoints: {choices}")


def has_dataset_clause(query: str) -> bool:
    """Tell whether the query chooses its own dataset with ``FROM`` or ``FROM NAMED``.

    A text the tokenizer cannot read is left to the engine, which reports the error.

    >>> has_dataset_clause("SELECT * FROM NAMED <http://g> { GRAPH ?g { ?s ?p ?o } }")
    True
    """
    if _FROM_LETTERS.search(query) is None:
        return False
    try:
        return any(t.word == "FROM" for t in readings(query)[0] if t.kind is Kind.KEYWORD)
    except UnreadableQuery:
        return False
