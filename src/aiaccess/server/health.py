"""``/health``: whether the server can answer queries, for load balancers and monitors.

``GET /health`` answers JSON: the query workers alive, starting and configured,
the queries running and waiting, the answer cache's size and hit rate, and the
uptime. The status is ``200`` while at least one worker is alive and ``503``
when none is (the pool is restarting them), so a load balancer stops sending
queries to an instance that could only queue them. Cached answers, pages and
downloads may still be served meanwhile; ``/health`` tells about queries.

With several front ends, the one that takes the request answers for itself (its
workers, queue and cache) and says which it is (``front_end``: its process id
and how many share the port).
"""

from __future__ import annotations

import dataclasses
import os
import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from aiaccess.server.errors import method_not_allowed
from aiaccess.server.pool import WorkerPool
from aiaccess.server.settings import Settings

METHODS = ("GET", "HEAD")


async def health(request: Request) -> Response:
    """Answer ``/health`` with the pool's and the cache's state."""
    if request.method not in METHODS:
        raise method_not_allowed(request.method, METHODS)
    pool: WorkerPool = request.app.state.pool
    state = dataclasses.asdict(pool.health())
    cache = request.app.state.sparql.cache
    body = {
        "status": "ok" if state["alive"] else "unavailable",
        "workers": {k: state[k] for k in ("alive", "starting", "configured", "sandboxed")},
        "queries": {"running": state["running"], "waiting": state["waiting"]},
        "restarts": {"replaced": state["restarts"], "failed_starts": state["failed_starts"]},
        "cache": cache.stats(),
        "uptime_seconds": round(time.monotonic() - request.app.state.started, 3),
        "front_end": {"pid": os.getpid(), "of": request.app.state.settings.front_ends},
    }
    headers = {"Cache-Control": "no-store"}
    return JSONResponse(body, 200 if state["alive"] else 503, headers)


def protections(settings: Settings, pool: WorkerPool) -> str:
    """Return the one-line summary of what protects the server, logged at start."""
    limits = settings.limits
    service = (
        "SERVICE allowed to " + ", ".join(settings.allow_service)
        if settings.allow_service
        else "SERVICE refused (tokenizer screening, fails closed)"
    )
    if pool.sandboxed:
        sandbox = "network sandbox on (seccomp)"
    elif settings.allow_service:
        sandbox = "network sandbox off (SERVICE allowed)"
    else:
        sandbox = "network sandbox UNAVAILABLE (screening alone)"
    memory = (
        f"{limits.worker_memory // 2**20} MiB per worker" if limits.worker_memory else "no limit"
    )
    budget = (
        f"{limits.client_seconds:g} s per client per minute (loopback exempt)"
        if limits.client_seconds
        else "off"
    )
    shared = (
        f"; front end {os.getpid()}, one of {settings.front_ends} (its share above)"
        if settings.front_ends > 1
        else ""
    )
    return (
        f"protections: {service}; {sandbox}; run time {limits.timeout:g} s; "
        f"memory {memory}; queue {limits.queue_length} queries / {limits.queue_seconds:g} s; "
        f"client budget {budget}; {pool.size} worker{'' if pool.size == 1 else 's'}{shared}"
    )
