"""How one server instance is configured: where it is published and what it allows."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from aiaccess.server.limits import Limits

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def cores() -> int:
    """Return the number of cores this process may run on (its CPU affinity on Linux)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this platform
        return os.cpu_count() or 1


def default_workers() -> int:
    """Return the default number of query worker processes: one per core, at least two."""
    return max(2, cores())


def default_front_ends(workers: int) -> int:
    """Return the default number of front-end processes ``aiaccess serve`` runs beside
    ``workers`` query workers: one per core, as the reference servers use every core
    (one front end is one Python process, bound to one core), but no more than the
    workers, so that each front end has a worker of its own.

    >>> default_front_ends(1)
    1
    """
    return min(cores(), workers)


@dataclass(frozen=True)
class Settings:
    """Everything a server instance needs besides its data."""

    base_url: str = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}/"
    """Public URL of the server, ending in ``/``; ``https://w3id.org/aiaccess/X`` is served at
    ``base_url + X`` and the VoID and service descriptions point here."""
    workers: int = field(default_factory=default_workers)
    """Query worker processes; each holds its own copy of the store."""
    allow_service: tuple[str, ...] = ()
    """Remote endpoints a ``SERVICE`` clause may name; empty refuses every ``SERVICE``."""
    cors_origins: tuple[str, ...] = ("*",)
    """Origins allowed by CORS; empty turns CORS off."""
    store: Path | None = None
    """On-disk Oxigraph store to serve, created from the packaged data when missing."""
    limits: Limits = field(default_factory=Limits)
    front_ends: int = 1
    """Front-end processes serving the one socket (:mod:`aiaccess.server.runner`); each has
    its own answer cache and :meth:`share` of the rest. An application made in process is
    one front end; ``aiaccess serve`` runs :func:`default_front_ends` unless told."""
    sandbox: bool = True
    """Cut query workers off the network when no SERVICE is allowed; False only to test the
    screening alone, as on platforms without seccomp."""

    def __post_init__(self) -> None:
        """Normalize the base URL to end with a slash.

        :raises ValueError: if the base URL is not http(s) or there are no workers.
        """
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError(f"base URL must start with http:// or https://: {self.base_url!r}")
        if not self.base_url.endswith("/"):
            object.__setattr__(self, "base_url", self.base_url + "/")
        if self.workers < 1:
            raise ValueError("there must be at least one worker")
        if self.front_ends < 1:
            raise ValueError("there must be at least one front end")

    def share(self) -> Settings:
        """Return what one of the front ends gets: ``1/front_ends`` of the query workers,
        the queue, each client's budget and the cache's bytes (workers and queue places
        rounded up, so none gets nothing).

        A client's budget is split as the workers are: its connections are spread over
        the front ends by the kernel, so over all of them it has the whole budget, and
        within one front end the same share of that front end's workers.

        >>> one = Settings(workers=4, front_ends=2).share()
        >>> one.workers, one.limits.queue_length, one.limits.client_seconds
        (2, 32, 30.0)
        >>> Settings(workers=2, front_ends=4).share().workers
        1
        """
        n, limits = self.front_ends, self.limits
        return replace(
            self,
            workers=-(-self.workers // n),
            limits=replace(
                limits,
                queue_length=-(-limits.queue_length // n),
                client_seconds=limits.client_seconds / n,
                cache_bytes=limits.cache_bytes // n,
            ),
        )

    @property
    def endpoint(self) -> str:
        """Return the public URL of the SPARQL endpoint."""
        return self.base_url + "sparql"
