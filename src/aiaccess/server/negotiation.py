"""Content negotiation: pick the media type to answer with from an Accept header.

One pure function, :func:`negotiate`, used by every endpoint. The matching is
python-mimeparse's: the most specific range that matches an offer gives its
quality (so ``text/*, text/csv;q=0`` excludes CSV). Around it this module adds
what a strict server needs and mimeparse leaves out: a malformed range or q
value is a 400 (mimeparse would read it as ``q=1``), types are case-insensitive,
and ties go to the server's order of preference (mimeparse's ``best_match``
prefers the more specific range, then the last offer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import mimeparse

from aiaccess.server.errors import bad_request, not_acceptable

ParsedRange = tuple[str, str, dict[str, str]]
"""A media range as mimeparse's matching functions take it."""


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: ``type/subtype`` and its quality."""

    type: str
    subtype: str
    q: float

    @property
    def parsed(self) -> ParsedRange:
        """Return the range as mimeparse takes it (parameters other than q dropped).

        >>> MediaRange("text", "*", 0.5).parsed
        ('text', '*', {'q': '0.5'})
        """
        return (self.type, self.subtype, {"q": repr(self.q)})


def negotiate(accept: str | None, offers: Sequence[str]) -> str:
    """Return the offer the client prefers; the first offer if it states no preference.

    :param accept: the Accept header, or None when absent.
    :param offers: the media types the server can produce, best first.
    :raises HttpError: 400 if the header is malformed, 406 if no offer is acceptable.

    >>> negotiate("text/csv;q=0.5, application/*", ["text/csv", "application/json"])
    'application/json'
    >>> negotiate(None, ["text/turtle", "text/html"])
    'text/turtle'
    """
    ranges = parse_accept(accept) if accept and accept.strip() else []
    if not ranges:
        return offers[0]
    qualities = [quality(ranges, offer) for offer in offers]
    best = max(qualities, default=0.0)
    if best <= 0:
        raise not_acceptable(f"no acceptable media type; available: {', '.join(offers)}")
    return offers[qualities.index(best)]


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """Return the quality the most specific matching range gives ``media_type`` (0 if none).

    >>> quality(parse_accept("*/*;q=0.1, text/turtle"), "text/turtle")
    1.0
    >>> quality(parse_accept("text/*, text/csv;q=0"), "text/csv")
    0.0
    """
    return float(mimeparse.quality_parsed(media_type, [r.parsed for r in ranges]))


def parse_accept(header: str) -> list[MediaRange]:
    """Parse an Accept header into media ranges, ignoring parameters other than q.

    :raises HttpError: 400 if an element is not a media range or has a bad q.

    >>> parse_accept("text/html, */*;q=0.8")
    [MediaRange(type='text', subtype='html', q=1.0), MediaRange(type='*', subtype='*', q=0.8)]
    """
    return [_media_range(item.strip()) for item in header.split(",") if item.strip()]


def _media_range(item: str) -> MediaRange:
    """Parse one ``type/subtype;param=value`` element (mimeparse reads a lone ``*`` as ``*/*``)."""
    try:
        kind, sub, params = mimeparse.parse_mime_type(item.lower())
    except mimeparse.MimeTypeParseException:
        kind = sub = ""
    if not kind or not sub or (kind == "*" and sub != "*"):
        raise bad_request(f"invalid Accept header: {item!r} is not a media range")
    return MediaRange(kind, sub, _q_value(params.get("q", "1"), item))


def _q_value(value: str, item: str) -> float:
    """Return a q parameter's value, between 0 and 1."""
    try:
        q = float(value)
    except ValueError:
        q = -1.0
    if not 0.0 <= q <= 1.0:
        raise bad_request(f"invalid Accept header: bad q value in {item!r}")
    return q


def languages(header: str | None) -> tuple[str, ...]:
    """Return the primary language subtags of an Accept-Language header, preferred first.

    Malformed elements are skipped: a language preference never causes an error.

    >>> languages("zh-CN, zh;q=0.9, en;q=0.8, *;q=0.1")
    ('zh', 'en')
    """
    found: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "").split(",")):
        tag, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.split("-")[0].lower()
        if primary.isalpha() and 0 < q <= 1:
            found.append((-q, position, primary))
    ordered = [tag for _, _, tag in sorted(found)]
    return tuple(dict.fromkeys(ordered))
