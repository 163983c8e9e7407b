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
_ANNOTATION = ox.NamedNode(OA + "Annotation")
_MOTIVATED_BY, _HAS_BODY = ox.NamedNode(OA + "motivatedBy"), ox.NamedNode(OA + "hasBody")
_HAS_TARGET, _HAS_SOURCE = ox.NamedNode(OA + "hasTarget"), ox.NamedNode(OA + "hasSource")
_HAS_SELECTOR, _EXACT = ox.NamedNode(OA + "hasSelector"), ox.NamedNode(OA + "exact")
_PREFIX, _SUFFIX = ox.NamedNode(OA + "prefix"), ox.NamedNode(OA + "suffix")
_START, _END = ox.NamedNode(OA + "start"), ox.NamedNode(OA + "end")
_SPECIFIC_RESOURCE = ox.NamedNode(OA + "SpecificResource")
_QUOTE_SELECTOR = ox.NamedNode(OA + "TextQuoteSelector")
_POSITION_SELECTOR = ox.NamedNode(OA + "TextPositionSelector")
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
    triples: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (annotation, _HAS_TARGET, target),
        (target, _TYPE, _SPECIFIC_RESOURCE),
        (target, _HAS_SOURCE, source),
        (target, _HAS_SELECTOR, quote),
        (target, _HAS_SELECTOR, position),
        (quote, _TYPE, _QUOTE_SELECTOR),
        (quote, _EXACT, ox.Literal(span.exact, language=language)),
        (quote, _PREFIX, ox.Literal(span.prefix)),
        (quote, _SUFFIX, ox.Literal(span.suffix)),
        (position, _TYPE, _POSITION_SELECTOR),
        (position, _START, ox.Literal(str(span.start), datatype=_INTEGER)),
        (position, _END, ox.Literal(str(span.end), datatype=_INTEGER)),
    ]
    return [ox.Quad(s, p, o, graph) for s, p, o in triples]


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
        ox.Quad(annotation, _TYPE, _ANNOTATION, graph),
        ox.Quad(annotation, _MOTIVATED_BY, ox.NamedNode(OA + motivation), graph),
        ox.Quad(annotation, _HAS_BODY, body, graph),
    ]
