"""The representations the server produces, and choosing one for a request.

Each :class:`Format` names a pyoxigraph serializer (or none, for HTML), the
media type it is served as, other media types clients use for it, and the
short names accepted by the ``format`` parameter (``?format=csv``), which
overrides the Accept header for browsers and for clients such as SPARQLWrapper.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from aiaccess.namespaces import PREFIXES
from aiaccess.server.errors import not_acceptable
from aiaccess.server.negotiation import negotiate

Syntax = ox.QueryResultsFormat | ox.RdfFormat


@dataclass(frozen=True)
class Format:
    """One representation: its media type, aliases, ``format`` names and serializer."""

    media_type: str
    content_type: str
    names: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    syntax: Syntax | None = None

    @property
    def label(self) -> str:
        """Return the short name shown in messages."""
        return self.names[0]


def _of(syntax: Syntax, names: tuple[str, ...], aliases: tuple[str, ...] = ()) -> Format:
    """Return the format pyoxigraph serializes as ``syntax``."""
    essence = syntax.media_type.split(";")[0]
    content_type = syntax.media_type
    if essence.startswith("text/") and "charset" not in content_type:
        content_type += "; charset=utf-8"
    return Format(essence, content_type, (*names, essence), aliases, syntax)


JSON = _of(ox.QueryResultsFormat.JSON, ("json", "srj"), ("application/json",))
XML = _of(ox.QueryResultsFormat.XML, ("xml", "srx"), ("application/xml", "text/xml"))
CSV = _of(ox.QueryResultsFormat.CSV, ("csv",))
TSV = _of(ox.QueryResultsFormat.TSV, ("tsv",))
TURTLE = _of(ox.RdfFormat.TURTLE, ("turtle", "ttl", "n3"), ("application/x-turtle", "text/n3"))
N_TRIPLES = _of(ox.RdfFormat.N_TRIPLES, ("ntriples", "nt", "n-triples"), ("text/plain",))
JSON_LD = _of(ox.RdfFormat.JSON_LD, ("jsonld", "json-ld", "json"), ("application/json",))
RDF_XML = _of(ox.RdfFormat.RDF_XML, ("rdfxml", "rdf+xml", "rdf", "xml"), ("application/xml",))
TRIG = _of(ox.RdfFormat.TRIG, ("trig",))
N_QUADS = _of(ox.RdfFormat.N_QUADS, ("nquads", "nq", "n-quads"))
HTML = Format("text/html", "text/html; charset=utf-8", ("html",), ("application/xhtml+xml",))

SOLUTIONS = (JSON, XML, CSV, TSV)
"""What a SELECT query can be answered in, best first."""
BOOLEAN = (JSON, XML)
"""What an ASK query can be answered in."""
GRAPH = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, TRIG, N_QUADS)
"""What a CONSTRUCT or DESCRIBE query, or an RDF document, can be answered in."""
PAGE = (*GRAPH, HTML)
"""What a Linked Data resource can be answered in."""
SUFFIXES = {".ttl": TURTLE, ".nt": N_TRIPLES, ".jsonld": JSON_LD}
"""Suffixes that select a Linked Data resource's representation."""


def choose(formats: Sequence[Format], accept: str | None, names: Iterable[str] = ()) -> Format:
    """Return the format to answer with: the one named by ``names``, else by Accept.

    :param names: values of the ``format`` parameter; several must all name one format.
    :raises HttpError: 406 if a name is unknown here or nothing is acceptable; 400 if
        the Accept header is malformed.

    >>> choose(SOLUTIONS, "text/csv, */*;q=0.1").label
    'csv'
    >>> choose(GRAPH, None, ["json"]).label
    'jsonld'
    """
    named = {by_name(formats, name) for name in names if name.strip(" ,")}
    if len(named) > 1:
        raise not_acceptable("the format parameter names more than one format")
    if named:
        return named.pop()
    offers = [f.media_type for f in formats] + [a for f in formats for a in f.aliases]
    chosen = negotiate(accept, offers)
    return next(f for f in formats if chosen == f.media_type or chosen in f.aliases)


def rdf_bytes(statements: Sequence[ox.Triple] | Sequence[ox.Quad], fmt: Format) -> bytes:
    """Serialize RDF statements in ``fmt`` with the project's prefixes.

    >>> a, p = ox.NamedNode("https://schema.org/a"), ox.NamedNode("urn:p")
    >>> triple = ox.Triple(a, p, ox.Literal("x"))
    >>> rdf_bytes([triple], TURTLE).splitlines()[-1]
    b'schema:a <urn:p> "x" .'
    """
    assert isinstance(fmt.syntax, ox.RdfFormat), f"{fmt.label} is not an RDF format"
    written = ox.serialize(statements, format=fmt.syntax, prefixes=PREFIXES)
    assert written is not None
    return written


def by_name(formats: Sequence[Format], name: str) -> Format:
    """Return the format a ``format`` parameter value names.

    A value may list alternatives separated by commas, as some clients send
    (``application/ld+json,application/x-json+ld``): the first one known is used.

    :raises HttpError: 406 if none of ``formats`` has that name.

    >>> by_name(GRAPH, "application/x-json+ld, application/ld+json").label
    'jsonld'
    """
    for part in name.split(","):
        wanted = part.split(";")[0].strip().lower()
        for fmt in formats:
            if wanted in fmt.names or wanted in fmt.aliases:
                return fmt
    choices = ", ".join(f.label for f in formats)
    raise not_acceptable(f"format {name!r} is not available here; use one of {choices}")
