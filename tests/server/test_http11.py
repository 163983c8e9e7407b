"""The server's HTTP/1.1 protocol writes each response in one piece, bytes in order,
and sends cached answers itself exactly as the lean path would.

uvicorn's protocol runs here on a transport that records each write, with small
ASGI applications sending what the server's responses send.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send
from uvicorn.config import Config
from uvicorn.server import ServerState

from aiaccess.server.cache import AnswerCache
from aiaccess.server.fastpath import CachedAnswers
from aiaccess.server.http11 import OneWrite
from aiaccess.server.later import Later
from aiaccess.server.limits import Limits
from aiaccess.server.pool import WorkerPool
from aiaccess.server.runner import server
from aiaccess.server.sparql import Endpoint
from aiaccess.server.worker import Answer, Options, StoreSource

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


def writes(app: Any, *segments: bytes, access_log: bool = True) -> list[bytes]:
    """Return the writes the server makes for a connection that sends ``segments``."""
    return connection(app, *segments, access_log=access_log).writes


@dataclass
class Connection:
    """What a connection left behind after its last segment."""

    writes: list[bytes]
    lean: CachedAnswers | None
    """The lean path the protocol asked, if any."""
    armed: bool
    """Whether the keep-alive timer was running."""
    closed: bool
    """Whether the server closed the connection."""


def connection(app: Any, *segments: bytes, access_log: bool = True) -> Connection:
    """Return what the server does with a connection that sends ``segments``."""

    async def run() -> Connection:
        config = Config(app, log_level="warning", ws="none", lifespan="off", access_log=access_log)
        config.load()
        protocol = OneWrite(config=config, server_state=ServerState(), app_state={})
        transport = Transport()
        protocol.connection_made(transport)
        for segment in segments:
            protocol.data_received(segment)
            for _ in range(5):
                await asyncio.sleep(0)
        armed = protocol.timeout_keep_alive_task is not None
        closed = transport.closed
        protocol.connection_lost(None)
        return Connection(transport.writes, protocol.lean, armed, closed)

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


ASK = POST + b"Accept: text/csv\r\nContent-Length: 6\r\n\r\nASK {}"
ANSWER = Answer(200, "text/csv; charset=utf-8", b"x\r\n1\r\n")


class Cached:
    """An application with a lean path whose cache holds :data:`ANSWER` for ``ASK {}``
    (as ``text/csv``); it records the requests that reach the application behind it."""

    def __init__(self) -> None:
        pool = WorkerPool(1, StoreSource(), Options(), 1)
        endpoint = Endpoint(pool, AnswerCache(1 << 20), Limits(), Later(list))
        request = ("request", "POST", "/sparql", b"", b"6", b"application/sparql-query")
        endpoint.cache.put((*request, b"text/csv", b"ASK {}"), ANSWER)
        self.reached: list[bytes] = []
        self.lean_path = CachedAnswers(self.application, endpoint, cors=True)

    async def application(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Record the request's body, and answer 404 (the lean path did not answer)."""
        received = b""
        while True:
            message = await receive()
            received += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.reached.append(received)
        await send(start(404, content_length="0"))
        await send(body(b""))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve as the server's application does: the lean path first."""
        await self.lean_path(scope, receive, send)


def test_a_cached_answer_is_sent_by_the_protocol_as_the_lean_path_sends_it() -> None:
    app = Cached()
    done = connection(app, ASK, access_log=False)
    by_protocol = done.writes
    by_lean_path = writes(app, ASK, access_log=True)  # the access log takes the ASGI way
    assert done.lean is app.lean_path
    assert by_protocol == by_lean_path
    assert len(by_protocol) == 1
    assert by_protocol[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nvary: Accept, Origin\r\n" in by_protocol[0]
    assert by_protocol[0].endswith(b"content-type: text/csv; charset=utf-8\r\n\r\nx\r\n1\r\n")
    assert app.reached == []


def test_after_a_cached_answer_the_keep_alive_timer_runs() -> None:
    done = connection(Cached(), ASK, access_log=False)
    assert done.armed
    assert not done.closed


@pytest.mark.parametrize("split", [len(POST) - 5, len(ASK) - 6, len(ASK) - 3])
def test_a_cached_request_in_two_segments_gets_one_answer(split: int) -> None:
    app = Cached()
    sent = writes(app, ASK[:split], ASK[split:], access_log=False)
    assert sent == writes(Cached(), ASK, access_log=False)
    assert app.reached == []


def test_pipelined_requests_are_answered_in_order_and_a_miss_keeps_its_body() -> None:
    app = Cached()
    miss = POST + b"Accept: text/csv\r\nContent-Length: 7\r\n\r\nASK { }"
    sent = writes(app, ASK + ASK + miss + ASK, access_log=False)
    assert [s.split(b"\r\n")[0] for s in sent] == [b"HTTP/1.1 200 OK"] * 2 + [
        b"HTTP/1.1 404 Not Found",
        b"HTTP/1.1 200 OK",
    ]
    assert sent[0] == sent[1] == sent[3]
    assert app.reached == [b"ASK { }"]


def test_a_miss_in_two_segments_reaches_the_application_whole() -> None:
    app = Cached()
    miss = POST + b"Accept: text/csv\r\nContent-Length: 7\r\n\r\nASK { }"
    sent = writes(app, miss[:-3], miss[-3:], access_log=False)
    assert [s.split(b"\r\n")[0] for s in sent] == [b"HTTP/1.1 404 Not Found"]
    assert app.reached == [b"ASK { }"]


def test_a_cached_answer_to_connection_close_closes_the_connection() -> None:
    request = ASK.replace(b"Host: x\r\n", b"Host: x\r\nConnection: close\r\n")
    done = connection(Cached(), request, access_log=False)
    assert len(done.writes) == 1 and done.writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nconnection: close\r\n" in done.writes[0].lower()
    assert done.closed


def test_a_cached_request_expecting_100_continue_gets_it_first() -> None:
    head, data = ASK.split(b"\r\n\r\n")
    sent = writes(Cached(), head + b"\r\nExpect: 100-continue\r\n\r\n", data, access_log=False)
    assert sent[0] == b"HTTP/1.1 100 Continue\r\n\r\n"
    assert sent[1:] == writes(Cached(), ASK, access_log=False)


def test_the_server_sends_cached_answers_in_the_protocol_unless_it_logs_each_request() -> None:
    app = Cached()
    for access_log, lean in ((False, app.lean_path), (True, None)):
        config = server(app, access_log=access_log).config  # type: ignore[arg-type]
        config.load()
        assert OneWrite(config=config, server_state=ServerState(), app_state={}).lean is lean
