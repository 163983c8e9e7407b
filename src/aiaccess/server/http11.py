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

from typing import Any

import zttp
from uvicorn.protocols.http.zttp_impl import ZttpProtocol

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
        self.receive_event = conn.receive_event
        self.next_event = conn.next_event
        self.start_next_cycle = conn.start_next_cycle
        self.upgrade = conn.upgrade
        self.should_close = conn.should_close

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
    """uvicorn's zttp HTTP/1.1 protocol, writing each response's head with its body."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conn = HeadWithBody(self.conn)  # type: ignore[assignment]
