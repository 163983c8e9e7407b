"""The server's HTTP/1.1 protocol writes each response in one piece, bytes in order.

uvicorn's protocol runs here on a transport that records each write, with small
ASGI applications sending what the server's responses send.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.types import Message, Receive, Scope, Send
from uvicorn.config import Config
from uvicorn.server import ServerState

from aiaccess.server.http11 import OneWrite

POST = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"


class Transport(asyncio.Transport):
    """A transport that records what is written to it."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Record one write (an empty one writes nothing)."""
        if data:
            self.writes.append(bytes(data))

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        """Answer as a loopback TCP connection would."""
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name)

    def is_closing(self) -> bool:
        """Tell whether :meth:`close` was called."""
        return self.closed

    def close(self) -> None:
        """Close (record it)."""
        self.closed = True

    def pause_reading(self) -> None:
        """Nothing to pause."""

    def resume_reading(self) -> None:
        """Nothing to resume."""


def answer(*messages: Message) -> Any:
    """Return an ASGI application that reads the request, then sends ``messages``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        while (await receive()).get("more_body"):
            pass
        for message in messages:
            await send(message)

    return app


def start(status: int = 200, **headers: str) -> Message:
    """Return a response start with these headers (names with ``_`` for ``-``)."""
    pairs = [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    return {"type": "http.response.start", "status": status, "headers": pairs}


def body(data: bytes, more: bool = False) -> Message:
    """Return a response body message."""
    return {"type": "http.response.body", "body": data, "more_body": more}


def writes(app: Any, *segments: bytes) -> list[bytes]:
    """Return the writes the server makes for a connection that sends ``segments``."""

    async def run() -> list[bytes]:
        config = Config(app, log_level="warning", ws="none", lifespan="off")
        config.load()
        protocol = OneWrite(config=config, server_state=ServerState(), app_state={})
        transport = Transport()
        protocol.connection_made(transport)
        for segment in segments:
            protocol.data_received(segment)
            for _ in range(5):
                await asyncio.sleep(0)
        protocol.connection_lost(None)
        return transport.writes

    with ThreadPoolExecutor(1) as thread:  # a loop of its own, whatever runs in this thread
        return thread.submit(asyncio.run, run()).result()


def test_a_response_is_one_write() -> None:
    app = answer(start(content_type="text/csv", content_length="6"), body(b"x\r\n1\r\n"))
    sent = writes(app, POST + b"Content-Length: 6\r\n\r\nASK {}")
    assert len(sent) == 1
    assert sent[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert sent[0].endswith(b"content-length: 6\r\n\r\nx\r\n1\r\n")


def test_keep_alive_responses_are_one_write_each() -> None:
    app = answer(start(content_length="2"), body(b"ok"))
    request = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    sent = writes(app, request, request, request)
    assert len(sent) == 3
    assert all(s.startswith(b"HTTP/1.1 200 OK\r\n") and s.endswith(b"\r\n\r\nok") for s in sent)


def test_a_head_response_is_its_head() -> None:
    app = answer(start(content_length="2"), body(b"ok"))
    sent = writes(app, b"HEAD /sparql HTTP/1.1\r\nHost: x\r\n\r\n")
    assert len(sent) == 1
    assert sent[0].startswith(b"HTTP/1.1 200 OK\r\n") and sent[0].endswith(b"\r\n\r\n")


def test_an_empty_body_leaves_with_its_head() -> None:
    sent = writes(answer(start(304), body(b"")), b"GET /dataset.ttl HTTP/1.1\r\nHost: x\r\n\r\n")
    assert len(sent) == 1
    assert sent[0].startswith(b"HTTP/1.1 304 Not Modified\r\n")


def test_a_streamed_body_keeps_its_order() -> None:
    app = answer(start(), body(b"first", more=True), body(b"second", more=True), body(b""))
    sent = writes(app, b"GET /dataset.nq HTTP/1.1\r\nHost: x\r\n\r\n")
    assert len(sent) == 3
    assert sent[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert sent[0].endswith(b"transfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n")
    assert sent[1:] == [b"6\r\nsecond\r\n", b"0\r\n\r\n"]


def test_a_malformed_request_gets_a_whole_400() -> None:
    sent = writes(answer(), b"NOT HTTP AT ALL\r\n\r\n")
    assert len(sent) == 1
    assert sent[0].startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert sent[0].endswith(b"\r\n\r\nInvalid HTTP request received.")


def test_100_continue_goes_before_the_body_is_sent() -> None:
    app = answer(start(content_length="2"), body(b"ok"))
    head = POST + b"Content-Length: 6\r\nExpect: 100-continue\r\n\r\n"
    sent = writes(app, head, b"ASK {}")
    assert sent[0] == b"HTTP/1.1 100 Continue\r\n\r\n"
    assert len(sent) == 2
    assert sent[1].startswith(b"HTTP/1.1 200 OK\r\n") and sent[1].endswith(b"\r\n\r\nok")
