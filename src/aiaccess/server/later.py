"""Values made on first use, so that the server's start need not wait for them.

The Linked Data index and the service description take a few tenths of a
second to make from the quads; nothing needs them to answer a query. The
application makes them in a thread once it serves (:mod:`aiaccess.server.app`),
and a request that needs one first makes it itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Later(Generic[T]):
    """A value made by ``make`` when first asked for: once, whichever thread asks first.

    >>> made = Later(lambda: [1, 2])
    >>> made.get() is made.get()
    True
    """

    def __init__(self, make: Callable[[], T]) -> None:
        self._make: Callable[[], T] | None = make
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        """Return the value, making it first if no one has."""
        with self._lock:
            if self._make is not None:
                self._value, self._make = self._make(), None
            return self._value  # type: ignore[return-value]
