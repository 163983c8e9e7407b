"""Identical queries in flight computed once: later requests share the first one's answer.

When many clients ask the same uncached query at once (a page everyone opens,
a benchmark), only the first request takes a worker; the others await its
answer. The computation runs in a task of its own, so a client that goes away
does not cancel it for the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Flights(Generic[T]):
    """Computations in progress, by key."""

    def __init__(self) -> None:
        self._running: dict[Hashable, asyncio.Task[T]] = {}

    def __len__(self) -> int:
        """Return how many computations are in progress."""
        return len(self._running)

    async def share(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """Return the result of ``compute()``, or of the one already running for ``key``.

        Errors are shared too: every request waiting on a computation that
        raises gets the same exception.
        """
        task = self._running.get(key)
        if task is None:
            task = asyncio.ensure_future(compute())
            self._running[key] = task
            task.add_done_callback(lambda _: self._running.pop(key, None))
        return await asyncio.shield(task)
