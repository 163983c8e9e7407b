"""A query worker: a process that holds its own store and answers one query at a time.

The server runs queries here rather than in its own process because Oxigraph
cannot interrupt a query: a query that runs too long is stopped by killing its
worker (see :mod:`aiaccess.server.pool`). A worker is started as
``python -m aiaccess.server.worker FD`` with one end of a socket pair; it first
receives its :class:`StoreSource` and :class:`Options`, then each job arrives
as a :class:`Job` and leaves as a complete :class:`Answer` (status, media type,
serialized bytes), so the server only forwards bytes.
"""

from __future__ import annotations

import dataclasses
import io
import os
import resource
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from aiaccess.namespaces import PREFIXES
from aiaccess.server import formats, messages, sandbox, screening
from aiaccess.server.errors import HttpError, bad_gateway, bad_request

Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

PLAIN = "text/plain; charset=utf-8"
STACK_BYTES = 512 * 1024 * 1024
"""Stack of the thread running queries (address space; only the pages used are committed)."""


@dataclass(frozen=True)
class StoreSource:
    """Where a worker gets its data: an on-disk store (opened read-only), or N-Quads
    given or in a file (loaded into memory)."""

    path: str | None = None
    nquads: bytes = b""
    nquads_file: str | None = None

    def open(self) -> ox.Store:
        """Return the store this source describes.

        The N-Quads are the server's own, written by pyoxigraph from checked data,
        so they are parsed leniently (no IRI validation): five times faster, which
        is most of a worker's start. The rows come out in the same order as from
        the library's store (:func:`aiaccess.load.store` loads leniently too).
        """
        if self.path is not None:
            return ox.Store.read_only(self.path)
        store = ox.Store()
        if self.nquads_file is not None:
            store.load(path=self.nquads_file, format=ox.RdfFormat.N_QUADS, lenient=True)
        else:
            store.load(self.nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
        return store


@dataclass(frozen=True)
class Options:
    """What every job in a worker shares."""

    allow_service: tuple[str, ...] = ()
    result_bytes: int = 32 * 1024 * 1024
    base_iri: str | None = None
    """What relative IRIs in queries resolve against: the endpoint's URL."""
    sandbox: bool = True
    """Cut the worker off the network when no SERVICE endpoint is allowed (off: tests only)."""
    memory_bytes: int = 0
    """The worker's address-space limit (``RLIMIT_AS``); 0: none."""


@dataclass(frozen=True)
class Job:
    """One query to run, with its dataset and the client's format preferences."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str | None = None
    formats: tuple[str, ...] = ()

    @property
    def has_protocol_dataset(self) -> bool:
        """Tell whether the request named its dataset with graph parameters."""
        return bool(self.default_graphs or self.named_graphs)


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer to a job."""

    status: int
    content_type: str
    body: bytes
    cacheable: bool = True
    """False when another try could succeed (the error was not the query's fault)."""
    seconds: float = 0.0
    """How long the worker spent on it."""


class ResultTooLarge(Exception):
    """A serialized result went over the configured size."""


class _CappedBuffer(io.RawIOBase):
    """A byte buffer that raises :class:`ResultTooLarge` past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        """Tell io that this buffer takes writes."""
        return True

    def write(self, data: Any) -> int:
        """Append ``data``, or raise once the total passes the limit."""
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge
        self.parts.append(bytes(data))
        return len(data)


def main(sock: socket.socket) -> None:
    """Serve jobs from a thread with a large stack, so deep queries do not overflow it.

    Oxigraph parses and evaluates recursively: on the main thread's 8 MiB stack
    a query nesting 4 000 groups crashes the process, while the query length
    limit allows 25 000.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=serve, args=(sock,), name="queries")
    thread.start()
    thread.join()
    os._exit(0)  # no finalization: it could free the query thread's objects here


def serve(sock: socket.socket) -> None:
    """Receive the store's source, load it, report ready, then answer jobs until the pipe closes."""
    source, options = messages.receive(sock)
    limit_memory(options.memory_bytes)
    store = source.open()
    sandboxed = options.sandbox and not options.allow_service and sandbox.deny_network()
    messages.send(sock, ("ready", os.getpid(), sandboxed))
    while True:
        try:
            job = messages.receive(sock)
            messages.send(sock, execute(store, job, options))
        except (EOFError, OSError):
            return


def execute(store: ox.Store, job: Job, options: Options) -> Answer:
    """Run ``job`` on ``store`` and return the answer, errors included, with the time it took."""
    start = time.perf_counter()
    return dataclasses.replace(_execute(store, job, options), seconds=time.perf_counter() - start)


def _execute(store: ox.Store, job: Job, options: Options) -> Answer:
    """Run ``job`` on ``store`` and return the answer, errors included."""
    try:
        screening.screen(job.query, options.allow_service, options.base_iri)
        return _run(store, job, options)
    except HttpError as error:
        return _error_answer(error)
    except SyntaxError as error:
        return _error_answer(bad_request(f"malformed query: {_one_line(error)}"))
    except ValueError as error:
        return _error_answer(bad_request(f"bad request: {_one_line(error)}"))
    except ResultTooLarge:
        message = f"the result is larger than {options.result_bytes} bytes; add a LIMIT"
        return _error_answer(bad_request(message))
    except MemoryError:
        return died("it ran out of memory", True, options)
    except (OSError, RuntimeError) as error:
        return _evaluation_failed(job, error)


def limit_memory(size: int) -> None:
    """Limit this process's address space to ``size`` bytes (0: leave it), where supported.

    Past it an allocation fails: the engine aborts the process (the pool answers
    for it) or Python raises :class:`MemoryError` (answered here); either way no
    other worker is touched and the machine's memory is not exhausted.
    """
    if size > 0:
        resource.setrlimit(resource.RLIMIT_AS, (size, size))


def died(cause: str, memory: bool, options: Options) -> Answer:
    """Return the answer to a query that stopped its worker; never cached.

    :param memory: the worker most likely hit its memory limit (503), rather
        than crashed (500).

    >>> answer = died("killed by SIGABRT", True, Options(memory_bytes=2**30))
    >>> answer.status, answer.cacheable, answer.body[:58]
    (503, False, b'the query needed more memory than the limit of 1024 MiB pe')
    """
    if memory and options.memory_bytes:
        mib = options.memory_bytes // 2**20
        message = f"the query needed more memory than the limit of {mib} MiB per query worker"
        return Answer(503, PLAIN, f"{message} ({cause}); it was stopped\n".encode(), False)
    message = f"the query engine crashed on this query ({cause}); it was not answered\n"
    return Answer(500, PLAIN, message.encode(), cacheable=False)


def _run(store: ox.Store, job: Job, options: Options) -> Answer:
    """Evaluate and serialize the query.

    The results object lives only in this frame, never in one that a cached
    traceback may keep alive: pyoxigraph's results must be freed on the thread
    that made them, and a frame kept in a reference cycle would be freed by the
    garbage collector on whichever thread runs it.
    """
    results = store.query(job.query, base_iri=options.base_iri, prefixes=PREFIXES, **_dataset(job))
    fmt = formats.choose(_formats_for(results), job.accept, job.formats)
    return Answer(200, fmt.content_type, _serialize(results, fmt, options.result_bytes))


def _dataset(job: Job) -> dict[str, Any]:
    """Return the dataset arguments: the protocol's graphs, the query's own, or the union."""
    if job.has_protocol_dataset:
        return {
            "default_graph": [ox.NamedNode(g) for g in job.default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in job.named_graphs],
        }
    if screening.has_dataset_clause(job.query):
        return {}
    return {"use_default_graph_as_union": True}


def _formats_for(results: Results) -> tuple[formats.Format, ...]:
    """Return the formats a result of this kind can be written in."""
    if isinstance(results, ox.QueryBoolean):
        return formats.BOOLEAN
    if isinstance(results, ox.QuerySolutions):
        return formats.SOLUTIONS
    return formats.GRAPH


def _serialize(results: Results, fmt: formats.Format, limit: int) -> bytes:
    """Serialize ``results`` with pyoxigraph, stopping once past ``limit`` bytes."""
    buffer = _CappedBuffer(limit)
    results.serialize(buffer, format=fmt.syntax)  # type: ignore[arg-type]
    return b"".join(buffer.parts)


def _evaluation_failed(job: Job, error: Exception) -> Answer:
    """Return the answer for an error raised while evaluating a valid query."""
    if screening.mentions_service(job.query):
        return _error_answer(bad_gateway(f"SERVICE request failed: {_one_line(error)}"), False)
    message = f"query evaluation failed: {_one_line(error)}"
    return Answer(500, PLAIN, (message + "\n").encode(), cacheable=False)


def _error_answer(error: HttpError, cacheable: bool = True) -> Answer:
    """Return the plain-text answer for ``error``."""
    return Answer(error.status, PLAIN, (error.message + "\n").encode(), cacheable)


def _one_line(error: BaseException) -> str:
    """Return an error's message on one line."""
    return " ".join(str(error).split())


if __name__ == "__main__":  # started by the pool: python -m aiaccess.server.worker FD
    from aiaccess.server import worker  # the importable module, so answers unpickle as its own

    worker.main(socket.socket(fileno=int(sys.argv[1])))
