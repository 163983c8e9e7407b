"""The HTTP/1.1 protocol the server runs: uvicorn's ``zttp`` one, each response in one write.

uvicorn's ``zttp`` protocol reads HTTP/1.1 correctly where its ``httptools`` one
does not (a POST offering ``Upgrade: h2c`` loses its body: Kludex/uvicorn#2722),
but it writes every response in two pieces: the head as soon as the application
starts the response, then the body. On a keep-alive connection each write is a
system call and a TCP segment, and the client wakes up for each. :class:`OneWrite`
is uvicorn's protocol with zttp's connection wrapped in :class:`HeadWithBody`,
which keeps a head that is asked for alone in zttp's send buffer, so that it
leaves with the body (or the end of the message) in one write, as aiohttp's
server does (aio-libs/aiohttp#10991). Nothing else changes: parsing, keep-alive,
flow control and the order of the bytes are uvicorn's and zttp's.

A response whose application starts it and then waits before its first body
bytes sends nothing until those bytes come; the server has no such response
(every body is ready when its head is sent).
"""

from __future__ import annotations

from collections import deque
from typing import Any

import zttp
from uvicorn.protocols.http.zttp_impl import ZttpProtocol

from aiaccess.server.fastpath import CachedAnswers

Headers = list[tuple[bytes, bytes]] | None


class HeadWithBody:
    """zttp's HTTP/1.1 connection, with a response head that is asked for alone held back.

    uvicorn calls ``data_to_send()`` right after ``send_response()`` to write the
    head; that call gets no bytes, and the head stays in zttp's buffer until the
    next call, made once the body or the end of the message is framed, returns
    everything at once. Any other call in between (a 400 that uvicorn frames whole,
    a 100 Continue) ends the holding, so bytes are never reordered or lost.
    """

    def __init__(self, conn: zttp.H1Connection) -> None:
        self.conn = conn
        self.held = False
        self.pending: deque[zttp.Event] = deque()
        """Events read ahead and handed back, to be given again before the parser's next."""
        self.receive_event = conn.receive_event
        self.start_next_cycle = conn.start_next_cycle
        self.upgrade = conn.upgrade
        self.should_close = conn.should_close

    def next_event(self) -> zttp.Event:
        """Return the next event: one handed back first, else the parser's."""
        return self.pending.popleft() if self.pending else self.conn.next_event()

    def send_response(self, status: int, headers: Headers = None) -> None:
        """Frame a response head; it waits for the body."""
        self.conn.send_response(status, headers)
        self.held = True

    def send_informational(self, status: int, headers: Headers = None) -> None:
        """Frame an interim 1xx response; it leaves with the next write."""
        self.held = False
        self.conn.send_informational(status, headers)

    def send_data(self, data: bytes) -> None:
        """Frame body bytes after the head."""
        self.held = False
        self.conn.send_data(data)

    def end_message(self) -> None:
        """Frame the end of the message."""
        self.held = False
        self.conn.end_message()

    def data_to_send(self) -> bytes:
        """Return the framed bytes to write, or none while a head waits for its body."""
        if self.held:
            self.held = False
            return b""
        return self.conn.data_to_send()


class OneWrite(ZttpProtocol):
    """uvicorn's zttp HTTP/1.1 protocol, writing each response's head with its body, and
    sending cached answers as soon as their request is parsed.

    A request that the application's lean path (:class:`.fastpath.CachedAnswers`)
    can answer from its cache, read whole from the bytes received, is answered here:
    the same status, headers (uvicorn's ``Date`` among them) and body the lean path
    would send through uvicorn, framed by the same zttp connection, without the ASGI
    request (scope, task, messages) that costs a third of such an answer's CPU.
    Everything else, and every request while the access log is on, goes to uvicorn
    as it came: events read ahead are handed back to its parser loop.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conn = HeadWithBody(self.conn)  # type: ignore[assignment]
        lean = _lean_path(self.app)
        plain = not self.access_log and self.limit_concurrency is None
        self.lean = lean if plain else None

    def handle_events(self, event: zttp.Event) -> None:
        """Answer the cached requests at the head of ``event`` and the events after it,
        then let uvicorn handle the rest."""
        if self.lean is not None:
            event = self._answer_cached(event, self.lean)
        super().handle_events(event)

    def _answer_cached(self, event: zttp.Event, lean: CachedAnswers) -> zttp.Event:
        """Send cached answers while the next event is such a request; return the first
        event left for uvicorn (the parser has nothing more if it is ``NEED_DATA``)."""
        conn: HeadWithBody = self.conn  # type: ignore[assignment]
        answered = False
        while isinstance(event, zttp.Request) and not self._busy():
            found = self._cached_answer(event, conn, lean)
            if found is None:
                break
            status, headers, body = found
            conn.send_response(status, self.server_state.default_headers + headers)
            conn.send_data(body)
            conn.end_message()
            self.transport.write(conn.data_to_send())
            self.server_state.total_requests += 1
            if conn.should_close():
                self.transport.close()
                return zttp.NEED_DATA
            conn.start_next_cycle()
            answered = True
            event = conn.next_event()
        if answered and event is zttp.NEED_DATA:
            self._unset_keepalive_if_required()
            self.timeout_keep_alive_task = self.loop.call_later(
                self.timeout_keep_alive, self.timeout_keep_alive_handler
            )
        return event

    def _busy(self) -> bool:
        """Tell whether a request must wait: one is in progress, the client does not read
        what is written, or the connection is closing."""
        in_progress = self.cycle is not None and not self.cycle.response_complete
        return in_progress or self.flow.write_paused or self.transport.is_closing()

    def _cached_answer(
        self, event: zttp.Request, conn: HeadWithBody, lean: CachedAnswers
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        """Return the status, headers and body of the cached answer to the request
        ``event`` begins, reading its body from the parser; None (with the body's events
        handed back) if the request is not one, or not whole yet."""
        if event.expect_continue or event.http_version != b"1.1" or b"%" in event.path:
            return None
        assert isinstance(event.headers, zttp.HeaderBlock)
        method, path = event.method.decode("ascii"), event.path.decode("ascii")
        headers = lean.readable(method, path, event.headers.to_list(lowercase_names=True))
        if headers is None:
            return None
        body, read = _body(event, conn)
        if body is None:
            conn.pending.extend(read)
            return None
        answer = lean.answer(method, path, event.query, headers, body)
        if answer is None:
            conn.pending.extend(read)
            return None
        return answer.status, lean.head(answer), answer.body


def _body(event: zttp.Request, conn: HeadWithBody) -> tuple[bytes | None, list[zttp.Event]]:
    """Return the body of the request ``event`` begins, read from ``conn``'s parser, and
    the events read; None for the body if it has not all arrived."""
    if event.end_stream:
        return b"", []
    read: list[zttp.Event] = []
    parts: list[bytes] = []
    following = conn.next_event()
    while isinstance(following, zttp.Data):
        read.append(following)
        parts.append(following.data)
        following = conn.next_event()
    read.append(following)
    return (b"".join(parts) if isinstance(following, zttp.EndOfMessage) else None), read


def _lean_path(app: Any) -> CachedAnswers | None:
    """Return the lean path of the application uvicorn serves (under uvicorn's own
    middleware), or None if it has none."""
    while app is not None:
        lean = getattr(app, "lean_path", None)
        if isinstance(lean, CachedAnswers):
            return lean
        app = getattr(app, "app", None)
    return None
