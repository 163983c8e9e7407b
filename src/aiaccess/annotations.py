"""Web Annotation resources pointing into a seed text: evidence and mentions.

Both kinds are ``oa:Annotation``s whose target is a span of an article's text,
located by a ``oa:TextQuoteSelector`` (exact, prefix, suffix) and a
``oa:TextPositionSelector`` (start and end, in Unicode code points, as the Web
Annotation model counts them). Their IRIs are derived from the span, so two
builds mint the same IRIs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from aiaccess.namespaces import ID, OA, RDF, XSD

CONTEXT = 32
"""Characters of prefix and suffix recorded around each quote."""

_TYPE = ox.NamedNode(RDF + "type")
_INTEGER = ox.NamedNode(XSD + "integer")
"""Offsets are plain xsd:integer: Oxigraph stores derived integer types as xsd:integer,
so this keeps the served data and the dumps identical."""


@dataclass(frozen=True)
class Span:
    """A located stretch of a seed text."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def locate(text: str, quote: str) -> Span | None:
    """Return the first occurrence of ``quote`` in ``text``, or None.

    >>> locate("OpenAI blocked China.", "blocked")
    Span(start=7, end=14, exact='blocked', prefix='OpenAI ', suffix=' China.')
    """
    start = text.find(quote) if quote else -1
    return span_at(text, start, len(quote)) if start >= 0 else None


def span_at(text: str, start: int, length: int) -> Span:
    """Return the span of ``length`` characters at ``start``, with its context.

    >>> span_at("abcdef", 2, 2)
    Span(start=2, end=4, exact='cd', prefix='ab', suffix='ef')
    """
    end = start + length
    return Span(
        start,
        end,
        text[start:end],
        text[max(0, start - CONTEXT) : start],
        text[end : end + CONTEXT],
    )


def local_name(resource: ox.NamedNode) -> str:
    """Return a resource's IRI below ``id/`` with slashes as hyphens, for minting IRIs.

    >>> local_name(ox.NamedNode("https://w3id.org/aiaccess/id/org/openai"))
    'org-openai'
    """
    return resource.value.removeprefix(ID).replace("/", "-")


def occurrences(text: str, form: str) -> Iterator[int]:
    """Yield every start offset of ``form`` in ``text`` (overlaps included)."""
    start = text.find(form)
    while start >= 0:
        yield start
        start = text.find(form, start + 1)


def target_quads(
    annotation: ox.NamedNode,
    source: ox.NamedNode,
    span: Span,
    language: str | None,
    graph: ox.NamedNode,
) -> list[ox.Quad]:
    """Return the target, quote selector and position selector of an annotation."""
    base = annotation.value
    target = ox.NamedNode(base + "#target")
    quote = ox.NamedNode(base + "#quote")
    position = ox.NamedNode(base + "#position")
    triples: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]] = [
        (annotation, OA + "hasTarget", target),
        (target, RDF + "type", ox.NamedNode(OA + "SpecificResource")),
        (target, OA + "hasSource", source),
        (target, OA + "hasSelector", quote),
        (target, OA + "hasSelector", position),
        (quote, RDF + "type", ox.NamedNode(OA + "TextQuoteSelector")),
        (quote, OA + "exact", ox.Literal(span.exact, language=language)),
        (quote, OA + "prefix", ox.Literal(span.prefix)),
        (quote, OA + "suffix", ox.Literal(span.suffix)),
        (position, RDF + "type", ox.NamedNode(OA + "TextPositionSelector")),
        (position, OA + "start", ox.Literal(str(span.start), datatype=_INTEGER)),
        (position, OA + "end", ox.Literal(str(span.end), datatype=_INTEGER)),
    ]
    return [ox.Quad(s, ox.NamedNode(p), o, graph) for s, p, o in triples]


def annotation_quads(
    annotation: ox.NamedNode,
    kind: str,
    motivation: str,
    body: ox.NamedNode,
    graph: ox.NamedNode,
) -> list[ox.Quad]:
    """Return the typing, motivation and body of an annotation of class ``kind``."""
    return [
        ox.Quad(annotation, _TYPE, ox.NamedNode(kind), graph),
        ox.Quad(annotation, _TYPE, ox.NamedNode(OA + "Annotation"), graph),
        ox.Quad(annotation, ox.NamedNode(OA + "motivatedBy"), ox.NamedNode(OA + motivation), graph),
        ox.Quad(annotation, ox.NamedNode(OA + "hasBody"), body, graph),
    ]
