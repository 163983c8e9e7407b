"""Content negotiation: pick the media type to answer with from an Accept header.

One pure function, :func:`negotiate`, used by every endpoint. It reads q-values
and wildcards, lets the most specific range decide an offer's quality (so
``text/*, text/csv;q=0`` excludes CSV), and breaks ties by the server's order
of preference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiaccess.server.errors import bad_request, not_acceptable


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: ``type/subtype`` and its quality."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """Return how precisely this range matches ``media_type``: 2, 1, 0, or -1 for no match.

        >>> MediaRange("text", "*", 1.0).specificity("text/turtle")
        1
        """
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


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
    best, best_q = None, 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    if best is None:
        raise not_acceptable(f"no acceptable media type; available: {', '.join(offers)}")
    return best


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """Return the quality the most specific matching range gives ``media_type`` (0 if none).

    >>> quality(parse_accept("*/*;q=0.1, text/turtle"), "text/turtle")
    1.0
    """
    match, level = 0.0, -1
    for item in ranges:
        found = item.specificity(media_type)
        if found > level:
            match, level = item.q, found
    return match


def parse_accept(header: str) -> list[MediaRange]:
    """Parse an Accept header into media ranges, ignoring parameters other than q.

    :raises HttpError: 400 if an element is not a media range or has a bad q.

    >>> parse_accept("text/html, */*;q=0.8")
    [MediaRange(type='text', subtype='html', q=1.0), MediaRange(type='*', subtype='*', q=0.8)]
    """
    return [_media_range(item) for item in header.split(",") if item.strip()]


def _media_range(item: str) -> MediaRange:
    """Parse one ``type/subtype;param=value`` element."""
    name, *params = (part.strip() for part in item.split(";"))
    name = "*/*" if name == "*" else name.lower()
    kind, slash, sub = name.partition("/")
    if not slash or not kind or not sub or (kind == "*" and sub != "*"):
        raise bad_request(f"invalid Accept header: {item.strip()!r} is not a media range")
    q = 1.0
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            q = _q_value(value.strip(), item)
    return MediaRange(kind, sub, q)


def _q_value(value: str, item: str) -> float:
    """Return a q parameter's value, between 0 and 1."""
    try:
        q = float(value)
    except ValueError:
        q = -1.0
    if not 0.0 <= q <= 1.0:
        raise bad_request(f"invalid Accept header: bad q value in {item.strip()!r}")
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
