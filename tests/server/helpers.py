"""Helpers shared by the server tests: an in-process caller, a recording listener, and
``aiaccess serve`` started as a user starts it."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from starlette.applications import Starlette

T = TypeVar("T")

SERVE = [sys.executable, "-c", "from aiaccess.cli import main; main()", "serve"]
"""``aiaccess serve`` with the interpreter running the tests (no reliance on PATH)."""
READY_POLL_S = 0.02
"""How often to ask a starting server whether it answers yet."""

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


@contextmanager
def serving(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Run a ``serve`` command on a free port; yield the process and its URL once it answers.

    ``command`` must print ``Serving aiaccess at URL`` first (``--port 0`` is added). A
    process still running when the block ends is terminated, then killed if it lingers.
    """
    process = subprocess.Popen(
        [*command, "--port", "0"],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**(os.environ if env is None else env), "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Serving aiaccess at http://127.0.0.1:"), line
        url = line.split()[3]
        wait_until_answering(url)
        yield process, url
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def wait_until_answering(url: str) -> None:
    """Wait until the server at ``url`` answers a query (its workers have started).

    One client asks every time: each new one loads the CA bundle for TLS, about
    40 ms of CPU, twice the time between two tries.
    """
    deadline = time.monotonic() + 60
    with httpx.Client(timeout=30) as client:
        while True:
            try:
                if client.get(url + "sparql", params={"query": "ASK {}"}).status_code == 200:
                    return
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(READY_POLL_S)
