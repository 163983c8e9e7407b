"""Running the application under uvicorn on a socket the caller chooses.

:func:`serve` is what ``aiaccess serve`` calls: it binds first (port 0 picks a
free port), reports the URL, and serves until Ctrl-C or SIGTERM, then stops
the workers and returns normally. :func:`running` serves in a background
thread for tests and benchmarks.

With ``--front-ends N`` (more than one), :mod:`aiaccess.server.frontends` runs N
front-end processes on the bound port, under gunicorn (imported only then).

HTTP/1.1 is read by uvicorn's ``zttp`` protocol, never by ``httptools``: a request
that offers ``Upgrade: h2c``, as Java's HttpClient and ``curl --http2`` do, loses
its body under ``httptools`` (Kludex/uvicorn#2722), while ``zttp`` ignores the
offer as RFC 9110 allows and answers in HTTP/1.1; :mod:`aiaccess.server.http11`
makes it write each response in one piece.
"""

from __future__ import annotations

import copy
import logging
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from types import FrameType
from typing import Any

import uvicorn
from starlette.applications import Starlette
from uvicorn.config import LOGGING_CONFIG

from aiaccess.errors import AiaccessError
from aiaccess.server.app import create_app
from aiaccess.server.http11 import OneWrite
from aiaccess.server.settings import Settings
from aiaccess.server.snapshot import load

SHUTDOWN_SECONDS = 5
"""How long requests in progress may take to finish once a stop is asked."""
BACKLOG = 2048
"""Connections the kernel may queue on a listening socket before one is accepted."""

_IGNORED_UPGRADE = ("Unsupported upgrade request.", "No supported WebSocket library detected.")


class AddressError(AiaccessError):
    """The server cannot listen on the address asked for."""


def bind(host: str, port: int) -> socket.socket:
    """Return a listening TCP socket on ``host``:``port`` (0: a free port).

    :raises AddressError: if the address cannot be bound.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except (OSError, OverflowError) as error:
        sock.close()
        reason = getattr(error, "strerror", None) or str(error)
        raise AddressError(f"cannot listen on {host}:{port}: {reason}") from None
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


def reserve(sock: socket.socket) -> socket.socket:
    """Close the listening socket ``sock`` and return one bound to its address with
    ``SO_REUSEPORT``, not listening: it keeps the port while several front ends each
    listen there on a socket of their own (:mod:`.frontends`).

    The kernel gives a new connection to one of the listening sockets by a hash of
    its addresses, never to this one. ``sock`` was bound without ``SO_REUSEPORT``,
    so a port another server listens on was refused as busy (:func:`bind`).

    :raises AddressError: if another server took the port since.
    """
    family, address = sock.family, sock.getsockname()
    sock.close()
    kept = socket.socket(family, socket.SOCK_STREAM)
    kept.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    kept.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        kept.bind(address)
    except OSError as error:  # another server took the port in between
        kept.close()
        raise AddressError(
            f"cannot listen on {address[0]}:{address[1]}: {error.strerror}"
        ) from None
    return kept


def url_of(sock: socket.socket) -> str:
    """Return the http URL a bound socket serves, ending in ``/``."""
    host, port = sock.getsockname()[:2]
    if host in ("0.0.0.0", "::"):
        host = "localhost"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


PROTOCOL: dict[str, Any] = {
    "http": OneWrite,
    "ws": "none",
    "timeout_graceful_shutdown": SHUTDOWN_SECONDS,
    "server_header": False,
}
"""uvicorn's settings, the same with one front end or several."""


def server(app: Starlette, access_log: bool = False) -> uvicorn.Server:
    """Return a uvicorn server for ``app``: warnings only, and one line per request if
    ``access_log`` (on standard output, in uvicorn's format)."""
    config = uvicorn.Config(
        app, log_level=None, log_config=log_config(access_log), access_log=access_log, **PROTOCOL
    )
    logging.getLogger("uvicorn.error").addFilter(quiet_upgrades)
    return uvicorn.Server(config)


def quiet_upgrades(record: logging.LogRecord) -> bool:
    """Drop uvicorn's warnings about an ``Upgrade`` offer: ignoring it is correct, not news."""
    return not str(record.msg).startswith(_IGNORED_UPGRADE)


def log_config(access_log: bool) -> dict[str, Any]:
    """Return uvicorn's logging configuration with our levels: its errors from WARNING,
    its access log at INFO when asked for (uvicorn's one ``log_level`` would silence it).

    >>> log_config(True)["loggers"]["uvicorn.access"]["level"]
    'INFO'
    """
    config = copy.deepcopy(LOGGING_CONFIG)
    for name in ("uvicorn", "uvicorn.error"):
        config["loggers"][name]["level"] = "WARNING"
    config["loggers"]["uvicorn.access"]["level"] = "INFO" if access_log else "WARNING"
    return config


def serve(
    settings: Settings,
    host: str,
    port: int,
    report: Callable[[str], None] = print,
    access_log: bool = False,
    base_url_given: bool = False,
) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop every worker and return.

    :param base_url_given: keep ``settings.base_url``; otherwise it becomes the bound URL.
    :raises AddressError: if the address cannot be bound.
    :raises OSError: if the on-disk store cannot be opened.
    :raises AiaccessError: if the data is invalid.
    """
    sock = bind(host, port)
    url = url_of(sock)
    _log_to_stderr()
    if not base_url_given:
        settings = replace(settings, base_url=url)
    snapshot = load(settings.base_url, settings.store)
    announce = announcement(url, settings)
    if settings.front_ends > 1:
        report(announce)
        from aiaccess.server import frontends  # gunicorn is imported only for several

        with reserve(sock) as kept:
            frontends.serve(settings, snapshot, kept.getsockname(), access_log)
    else:
        app = create_app(settings, snapshot)
        report(announce)
        with _stop_quietly():
            server(app, access_log).run(sockets=[sock])
        sock.close()
    report("Stopped.")


def announcement(url: str, settings: Settings) -> str:
    """Return the line that says where the server answers and how many processes serve it
    (each front end runs its share of the workers, rounded up).

    >>> announcement("http://127.0.0.1:8000/", Settings(workers=3, front_ends=2)).split(") ")[1]
    'with 2 front ends and 4 query workers; press Ctrl-C to stop'
    """
    workers = settings.share().workers * settings.front_ends
    processes = f"{_count(settings.front_ends, 'front end')} and {_count(workers, 'query worker')}"
    return f"Serving aiaccess at {url} (SPARQL endpoint {url}sparql) with {processes}; " + (
        "press Ctrl-C to stop"
    )


def _count(n: int, noun: str) -> str:
    """Return ``n`` and ``noun``, plural unless one."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _log_to_stderr() -> None:
    """Show the server's own log lines (start-up protections, worker restarts) on stderr."""
    logger = logging.getLogger("aiaccess.server")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


@contextmanager
def _stop_quietly() -> Iterator[None]:
    """Let uvicorn's re-raised SIGINT/SIGTERM end the run without a traceback or error status."""

    def ignore(signum: int, frame: FrameType | None) -> None:
        """Accept the signal: uvicorn has already shut down."""

    previous = {sig: signal.signal(sig, ignore) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def running(app: Starlette | Callable[[str], Starlette], host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` on a free port in a background thread; yield its URL; stop on exit.

    :param app: the application, or a function making it from the URL it will be
        served at (so its descriptions name the real port).
    :raises RuntimeError: if the server does not start within a minute.
    """
    sock = bind(host, 0)
    if not isinstance(app, Starlette):
        app = app(url_of(sock))
    instance = server(app)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not instance.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    try:
        yield url_of(sock)
    finally:
        instance.should_exit = True
        thread.join()
        sock.close()
