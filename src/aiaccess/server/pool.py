"""A pool of query worker processes that can be killed and replaced.

Oxigraph has no way to interrupt a query, and a thread cannot be killed, so
each query runs in a worker process (:mod:`aiaccess.server.worker`). The pool
hands a job to an idle worker and awaits its answer on an asyncio stream, so
the event loop never blocks. A worker that overruns the time limit is killed
with ``SIGKILL``, which frees its CPU at once, and a fresh one is started in
the background; the client gets a complete ``503``. The other workers keep
serving meanwhile. Admission is bounded: past the limit of queries in
progress, a request is answered ``503`` at once instead of queueing without end.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import aiaccess
from aiaccess.server import messages, worker
from aiaccess.server.errors import unavailable

log = logging.getLogger("aiaccess.server")

CRASHED = worker.Answer(
    400,
    "text/plain; charset=utf-8",
    b"the query engine crashed on this query; it was not answered\n",
)
"""The answer to a query that killed two workers in a row (cached, so not run again)."""

STARTUP_SECONDS = 120.0
"""How long a new worker may take to load its store."""


@dataclass
class _Started:
    """A worker process that has loaded its store, and the server's end of its socket."""

    process: subprocess.Popen[bytes]
    sock: socket.socket
    sandboxed: bool


@dataclass
class _Worker:
    """A worker in service: its process and the streams to talk to it."""

    process: subprocess.Popen[bytes]
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    sandboxed: bool


class WorkerPool:
    """``size`` worker processes answering :class:`~aiaccess.server.worker.Job` s."""

    def __init__(
        self, size: int, source: worker.StoreSource, options: worker.Options, max_queries: int
    ) -> None:
        self.size = size
        self.max_queries = max_queries
        self._source = source
        self._options = options
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._in_progress = 0
        self._replacing: set[asyncio.Task[None]] = set()

    @property
    def pids(self) -> list[int]:
        """Return the process ids of the live workers (for tests and logs)."""
        return [w.process.pid for w in self._workers]

    @property
    def in_progress(self) -> int:
        """Return how many queries are running or waiting for a worker."""
        return self._in_progress

    @property
    def sandboxed(self) -> bool:
        """Tell whether every worker runs without network access."""
        return all(w.sandboxed for w in self._workers)

    async def start(self) -> None:
        """Start the workers in parallel and wait until each has loaded the store."""
        self._idle = asyncio.Queue()
        started = await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self.size)))
        for item in started:
            await self._add(item)

    async def stop(self) -> None:
        """Stop every worker: close its socket, then kill what does not exit promptly."""
        for task in list(self._replacing):
            task.cancel()
        workers, self._workers = self._workers, []
        for item in workers:
            item.writer.close()
        await asyncio.gather(*(asyncio.to_thread(_reap, w.process, 2.0) for w in workers))

    async def run(self, job: worker.Job, timeout: float) -> worker.Answer:
        """Return a worker's answer to ``job``, within ``timeout`` seconds in all.

        :raises HttpError: 503 if too many queries are in progress, if no worker
            becomes free in time, or if the query runs past the limit.
        """
        if self._in_progress >= self.max_queries:
            raise unavailable(
                f"too many queries in progress (limit {self.max_queries}); try again shortly", 1
            )
        self._in_progress += 1
        try:
            deadline = asyncio.get_running_loop().time() + timeout
            answer = await self._attempt(job, deadline, timeout)
            if answer is None:  # the worker died: maybe not of this query, so try once more
                answer = await self._attempt(job, deadline, timeout) or CRASHED
            return answer
        finally:
            self._in_progress -= 1

    async def _attempt(
        self, job: worker.Job, deadline: float, timeout: float
    ) -> worker.Answer | None:
        """Wait for an idle worker, then for its answer, until ``deadline``.

        :returns: the answer, or None if the worker died.
        """
        loop = asyncio.get_running_loop()
        try:
            chosen = await asyncio.wait_for(self._idle.get(), max(0.0, deadline - loop.time()))
        except TimeoutError:
            raise unavailable(f"every query worker stayed busy for {timeout:g} s", 1) from None
        try:
            chosen.writer.write(messages.encode(job))
            answer = await asyncio.wait_for(_answer(chosen), max(0.0, deadline - loop.time()))
        except TimeoutError:
            self._replace(chosen)
            raise unavailable(
                f"the query ran longer than the limit of {timeout:g} s and was stopped"
            ) from None
        except (asyncio.IncompleteReadError, ConnectionError):
            log.error("a query worker died running: %.200r", job.query)
            self._replace(chosen)
            return None
        except BaseException:
            self._replace(chosen)
            raise
        self._idle.put_nowait(chosen)
        return answer

    def _spawn(self) -> _Started:
        """Start one worker process and wait for it to report ready (blocking).

        The worker is a fresh interpreter (``python -m aiaccess.server.worker``)
        given one end of a socket pair: it imports nothing of the caller's program.
        """
        ours, theirs = socket.socketpair()
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-m", "aiaccess.server.worker", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                env=_environment(),
            )
        try:
            ours.settimeout(STARTUP_SECONDS)
            messages.send(ours, (self._source, self._options))
            _, _, sandboxed = messages.receive(ours)
        except (OSError, EOFError) as error:
            ours.close()
            _reap(process, 0.0)
            raise RuntimeError(f"a query worker failed to start (exit {process.poll()})") from error
        ours.settimeout(None)
        return _Started(process, ours, sandboxed)

    async def _add(self, started: _Started) -> None:
        """Put a started worker into service."""
        reader, writer = await asyncio.open_connection(sock=started.sock, limit=1 << 20)
        item = _Worker(started.process, reader, writer, started.sandboxed)
        self._workers.append(item)
        self._idle.put_nowait(item)

    def _replace(self, old: _Worker) -> None:
        """Kill ``old`` now and start its replacement in the background."""
        if old in self._workers:
            self._workers.remove(old)
        old.process.kill()
        old.writer.close()
        task = asyncio.get_running_loop().create_task(self._respawn(old))
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    async def _respawn(self, old: _Worker) -> None:
        """Reap ``old`` and add a fresh worker to the pool."""
        await asyncio.to_thread(_reap, old.process, 5.0)
        try:
            await self._add(await asyncio.to_thread(self._spawn))
        except (OSError, RuntimeError) as error:
            log.error("could not replace a query worker: %s", error)


async def _answer(item: _Worker) -> worker.Answer:
    """Wait until the job is written, then read the worker's answer."""
    await item.writer.drain()
    answer: worker.Answer = await messages.read(item.reader)
    return answer


def _reap(process: subprocess.Popen[bytes], grace: float) -> None:
    """Give ``process`` ``grace`` seconds to exit, then kill it (blocking)."""
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _environment() -> dict[str, str]:
    """Return the worker's environment: ours, with this package's folder on its path."""
    env = dict(os.environ)
    folder = str(Path(aiaccess.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [folder, env.get("PYTHONPATH")]))
    return env
