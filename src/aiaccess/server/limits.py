"""The server's limits, and reading a request body within them.

Every limit has a default that suits a public endpoint over a small dataset;
the command line can change each one.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from aiaccess.server.errors import bad_request, payload_too_large

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one request may cost the server."""

    timeout: float = 10.0
    """Seconds a query may run on a worker before the worker is killed (503); the wait for
    a free worker is not counted."""
    query_length: int = 50_000
    """Characters in a query (413 beyond)."""
    body_bytes: int = 1 * MIB
    """Bytes in a request body (413 beyond)."""
    result_bytes: int = 32 * MIB
    """Bytes in a serialized result (400 beyond: add a LIMIT)."""
    queue_length: int = 64
    """Queries waiting for a free worker at once (503 with Retry-After beyond)."""
    queue_seconds: float = 30.0
    """Seconds a query may wait for a free worker (503 with Retry-After beyond)."""
    worker_memory: int = 2048 * MIB
    """Bytes of address space per query worker (``RLIMIT_AS``); 0: no limit."""
    client_seconds: float = 60.0
    """Seconds of worker time each client address may use per minute (429 beyond);
    loopback clients are not limited; 0 turns the budget off."""
    cache_bytes: int = 64 * MIB
    """Bytes of responses kept to answer repeated queries (0 disables the cache)."""


async def read_body(request: Request, limit: int) -> bytes:
    """Return the request body, refusing more than ``limit`` bytes before reading it all.

    :raises HttpError: 413 if the body is larger than ``limit``, 400 if Content-Length is bad.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise bad_request("Content-Length must be a number of bytes")
        if int(declared) > limit:
            raise _too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> Exception:
    """Return the 413 error for a body over ``limit`` bytes."""
    return payload_too_large(f"request body is larger than the limit of {limit} bytes")
