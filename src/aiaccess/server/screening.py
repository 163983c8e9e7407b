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
from collections.abc import Iterator, Sequence

from aiaccess.namespaces import PREFIXES
from aiaccess.server.errors import HttpError, bad_request, forbidden
from aiaccess.sparql_tokens import Kind, Prologue, Token, UnreadableQuery, readings, scan

_HEADER = re.compile(r"(?:[ \t\r\n]++|\#[^\r\n]*+)*+")
"""White space and comments at the start of a text: the tokenizer skips them the same way."""
_SERVICE_LETTERS = re.compile("service", re.IGNORECASE)
_NAME_OR_VARIABLE = re.compile(r"(?::\w*|[?$])\Z")
"""What, right before the letters "service", makes them part of a prefixed name or a variable."""
_FROM_LETTERS = re.compile("from", re.IGNORECASE)
_OPENERS = frozenset({"{", "{|", "(", "["})
_CLOSERS = frozenset({"}", "|}", ")", "]"})

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

    Not in the comments that head the text (the tokenizer skips them whatever
    they say), not in a prefixed name's local part (``aia:service``,
    ``aia:operatedService``: the engine's parser reads the longest name and never
    backtracks into it), nor right after ``?`` or ``$`` (a variable). Anywhere
    else, in any case, they count. Canned queries mention services in their
    header comments and properties, so they are not tokenized for this at all.

    >>> mentions_service("# a service" + chr(10) + "SELECT ?s { ?s aia:operatedService ?service }")
    False
    >>> mentions_service("SELECT * { ?s ?p 'a service' }")
    True
    >>> mentions_service("SELECT * { ?s ?p ?o } # a service")
    True
    """
    start = _body(query)
    if "service" not in query[start:].casefold():
        return False  # the common case, at the cost of a copy
    return any(
        _NAME_OR_VARIABLE.search(query, max(start, m.start() - 64), m.start()) is None
        for m in _SERVICE_LETTERS.finditer(query, start)
    )


def _body(query: str) -> int:
    """Return where the query's text begins after its header comments."""
    header = _HEADER.match(query)
    return header.end() if header else 0


def _alone(query: str, start: int, end: int) -> bool:
    """Tell whether ``query[start:end]`` is a whole bare word (not part of a name or variable)."""
    before = query[start - 1] if start else " "
    after = query[end] if end < len(query) else " "
    return not (before.isalnum() or before in "_:?$" or after.isalnum() or after == "_")


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
    start = _body(query)
    if "from" not in query[start:].casefold() or not any(
        _alone(query, m.start(), m.end()) for m in _FROM_LETTERS.finditer(query, start)
    ):
        return False
    try:
        return _from_before_pattern(scan(query))
    except UnreadableQuery:
        return False


def _from_before_pattern(tokens: Iterator[Token]) -> bool:
    """Tell whether a ``FROM`` keyword comes before the query's pattern opens.

    Dataset clauses stand between the query form (a CONSTRUCT's template
    included) and the WHERE clause, so reading stops at the first ``{`` outside
    brackets that does not open a template: the rest is never tokenized.

    >>> _from_before_pattern(scan("CONSTRUCT { ?s ?p ?o } FROM <g> WHERE { ?s ?p ?o }"))
    True
    >>> _from_before_pattern(scan("SELECT * { ?s ?p ?o } # from here on"))
    False
    """
    depth, previous = 0, ""
    for token in tokens:
        if token.kind is Kind.KEYWORD and token.word == "FROM":
            return True
        if token.kind is Kind.PUNCT:
            if token.text == "{" and not depth and previous != "CONSTRUCT":
                return False
            depth += token.text in _OPENERS
            depth -= token.text in _CLOSERS
        previous = token.word
    return False
