"""A tiny Graph Store Protocol server on loopback that misbehaves on request.

It keeps the graphs it accepts in memory and can demand basic auth, answer
503 a number of times first, reject some graphs, accept some graphs
without storing them, or send graphs back cut short, so that the tests can
see how ``publish`` copes.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.engines.process import LOOPBACK

JOIN_TIMEOUT_S = 10.0
POLL_S = 0.02


@dataclass
class FakeStore:
    """How the fake store behaves, and what it has received."""

    user: str | None = None
    password: str | None = None
    transient: int = 0
    """How many requests to answer 503 before behaving."""
    reject: dict[str, int] = field(default_factory=dict)
    """Graph IRI -> the status its PUT is answered with."""
    drop: frozenset[str] = frozenset()
    """Graphs accepted with 204 but not stored."""
    cut: int | None = None
    """Send at most this many lines of a graph on GET, silently (as Virtuoso's ResultSetMaxRows)."""
    graphs: dict[str, bytes] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    """Graph IRI -> the media type it was sent in."""
    requests: list[tuple[str, str]] = field(default_factory=list)
    """(method, graph) of every request received, in order."""
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(
        self, method: str, graph: str, authorization: str, body: bytes, media_type: str = ""
    ) -> int:
        """Record a request and return the status to answer it with."""
        with self.lock:
            self.requests.append((method, graph))
            if self.transient > 0:
                self.transient -= 1
                return 503
            if self.user is not None and authorization != _basic(self.user, self.password):
                return 401
            if method == "PUT":
                return self._put(graph, body, media_type)
            return 200 if graph in self.graphs else 404

    def _put(self, graph: str, body: bytes, media_type: str) -> int:
        """Store (or reject, or drop) a graph."""
        if graph in self.reject:
            return self.reject[graph]
        if graph not in self.drop:
            self.graphs[graph], self.types[graph] = body, media_type
        return 204


def _basic(user: str, password: str | None) -> str:
    """Return the ``Authorization`` header value of basic auth."""
    token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
    return f"Basic {token}"


def _handler(store: FakeStore) -> type[BaseHTTPRequestHandler]:
    """Return a request handler class serving ``store``."""

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            media_type = self.headers.get("Content-Type", "")
            self._reply(store.answer("PUT", self._graph(), self._auth(), body, media_type))

        def do_GET(self) -> None:
            graph = self._graph()
            status = store.answer("GET", graph, self._auth(), b"")
            if status == 200:
                lines = store.graphs[graph].splitlines(keepends=True)[: store.cut]
                self._reply(status, b"".join(lines), store.types[graph])
            else:
                self._reply(status)

        def _graph(self) -> str:
            return parse_qs(urlsplit(self.path).query).get("graph", [""])[0]

        def _auth(self) -> str:
            return self.headers.get("Authorization", "")

        def _reply(self, status: int, body: bytes = b"", media_type: str = "text/plain") -> None:
            if status >= 400:
                body = f"fake store says {status}\nsecond line".encode()
            self.send_response(status)
            if status == 401:
                self.send_header("WWW-Authenticate", 'Basic realm="fake"')
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep the test output quiet."""

    return Handler


@contextmanager
def fake_store(store: FakeStore) -> Iterator[FakeStore]:
    """Serve ``store`` on a free loopback port until the block ends; sets ``store.url``."""
    server = ThreadingHTTPServer((LOOPBACK, 0), _handler(store))
    thread = threading.Thread(target=server.serve_forever, args=(POLL_S,), daemon=True)
    thread.start()
    store.url = f"http://{LOOPBACK}:{server.server_address[1]}/store"
    try:
        yield store
    finally:
        server.shutdown()
        server.server_close()
        thread.join(JOIN_TIMEOUT_S)
