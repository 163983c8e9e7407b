"""A pool of query worker processes that always returns to full size.

Oxigraph has no way to interrupt a query, and a thread cannot be killed, so
each query runs in a worker process (:mod:`aiaccess.server.worker`). The pool
hands a job to an idle worker and awaits its answer on an asyncio stream, so
the event loop never blocks.

- **Queue.** A query waits for a free worker in first-come order, for at most
  ``queue_seconds``; that wait is not taken from its run time. Past
  ``queue_length`` waiting queries, the next is answered ``503`` with
  ``Retry-After`` at once instead of queueing without end.
- **Run time.** A worker that overruns the time limit is killed with
  ``SIGKILL``, which frees its CPU at once; the client gets a complete ``503``.
- **Healing.** A worker that dies, busy or idle (the pool watches each
  process), is replaced in the background. A replacement that fails to start
  is tried again after a delay that doubles up to :data:`MAX_BACKOFF`, with a
  log line each time, until the pool is full again.
- **Deaths.** A query whose worker was killed from outside (``SIGKILL``: the
  out-of-memory killer, an operator) is tried once more on another worker. A
  worker that ran out of its memory limit, or crashed twice on the same query,
  gives an answer that is never cached.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import aiaccess
from aiaccess.server import messages, worker
from aiaccess.server.errors import HttpError, unavailable

log = logging.getLogger("aiaccess.server")

STARTUP_SECONDS = 120.0
"""How long a new worker may take to load its store."""
FIRST_BACKOFF = 0.1
"""Seconds before the first retry of a replacement that failed to start."""
MAX_BACKOFF = 5.0
"""The longest wait between two tries to start a replacement."""
RETRY_AFTER = 1
"""Seconds a client refused for a full queue is told to wait."""

WORKER_COMMAND = [sys.executable, "-m", "aiaccess.server.worker"]
"""How a worker process is started; the server's end of a socket pair's descriptor follows."""

Cached = Callable[[], worker.Answer | None]


class Overrun(HttpError):
    """503: the query ran past its time limit, and its worker was killed."""

    def __init__(self, timeout: float) -> None:
        super().__init__(
            503, f"the query ran longer than the limit of {timeout:g} s and was stopped"
        )
        self.timeout = timeout


@dataclass(eq=False)
class _Worker:
    """A worker in service: its process, the streams to talk to it, and its exit watch."""

    process: subprocess.Popen[bytes]
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    sandboxed: bool
    busy: bool = False
    watch: int | None = None
    """A pidfd that becomes readable when the process exits (Linux), or None."""


@dataclass
class _Started:
    """A worker process that has loaded its store, and the server's end of its socket."""

    process: subprocess.Popen[bytes]
    sock: socket.socket
    sandboxed: bool


@dataclass
class Health:
    """What the pool is doing, for ``/health``."""

    configured: int
    alive: int
    starting: int
    running: int
    waiting: int
    sandboxed: bool
    restarts: int
    """Workers replaced since the start."""
    failed_starts: int
    """Replacements that failed to start (each was tried again)."""


class WorkerPool:
    """``size`` worker processes answering :class:`~aiaccess.server.worker.Job` s."""

    def __init__(
        self,
        size: int,
        source: worker.StoreSource,
        options: worker.Options,
        queue_length: int,
        queue_seconds: float = 30.0,
    ) -> None:
        self.size = size
        self.queue_length = queue_length
        self.queue_seconds = queue_seconds
        self.command = list(WORKER_COMMAND)
        """The worker's command line (tests may wrap it)."""
        self._source = source
        self._options = options
        self._workers: list[_Worker] = []
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[asyncio.Future[_Worker]] = deque()
        self._starting: dict[int, subprocess.Popen[bytes]] = {}
        self._killed: set[subprocess.Popen[bytes]] = set()
        """Workers killed and not reaped yet (stopping reaps them, so none is left a zombie)."""
        self._launched: list[tuple[subprocess.Popen[bytes], socket.socket]] = []
        self._replacing: set[asyncio.Task[None]] = set()
        self._stopping = False
        self.restarts = 0
        self.failed_starts = 0
        self.jobs = 0
        """Jobs sent to workers since the start."""

    @property
    def pids(self) -> list[int]:
        """Return the process ids of the live workers (for tests and logs)."""
        return [w.process.pid for w in self._workers]

    @property
    def running_pids(self) -> list[int]:
        """Return the process ids of the workers running a query."""
        return [w.process.pid for w in self._workers if w.busy]

    @property
    def starting(self) -> list[int]:
        """Return the process ids of workers still loading their store."""
        return list(self._starting)

    @property
    def waiting(self) -> int:
        """Return how many queries wait for a worker."""
        return len(self._waiters)

    @property
    def running(self) -> int:
        """Return how many queries a worker is running."""
        return sum(w.busy for w in self._workers)

    @property
    def in_progress(self) -> int:
        """Return how many queries are running or waiting for a worker."""
        return self.running + self.waiting

    @property
    def sandboxed(self) -> bool:
        """Tell whether every worker runs without network access."""
        return bool(self._workers) and all(w.sandboxed for w in self._workers)

    def health(self) -> Health:
        """Return the pool's state."""
        return Health(
            configured=self.size,
            alive=len(self._workers),
            starting=len(self._starting),
            running=self.running,
            waiting=self.waiting,
            sandboxed=self.sandboxed,
            restarts=self.restarts,
            failed_starts=self.failed_starts,
        )

    def launch(self) -> None:
        """Start the worker processes now, without waiting for them to load the store.

        :meth:`start` waits for them: launched first, the workers load while the
        server prepares everything else, which halves the time to its first answer.

        :raises RuntimeError: if a worker process cannot be started.
        """
        while len(self._launched) < self.size:
            self._launched.append(self._begin())

    async def start(self) -> None:
        """Start the workers (those not launched yet) and wait until each has loaded the store.

        :raises RuntimeError: if a worker cannot start (the store cannot be opened).
        """
        self.launch()
        launched, self._launched = self._launched, []
        started = await asyncio.gather(*(asyncio.to_thread(self._ready, *w) for w in launched))
        for item in started:
            await self._add(item)

    async def stop(self) -> None:
        """Stop every worker: close its socket, then kill what does not exit promptly."""
        self._stopping = True
        for task in list(self._replacing):
            task.cancel()
        killed = [*self._starting.values(), *self._killed]
        for process in killed:
            process.kill()
        for _, sock in self._launched:
            sock.close()
        workers, self._workers = self._workers, []
        self._idle.clear()
        for item in workers:
            self._unwatch(item)
            item.writer.close()
        processes = [*killed, *(w.process for w in workers)]
        await asyncio.gather(*(asyncio.to_thread(_reap, p, 2.0) for p in processes))

    async def run(
        self, job: worker.Job, timeout: float, cached: Cached | None = None
    ) -> worker.Answer:
        """Return a worker's answer to ``job``, run for at most ``timeout`` seconds.

        :param cached: looked up once a worker is free: an answer another request
            stored meanwhile is returned without running the query again.
        :raises HttpError: 503 if the queue is full, if no worker becomes free
            within the queue's time limit, or if the query runs past ``timeout``.
        """
        for attempt in range(2):
            chosen = await self._acquire()
            hit = cached() if cached else None
            if hit is not None:
                self._release(chosen)
                return hit
            answer, status = await self._ask(chosen, job, timeout)
            if answer is not None:
                return answer
            if status != -signal.SIGKILL or attempt:
                return worker.died(_exit(status), status == -signal.SIGABRT, self._options)
            log.warning("a query worker was killed running a query; trying it once more")
        raise AssertionError("unreachable")

    async def _acquire(self) -> _Worker:
        """Return an idle worker, waiting in line for one if need be.

        :raises HttpError: 503 if the line is full or the wait is too long.
        """
        if self._idle and not self.waiting:
            chosen = self._idle.popleft()
            chosen.busy = True
            return chosen
        if self.waiting >= self.queue_length:
            raise unavailable(
                f"too many queries are waiting (limit {self.queue_length}); try again shortly",
                RETRY_AFTER,
            )
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), self.queue_seconds)
        except TimeoutError:
            self._give_back(waiter)
            raise unavailable(
                f"no query worker became free within {self.queue_seconds:g} s; try again later",
                RETRY_AFTER,
            ) from None
        except BaseException:
            self._give_back(waiter)
            raise

    def _give_back(self, waiter: asyncio.Future[_Worker]) -> None:
        """Leave the line; a worker handed over meanwhile goes back to the pool."""
        if waiter in self._waiters:
            self._waiters.remove(waiter)
        if waiter.done() and not waiter.cancelled():
            self._release(waiter.result())
        else:
            waiter.cancel()

    def _release(self, item: _Worker) -> None:
        """Give ``item`` to the first query in line, or make it idle."""
        if item not in self._workers:
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                item.busy = True
                waiter.set_result(item)
                return
        item.busy = False
        self._idle.append(item)

    async def _ask(
        self, chosen: _Worker, job: worker.Job, timeout: float
    ) -> tuple[worker.Answer | None, int | None]:
        """Run ``job`` on ``chosen``.

        :returns: the answer, or None and the exit status if the worker died.
        """
        self.jobs += 1
        try:
            chosen.writer.write(messages.encode(job))
            answer = await asyncio.wait_for(_answer(chosen), timeout)
        except TimeoutError:
            self._replace(chosen)
            raise Overrun(timeout) from None
        except (asyncio.IncompleteReadError, ConnectionError):
            status = await asyncio.to_thread(_reap, chosen.process, 5.0)
            log.error("a query worker died (%s) running: %.200r", _exit(status), job.query)
            self._replace(chosen)
            return None, status
        except BaseException:
            self._replace(chosen)
            raise
        self._release(chosen)
        return answer, None

    def _spawn(self) -> _Started:
        """Start one worker process and wait for it to report ready (blocking).

        :raises RuntimeError: if it exits or closes its socket before it is ready.
        """
        return self._ready(*self._begin())

    def _begin(self) -> tuple[subprocess.Popen[bytes], socket.socket]:
        """Start one worker process and send it its store's source and options.

        The worker is a fresh interpreter (``python -m aiaccess.server.worker``)
        given one end of a socket pair: it imports nothing of the caller's program.

        :raises RuntimeError: if the process cannot be started.
        """
        ours, theirs = socket.socketpair()
        with theirs:
            try:
                process = subprocess.Popen(
                    [*self.command, str(theirs.fileno())],
                    pass_fds=[theirs.fileno()],
                    stdin=subprocess.DEVNULL,
                    env=_environment(),
                )
            except OSError as error:
                ours.close()
                raise RuntimeError(f"a query worker could not be started: {error}") from error
        self._starting[process.pid] = process
        ours.settimeout(STARTUP_SECONDS)
        with contextlib.suppress(OSError):  # it died at once: _ready reports how
            messages.send(ours, (self._source, self._options))
        return process, ours

    def _ready(self, process: subprocess.Popen[bytes], ours: socket.socket) -> _Started:
        """Wait until a begun worker reports it has loaded its store (blocking).

        :raises RuntimeError: if it exits or closes its socket before it is ready.
        """
        try:
            _, _, sandboxed = messages.receive(ours)
        except (OSError, EOFError) as error:
            ours.close()
            status = _reap(process, 0.0)
            raise RuntimeError(f"a query worker failed to start ({_exit(status)})") from error
        finally:
            self._starting.pop(process.pid, None)
        ours.settimeout(None)
        return _Started(process, ours, sandboxed)

    async def _add(self, started: _Started) -> None:
        """Put a started worker into service and watch for its exit."""
        reader, writer = await asyncio.open_connection(sock=started.sock, limit=1 << 20)
        item = _Worker(started.process, reader, writer, started.sandboxed)
        self._workers.append(item)
        self._watch(item)
        self._release(item)

    def _watch(self, item: _Worker) -> None:
        """Call :meth:`_exited` when ``item``'s process ends (Linux pidfd; elsewhere unwatched)."""
        try:
            item.watch = os.pidfd_open(item.process.pid)
        except (AttributeError, OSError):
            return
        asyncio.get_running_loop().add_reader(item.watch, self._exited, item)

    def _unwatch(self, item: _Worker) -> None:
        """Stop watching ``item``'s process."""
        if item.watch is not None:
            asyncio.get_running_loop().remove_reader(item.watch)
            os.close(item.watch)
            item.watch = None

    def _exited(self, item: _Worker) -> None:
        """Replace a worker that died while idle (a busy one is replaced by its query)."""
        self._unwatch(item)
        if item in self._idle:
            self._idle.remove(item)
            log.error("an idle query worker died (%s)", _exit(item.process.poll()))
            self._replace(item)

    def _replace(self, old: _Worker) -> None:
        """Kill ``old`` now and start its replacement in the background."""
        if old not in self._workers:
            return
        self._workers.remove(old)
        if old in self._idle:
            self._idle.remove(old)
        self._unwatch(old)
        old.process.kill()
        old.writer.close()
        if self._stopping:
            _reap(old.process, 0.0)  # killed: it is gone in a moment
            return
        self._killed.add(old.process)
        task = asyncio.get_running_loop().create_task(self._respawn(old))
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    async def _respawn(self, old: _Worker) -> None:
        """Reap ``old``, then start a replacement until one starts, backing off between tries."""
        await asyncio.to_thread(_reap, old.process, 5.0)
        self._killed.discard(old.process)
        delay, attempt = FIRST_BACKOFF, 1
        while not self._stopping:
            try:
                started = await asyncio.to_thread(self._spawn)
            except (OSError, RuntimeError) as error:
                self.failed_starts += 1
                log.error(
                    "could not replace a query worker (try %d): %s; trying again in %.1f s",
                    attempt,
                    error,
                    delay,
                )
                await asyncio.sleep(delay)
                delay, attempt = min(delay * 2, MAX_BACKOFF), attempt + 1
                continue
            await self._add(started)
            self.restarts += 1
            log.warning("replaced a query worker: %d of %d alive", len(self._workers), self.size)
            return


async def _answer(item: _Worker) -> worker.Answer:
    """Wait until the job is written, then read the worker's answer."""
    await item.writer.drain()
    answer: worker.Answer = await messages.read(item.reader)
    return answer


def _reap(process: subprocess.Popen[bytes], grace: float) -> int:
    """Give ``process`` ``grace`` seconds to exit, then kill it; return its status (blocking)."""
    try:
        return process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def _exit(status: int | None) -> str:
    """Describe a process's exit status.

    >>> _exit(-9), _exit(1)
    ('killed by SIGKILL', 'exit status 1')
    """
    if status is None:
        return "still running"
    if status < 0:
        return f"killed by {signal.Signals(-status).name}"
    return f"exit status {status}"


def _environment() -> dict[str, str]:
    """Return the worker's environment: ours, with this package's folder on its path.

    glibc's malloc gets two arenas: each thread's own would reserve 64 MiB of
    address space, which counts against the worker's memory limit.
    """
    env = dict(os.environ)
    env.setdefault("MALLOC_ARENA_MAX", "2")
    folder = str(Path(aiaccess.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [folder, env.get("PYTHONPATH")]))
    return env
