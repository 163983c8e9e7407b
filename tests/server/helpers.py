"""Helpers shared by the server tests: an in-process caller, and a recording listener."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from starlette.applications import Starlette

T = TypeVar("T")

JSON_RESULTS = (
    b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"remote"}}]}}'
)


@dataclass
class Listener:
    """A loopback TCP listener that records every connection it accepts."""

    url: str
    connections: list[bytes] = field(default_factory=list)


@contextmanager
def listener(answer: bytes | None = None) -> Iterator[Listener]:
    """Listen on a free loopback port; answer each request with ``answer`` if given.

    The recorded list holds what each connection sent first.
    """
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    record = Listener(f"http://127.0.0.1:{server.getsockname()[1]}/sparql")
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                record.connections.append(conn.recv(65536))
                if answer is not None:
                    head = (
                        "HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                        f"Content-Length: {len(answer)}\r\nConnection: close\r\n\r\n"
                    )
                    conn.sendall(head.encode() + answer)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield record
    finally:
        stop.set()
        thread.join()
        server.close()


class InProcess:
    """Call an ASGI application in this process, lifespan included, from synchronous tests.

    The application runs on a private event loop in a thread (its worker pool
    lives there); each request is an ``httpx`` call through ``ASGITransport``.
    """

    def __init__(
        self, app: Starlette, base_url: str, client: tuple[str, int] = ("127.0.0.1", 123)
    ) -> None:
        self.app = app
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._lifespan = app.router.lifespan_context(app)
        self._call(self._lifespan.__aenter__())
        transport = httpx.ASGITransport(app=app, client=client)
        self._client = httpx.AsyncClient(transport=transport, base_url=base_url)

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the application's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        """Send one request and return the complete response.

        Cookies it sets are not kept: the caller is shared, and every request stands alone.
        """
        try:
            return self._call(self._client.request(method, url, **options))
        finally:
            self._client.cookies.clear()

    def get(self, url: str, **options: Any) -> httpx.Response:
        """Send a GET request."""
        return self.request("GET", url, **options)

    def post(self, url: str, **options: Any) -> httpx.Response:
        """Send a POST request."""
        return self.request("POST", url, **options)

    def close(self) -> None:
        """Stop the application (its workers too) and the loop."""
        self._call(self._client.aclose())
        self._call(self._lifespan.__aexit__(None, None, None))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


@contextmanager
def in_process(
    app: Starlette,
    base_url: str = "http://testserver",
    client: tuple[str, int] = ("127.0.0.1", 123),
) -> Iterator[InProcess]:
    """Run ``app`` in process for the duration of the block, as requested from ``client``."""
    caller = InProcess(app, base_url, client)
    try:
        yield caller
    finally:
        caller.close()
