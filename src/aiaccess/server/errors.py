"""HTTP errors: a status and a one-line message, built by small named constructors.

Handlers raise an :class:`HttpError`; the application turns it into a
``text/plain`` response whose body is the message and a newline. Nothing a
client sends can produce a traceback: anything that is not an ``HttpError`` is
a bug, logged and answered with a bare ``500``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.responses import Response


class HttpError(Exception):
    """An error response: ``status``, a one-line ``message`` and extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def response(self) -> Response:
        """Return the plain-text response for this error.

        Starlette is imported here, not with the module: the query workers raise
        these errors too, and importing Starlette would add a tenth of a second to
        each worker's start.
        """
        from starlette.responses import Response

        return Response(
            self.message + "\n",
            status_code=self.status,
            media_type="text/plain; charset=utf-8",
            headers=self.headers,
        )


def bad_request(message: str) -> HttpError:
    """400: the request or the query is malformed."""
    return HttpError(400, message)


def forbidden(message: str) -> HttpError:
    """403: the request is understood but refused (updates on a read-only service)."""
    return HttpError(403, message)


def not_found(message: str) -> HttpError:
    """404: no such resource."""
    return HttpError(404, message)


def method_not_allowed(method: str, allowed: Iterable[str]) -> HttpError:
    """405: the resource does not support ``method``; lists the ones it does."""
    allow = ", ".join(allowed)
    return HttpError(405, f"{method} is not allowed here; use {allow}", {"Allow": allow})


def not_acceptable(message: str) -> HttpError:
    """406: no representation matches the Accept header or the format parameter."""
    return HttpError(406, message)


def payload_too_large(message: str) -> HttpError:
    """413: the request body or the query is over the configured limit."""
    return HttpError(413, message)


def unsupported_media_type(message: str) -> HttpError:
    """415: the request body has a content type the endpoint does not read."""
    return HttpError(415, message)


def bad_gateway(message: str) -> HttpError:
    """502: an allowed remote SERVICE endpoint failed."""
    return HttpError(502, message)


def unavailable(message: str, retry_after: int | None = None) -> HttpError:
    """503: the query ran out of time, or the service is too busy to take it."""
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return HttpError(503, message, headers)
