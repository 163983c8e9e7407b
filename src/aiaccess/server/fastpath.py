"""A lean path for cached answers: ``/sparql`` requests answered before Starlette's router.

A repeated query is answered from the cache, so its whole cost is HTTP
handling; most of that is the framework's (middleware, routing, the request
object). This ASGI middleware, the outermost, reads a ``GET`` or ``POST`` of
``/sparql`` with the same strict parser (:mod:`aiaccess.server.protocol`),
and if the answer is cached sends it as the endpoint would, with the same
headers as its :class:`~starlette.responses.Response` (and the ``Vary: Origin`` that the CORS
middleware adds to every response when CORS is on). Anything else, including every error,
a request with an ``Origin`` (CORS) and every cache miss, goes on to the
application unchanged; a POST body already read is handed on with it.

A request answered from the cache is remembered as it came (method, path,
query string, ``Content-Type``, ``Accept`` and body: everything the parser
reads), under its own key in the same cache: the same request again is
answered without being parsed, which is what a client repeating a query sends.
"""

from __future__ import annotations

from collections.abc import Hashable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aiaccess.server import editor
from aiaccess.server.errors import HttpError
from aiaccess.server.protocol import FORM, SPARQL_QUERY, content_type, parse_params, query_request
from aiaccess.server.sparql import Endpoint, cache_key
from aiaccess.server.worker import Answer

PATHS = ("/sparql", "/sparql/")
METHODS = ("GET", "POST")


class CachedAnswers:
    """Answer cached ``/sparql`` queries directly; pass everything else to ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI event: a cached answer, or the application's."""
        if scope["type"] != "http" or scope["path"] not in PATHS or scope["method"] not in METHODS:
            return await self.app(scope, receive, send)
        headers: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name, value)  # the first of repeated headers, as Starlette reads
        if b"origin" in headers:
            return await self.app(scope, receive, send)
        state: Endpoint = scope["app"].state.sparql
        body: bytes | None = b""
        if scope["method"] == "POST":
            body, receive = await _buffered(receive, headers, state)
        if body is None:
            return await self.app(scope, receive, send)
        request = _request_key(scope, headers, body)
        answer = state.cache.get(request, count_miss=False)
        if answer is None:
            answer = _cached(scope, headers, body)
            if answer is None:
                return await self.app(scope, receive, send)
            state.cache.put(request, answer)
        await _send(answer, scope, send)


def _request_key(scope: Scope, headers: dict[bytes, bytes], body: bytes) -> Hashable:
    """Return a request as it came: everything :func:`_cached` reads of it."""
    path, method, query = scope["path"], scope["method"], scope["query_string"]
    return (
        "request",
        method,
        path,
        query,
        headers.get(b"content-type"),
        headers.get(b"accept"),
        body,
    )


async def _send(answer: Answer, scope: Scope, send: Send) -> None:
    """Send ``answer`` as the endpoint's :class:`~starlette.responses.Response` would."""
    vary = b"Accept, Origin" if scope["app"].state.settings.cors_origins else b"Accept"
    headers = [
        (b"vary", vary),
        (b"content-length", str(len(answer.body)).encode()),
        (b"content-type", answer.content_type.encode("latin-1")),
    ]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


def _cached(scope: Scope, headers: dict[bytes, bytes], body: bytes) -> Answer | None:
    """Return the cached answer to this request, or None if it must go the long way."""
    state: Endpoint = scope["app"].state.sparql
    accept = headers[b"accept"].decode("latin-1") if b"accept" in headers else None
    try:
        params = parse_params(scope["query_string"])
        if scope["method"] == "POST":
            params += _body_params(headers, body, bool(params))
        parsed = query_request(params, state.limits)
        if scope["method"] == "GET" and editor.wants_page(accept, parsed.formats):
            return None  # a browser: the editor page
    except HttpError:
        return None
    if parsed.query is None:
        return None
    return state.cache.get(cache_key(parsed, accept))


def _body_params(headers: dict[bytes, bytes], body: bytes, in_url: bool) -> list[tuple[str, str]]:
    """Return the parameters a POST body carries, as the endpoint reads them.

    :raises HttpError: for anything the endpoint would refuse (it will say why).
    """
    raw = headers.get(b"content-type")
    essence, charset = content_type(raw.decode("latin-1") if raw is not None else None)
    if essence == FORM:
        return parse_params(body)
    if essence == SPARQL_QUERY and charset in (None, "utf-8") and not in_url:
        try:
            return [("query", body.decode("utf-8"))]
        except UnicodeDecodeError:
            pass
    raise HttpError(400, "not for the lean path")


async def _buffered(
    receive: Receive, headers: dict[bytes, bytes], state: Endpoint
) -> tuple[bytes | None, Receive]:
    """Read a POST body within the limit; return it and a ``receive`` that replays it.

    A body over the limit, or of undeclared length, is not read (None): the
    application answers it (413 past the limit).
    """
    declared = headers.get(b"content-length", b"")
    if not declared.isdigit() or int(declared) > state.limits.body_bytes:
        return None, receive
    chunks: list[bytes] = []
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return b"".join(chunks), replay
