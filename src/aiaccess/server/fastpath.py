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

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aiaccess.server import editor
from aiaccess.server.errors import HttpError
from aiaccess.server.protocol import FORM, SPARQL_QUERY, content_type, parse_params, query_request
from aiaccess.server.sparql import Endpoint, cache_key
from aiaccess.server.worker import Answer

PATHS = ("/sparql", "/sparql/")
METHODS = ("GET", "POST")


class CachedAnswers:
    """Answer cached ``/sparql`` queries directly; pass everything else to ``app``.

    :param endpoint: the endpoint whose cache answers.
    :param cors: whether CORS is on (every response then varies by ``Origin`` too).

    The HTTP protocol (:mod:`aiaccess.server.http11`) asks :meth:`readable` and
    :meth:`answer` too, before it makes an ASGI request of the bytes it parsed.
    """

    def __init__(self, app: ASGIApp, endpoint: Endpoint, cors: bool) -> None:
        self.app = app
        self.endpoint = endpoint
        self.vary = (b"vary", b"Accept, Origin" if cors else b"Accept")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI event: a cached answer, or the application's."""
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = self.readable(scope["method"], scope["path"], scope["headers"])
        if headers is None:
            return await self.app(scope, receive, send)
        messages: list[Message] = []
        if scope["method"] == "POST":
            messages = await _received(receive)
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        answer = self.answer(scope["method"], scope["path"], scope["query_string"], headers, body)
        if answer is None:
            return await self.app(scope, _replaying(messages, receive), send)
        start = {
            "type": "http.response.start",
            "status": answer.status,
            "headers": self.head(answer),
        }
        await send(start)
        await send({"type": "http.response.body", "body": answer.body})

    def readable(
        self, method: str, path: str, headers: list[tuple[bytes, bytes]]
    ) -> Headers | None:
        """Return what the lean path reads of a request's headers (lower-case names), or
        None if the request must go the long way: another path or method, an ``Origin``
        (CORS), a body over the limit or of undeclared length (413)."""
        if path not in PATHS or method not in METHODS:
            return None
        read = _read(headers)
        if read is None:
            return None
        if method == "POST" and not _within(read[0], self.endpoint.limits.body_bytes):
            return None
        return read

    def answer(
        self, method: str, path: str, query: bytes, headers: Headers, body: bytes
    ) -> Answer | None:
        """Return the cached answer to a request :meth:`readable` accepted, or None."""
        cache = self.endpoint.cache
        request = ("request", method, path, query, *headers, body)
        answer = cache.get(request, count_miss=False)
        if answer is None:
            answer = _cached(method, query, headers, body, self.endpoint)
            if answer is not None:
                cache.put(request, answer)
        return answer

    def head(self, answer: Answer) -> list[tuple[bytes, bytes]]:
        """Return the headers of a cached answer, as the endpoint's response has them."""
        length = (b"content-length", b"%d" % len(answer.body))
        return [self.vary, length, (b"content-type", answer.content_type.encode("latin-1"))]


Headers = tuple[bytes | None, bytes | None, bytes | None]
"""What the lean path reads of a request's headers: Content-Length, Content-Type, Accept."""


def _read(headers: list[tuple[bytes, bytes]]) -> Headers | None:
    """Return the headers the lean path reads, the first of each as Starlette reads it;
    None for a request with an ``Origin`` (CORS: the long way)."""
    length = kind = accept = None
    for name, value in headers:
        if name == b"content-length":
            length = value if length is None else length
        elif name == b"content-type":
            kind = value if kind is None else kind
        elif name == b"accept":
            accept = value if accept is None else accept
        elif name == b"origin":
            return None
    return length, kind, accept


def _cached(
    method: str, query: bytes, headers: Headers, body: bytes, endpoint: Endpoint
) -> Answer | None:
    """Return the cached answer to this request, or None if it must go the long way."""
    accept = headers[2].decode("latin-1") if headers[2] is not None else None
    try:
        params = parse_params(query)
        if method == "POST":
            params += _body_params(headers[1], body, bool(params))
        parsed = query_request(params, endpoint.limits)
        if method == "GET" and editor.wants_page(accept, parsed.formats):
            return None  # a browser: the editor page
    except HttpError:
        return None
    if parsed.query is None:
        return None
    return endpoint.cache.get(cache_key(parsed, accept))


def _body_params(raw: bytes | None, body: bytes, in_url: bool) -> list[tuple[str, str]]:
    """Return the parameters a POST body of Content-Type ``raw`` carries, as the endpoint
    reads them.

    :raises HttpError: for anything the endpoint would refuse (it will say why).
    """
    essence, charset = content_type(raw.decode("latin-1") if raw is not None else None)
    if essence == FORM:
        return parse_params(body)
    if essence == SPARQL_QUERY and charset in (None, "utf-8") and not in_url:
        try:
            return [("query", body.decode("utf-8"))]
        except UnicodeDecodeError:
            pass
    raise HttpError(400, "not for the lean path")


def _within(declared: bytes | None, limit: int) -> bool:
    """Tell whether a body of ``declared`` length may be read: a body over the limit, or of
    undeclared length, is left to the application (413 past the limit)."""
    return declared is not None and declared.isdigit() and int(declared) <= limit


async def _received(receive: Receive) -> list[Message]:
    """Return the messages that carry a request's body, up to its last."""
    messages: list[Message] = [await receive()]
    while messages[-1]["type"] == "http.request" and messages[-1].get("more_body", False):
        messages.append(await receive())
    return messages


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    """Return a ``receive`` that gives ``messages`` again, then what ``receive`` gives."""

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay
