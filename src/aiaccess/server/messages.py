"""Messages between the server and its query workers: pickles, each with its length.

A message is an 8-byte big-endian length followed by the pickled object. The
worker reads and writes with blocking calls on its end of a socket pair; the
server reads with asyncio streams, so a large result never blocks its loop.
"""

from __future__ import annotations

import pickle
import socket
import struct
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the workers, which never use asyncio, are spared importing it
    import asyncio

_HEADER = struct.Struct("!Q")


def encode(message: Any) -> bytes:
    """Return the framed bytes of ``message``.

    >>> encode("hi")[:8]
    b'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x11'
    """
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


def send(sock: socket.socket, message: Any) -> None:
    """Write one message (blocking)."""
    sock.sendall(encode(message))


def receive(sock: socket.socket) -> Any:
    """Read one message (blocking).

    :raises EOFError: if the other end closed the socket.
    """
    (size,) = _HEADER.unpack(_exactly(sock, _HEADER.size))
    return pickle.loads(_exactly(sock, size))


async def read(reader: asyncio.StreamReader) -> Any:
    """Read one message from an asyncio stream.

    :raises asyncio.IncompleteReadError: if the other end closed the stream.
    """
    (size,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
    return pickle.loads(await reader.readexactly(size))


def _exactly(sock: socket.socket, size: int) -> bytes:
    """Read exactly ``size`` bytes."""
    buffer = bytearray()
    while len(buffer) < size:
        chunk = sock.recv(min(size - len(buffer), 1 << 20))
        if not chunk:
            raise EOFError("the other end closed the connection")
        buffer += chunk
    return bytes(buffer)
