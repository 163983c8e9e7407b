"""A time budget per client, in the spirit of the Wikidata Query Service.

Each client address may use ``seconds_per_minute`` seconds of query workers'
time per minute: a bucket that holds that much, refills at that rate, and is
charged the time each uncached query took. A client whose bucket is empty is
answered ``429`` with ``Retry-After`` (when it will have a second again). Loopback
clients are never limited, nor is anyone when the budget is 0. Behind a
reverse proxy on loopback, uvicorn gives each request the address the proxy
forwarded (``X-Forwarded-For``), so each client keeps its own budget.
"""

from __future__ import annotations

import ipaddress
import math
import time
from dataclasses import dataclass

from aiaccess.server.errors import HttpError

MAX_CLIENTS = 10_000
"""Buckets kept at most; full ones are dropped first (they carry no debt)."""


@dataclass
class _Bucket:
    seconds: float
    updated: float


class Budgets:
    """Every client's remaining seconds of worker time."""

    def __init__(self, seconds_per_minute: float) -> None:
        self.capacity = seconds_per_minute
        self._clock = time.monotonic
        self._buckets: dict[str, _Bucket] = {}

    def check(self, client: str | None) -> None:
        """Refuse ``client`` if its budget is spent.

        :raises HttpError: 429 with ``Retry-After``.

        >>> budgets = Budgets(60)
        >>> budgets.charge("192.0.2.1", 61)
        >>> budgets.check("192.0.2.1")
        Traceback (most recent call last):
        ...
        aiaccess.server.errors.HttpError: this client used its 60 s of query time per minute; \
try again in 2 s
        >>> budgets.check("127.0.0.1")
        """
        bucket = self._bucket(client)
        if bucket is None or bucket.seconds > 0:
            return
        wait = math.ceil((1 - bucket.seconds) * 60 / self.capacity)
        raise HttpError(
            429,
            f"this client used its {self.capacity:g} s of query time per minute; "
            f"try again in {wait} s",
            {"Retry-After": str(wait)},
        )

    def charge(self, client: str | None, seconds: float) -> None:
        """Take ``seconds`` of worker time from ``client``'s budget."""
        bucket = self._bucket(client)
        if bucket is not None:
            bucket.seconds -= seconds

    def _bucket(self, client: str | None) -> _Bucket | None:
        """Return ``client``'s bucket, refilled up to now (None: not limited)."""
        if self.capacity <= 0 or client is None or _loopback(client):
            return None
        now = self._clock()
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= MAX_CLIENTS:
                self._forget_full(now)
            bucket = self._buckets[client] = _Bucket(self.capacity, now)
        refill = (now - bucket.updated) * self.capacity / 60
        bucket.seconds = min(self.capacity, bucket.seconds + refill)
        bucket.updated = now
        return bucket

    def _forget_full(self, now: float) -> None:
        """Drop the buckets that have refilled completely."""
        for client, bucket in list(self._buckets.items()):
            if bucket.seconds + (now - bucket.updated) * self.capacity / 60 >= self.capacity:
                del self._buckets[client]


def _loopback(client: str) -> bool:
    """Tell whether ``client`` is a loopback address."""
    try:
        return ipaddress.ip_address(client).is_loopback
    except ValueError:
        return False
