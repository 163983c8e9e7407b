"""Several front-end processes on one port, forked and watched by gunicorn.

One Python process answers at most about 9 000 cached requests a second on a
2-core machine (the event loop and the HTTP writes are the cost, not the cache),
so ``aiaccess serve --front-ends N`` runs N of them on the one port.
gunicorn's arbiter, a maintained pre-fork process manager, is given the address
:func:`.runner.serve` bound and keeps (:func:`.runner.reserve`), forks the front
ends once that process has imported everything and loaded the dataset (a fork
starts in milliseconds, a fresh interpreter takes half a second, and the front
ends share the dataset's memory until they write to it), replaces one that dies,
and on SIGTERM or SIGINT stops them all within :data:`.runner.SHUTDOWN_SECONDS`
and exits 0.

Each front end listens on a socket of its own (gunicorn's ``reuse_port``: each
binds the address with ``SO_REUSEPORT`` after the fork), and the kernel gives
each new connection to one of them by a hash of its addresses. On one shared
socket, the front end that woke first accepted every connection waiting: of 32
connections opened at once, the busier front end held 22 or more in 15 tries of
25 (up to 31), and its answers waited the longer for it. Each front end is
a uvicorn server (:class:`FrontEnd`, the ``uvicorn-worker`` package's gunicorn
worker, with the settings :func:`.runner.server` uses) running an application
of its own: its own answer cache and its share of the query workers, queue,
client budgets and cache bytes (:meth:`.Settings.share`).
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

import gunicorn.arbiter
from gunicorn.app.base import BaseApplication
from starlette.applications import Starlette
from uvicorn_worker import UvicornWorker

from aiaccess.server.app import create_app
from aiaccess.server.pool import STARTUP_SECONDS
from aiaccess.server.runner import BACKLOG, PROTOCOL, SHUTDOWN_SECONDS, quiet_upgrades
from aiaccess.server.settings import Settings
from aiaccess.server.snapshot import Snapshot

Address = tuple[Any, ...]
"""A socket's address as ``getsockname()`` gives it: host and port first."""


class FrontEnd(UvicornWorker):  # type: ignore[misc]  # gunicorn has no type hints
    """One of several front-end processes: a uvicorn server set up as
    :func:`.runner.server` sets up one."""

    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {"loop": "auto", **PROTOCOL}


class Arbiter(gunicorn.arbiter.Arbiter):  # type: ignore[misc]
    """gunicorn's arbiter, stopping gracefully on SIGINT (Ctrl-C) as on SIGTERM, and
    forking the front ends without a pause between them.

    (gunicorn's own SIGINT sends the front ends SIGQUIT, which the uvicorn worker
    does not act on: they would be killed after the grace period.)
    """

    def handle_int(self) -> None:
        """Stop as on SIGTERM: the front ends finish their requests and stop their workers."""
        self.handle_term()

    def spawn_workers(self) -> None:
        """Fork the missing front ends one right after the other.

        gunicorn sleeps up to 0.1 s at random after each fork, to spread the
        start-up load of applications that load after forking
        (benoitc/gunicorn#2777); here everything is loaded before the fork, and
        the sleep would only delay the second front end, and so the first answer
        of every connection the kernel gives it.
        """
        for _ in range(self.num_workers - len(self.WORKERS)):
            self.spawn_worker()


class FrontEnds(BaseApplication):  # type: ignore[misc]
    """gunicorn's arbiter over ``settings.front_ends`` front ends listening on ``address``,
    each serving ``snapshot``."""

    def __init__(
        self, settings: Settings, snapshot: Snapshot, address: Address, access_log: bool
    ) -> None:
        self.settings = settings
        self.snapshot = snapshot
        self.address = address
        self.access_log = access_log
        super().__init__()

    def load_config(self) -> None:
        """Set gunicorn's options: a socket per front end, the front ends, quiet logs."""
        host, port = self.address[:2]
        options = {
            "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
            "reuse_port": True,
            "backlog": BACKLOG,
            "workers": self.settings.front_ends,
            "worker_class": f"{__name__}.{FrontEnd.__qualname__}",
            "graceful_timeout": SHUTDOWN_SECONDS,
            "timeout": int(STARTUP_SECONDS),  # a front end whose loop stalls so long is replaced
            "keepalive": 5,  # uvicorn's own default, as with one front end
            "loglevel": "warning",
            "accesslog": "-" if self.access_log else None,
            "control_socket_disable": True,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def run(self) -> None:
        """Run the arbiter until it is stopped (it then exits by ``SystemExit``)."""
        Arbiter(self).run()

    def load(self) -> Starlette:
        """Make one front end's application (in the front end, after the fork)."""
        logging.getLogger("uvicorn.error").addFilter(quiet_upgrades)
        return create_app(self.settings.share(), self.snapshot)


def serve(settings: Settings, snapshot: Snapshot, address: Address, access_log: bool) -> None:
    """Serve ``snapshot`` on ``address`` (host, port, …) with ``settings.front_ends`` front ends
    until a stop; gunicorn's ``sys.exit(0)`` after a stop is a return.

    :raises SystemExit: with gunicorn's status if a front end could not start.
    """
    try:
        FrontEnds(settings, snapshot, address, access_log).run()
    except SystemExit as stop:
        if stop.code:
            raise
