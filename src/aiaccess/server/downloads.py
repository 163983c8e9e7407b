"""The dataset's files, served with validators, compression and conditional GET.

Each file is made once at start (:mod:`aiaccess.server.snapshot`) and kept
with its gzip-compressed form, so a request costs no work: ``ETag`` (a hash of
the bytes; the compressed form has its own), ``Last-Modified``,
``Content-Length``, ``Vary: Accept-Encoding``, ``HEAD``, and ``304 Not
Modified`` for ``If-None-Match`` or ``If-Modified-Since``.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import formatdate, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from aiaccess.build import CHECKSUMS, sha256sums
from aiaccess.server.errors import method_not_allowed

METHODS = ("GET", "HEAD")


@dataclass(frozen=True)
class Download:
    """One file: its bytes plain and compressed, their ETags, and its modification time."""

    name: str
    content_type: str
    body: bytes
    gzipped: bytes
    etag: str
    gzip_etag: str
    modified: int
    sha256: str
    """The hex SHA-256 of the bytes, as ``/SHA256SUMS`` lists it."""

    @classmethod
    def of(
        cls, name: str, media_type: str, body: bytes, modified: float, gzipped: bytes | None = None
    ) -> Download:
        """Return the download of ``body``, compressing it (unless given) and hashing both forms."""
        if gzipped is None:
            gzipped = gzip.compress(body, compresslevel=9, mtime=0)
        content_type = media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")
        digest = hashlib.sha256(body).hexdigest()
        etag = f'"{digest[:32]}"'
        return cls(name, content_type, body, gzipped, etag, _etag(gzipped), int(modified), digest)

    @property
    def size(self) -> int:
        """Return the file's size in bytes (uncompressed)."""
        return len(self.body)

    @property
    def date(self) -> str:
        """Return the file's modification date, ISO 8601, in UTC.

        >>> Download.of("a", "text/plain", b"", 0).date
        '1970-01-01'
        """
        return datetime.fromtimestamp(self.modified, UTC).date().isoformat()

    @property
    def last_modified(self) -> str:
        """Return the Last-Modified header value."""
        return formatdate(self.modified, usegmt=True)


async def serve(request: Request, download: Download) -> Response:
    """Answer a GET or HEAD of ``download``: 200 (gzip if accepted) or 304."""
    if request.method not in METHODS:
        raise method_not_allowed(request.method, METHODS)
    compressed = accepts_gzip(request.headers.get("accept-encoding"))
    etag = download.gzip_etag if compressed else download.etag
    headers = {
        "ETag": etag,
        "Last-Modified": download.last_modified,
        "Vary": "Accept-Encoding",
        "Cache-Control": "public, max-age=3600",
    }
    if not_modified(request, etag, download.modified):
        return Response(status_code=304, headers=headers)
    if compressed:
        headers["Content-Encoding"] = "gzip"
    body = download.gzipped if compressed else download.body
    return Response(body, 200, headers, download.content_type)


def accepts_gzip(header: str | None) -> bool:
    """Tell whether an Accept-Encoding header allows gzip.

    >>> accepts_gzip("br, gzip;q=0.5")
    True
    >>> accepts_gzip("gzip;q=0, identity")
    False
    """
    for item in (header or "").split(","):
        coding, *params = (part.strip().lower() for part in item.split(";"))
        if coding in ("gzip", "x-gzip", "*"):
            return all(_q(param) > 0 for param in params)
    return False


def not_modified(request: Request, etag: str, modified: int) -> bool:
    """Tell whether the client's copy is current: If-None-Match, else If-Modified-Since."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since is None:
        return False
    try:
        return modified <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as HTTP requires


def _q(param: str) -> float:
    """Return the quality a ``q=`` parameter gives (1 for any other parameter)."""
    key, _, value = param.partition("=")
    if key.strip() != "q":
        return 1.0
    try:
        return float(value)
    except ValueError:
        return 0.0


def _etag(body: bytes) -> str:
    """Return a strong ETag for ``body``."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def with_checksums(files: dict[str, Download]) -> dict[str, Download]:
    """Return ``files`` and their ``SHA256SUMS`` manifest (a download too), by name."""
    manifest = sha256sums({name: d.body for name, d in files.items()})
    newest = max((d.modified for d in files.values()), default=0)
    listed = Download.of(CHECKSUMS, "text/plain", manifest, newest)
    return {**files, CHECKSUMS: listed}
