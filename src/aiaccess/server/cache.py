"""A bounded least-recently-used cache of answers.

The data never changes while the server runs, so an answer computed once is
valid until it stops: repeated queries (the canned ones above all) are served
from here without a worker. The cache is bounded by the bytes it holds; an
answer larger than an eighth of the bound is never kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from aiaccess.server.worker import Answer


class AnswerCache:
    """Answers by key, evicting the least recently used past ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, Answer] = OrderedDict()

    def __len__(self) -> int:
        """Return the number of answers held."""
        return len(self._entries)

    def get(self, key: Hashable, count_miss: bool = True) -> Answer | None:
        """Return the answer stored under ``key``, marking it recently used.

        :param count_miss: count a miss in :meth:`stats` (not for a first, cheaper look).

        >>> cache = AnswerCache(1000)
        >>> cache.put("q", Answer(200, "text/csv", b"x"))
        >>> cache.get("q").body
        b'x'
        """
        answer = self._entries.get(key)
        if answer is None:
            self.misses += count_miss
        else:
            self.hits += 1
            self._entries.move_to_end(key)
        return answer

    def answers(self) -> list[Answer]:
        """Return every answer held, least recently used first."""
        return list(self._entries.values())

    def stats(self) -> dict[str, float]:
        """Return the entries, bytes held, hits, misses and hit rate (for ``/health``).

        >>> AnswerCache(100).stats()["hit_rate"]
        0.0
        """
        looked = self.hits + self.misses
        return {
            "entries": len(self._entries),
            "bytes": self.size,
            "hits": self.hits,
            "misses": self.misses,
            "hit_rate": round(self.hits / looked, 4) if looked else 0.0,
        }

    def put(self, key: Hashable, answer: Answer) -> None:
        """Store ``answer`` under ``key`` if it is small enough, evicting old entries."""
        cost = _cost(key, answer)
        if cost > self.max_bytes // 8:
            return
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.size -= _cost(key, previous)
        self._entries[key] = answer
        self.size += cost
        while self.size > self.max_bytes:
            old_key, old = self._entries.popitem(last=False)
            self.size -= _cost(old_key, old)


def _cost(key: Hashable, answer: Answer) -> int:
    """Return roughly how many bytes an entry holds: its body and its key's text."""
    return len(answer.body) + len(str(key))
