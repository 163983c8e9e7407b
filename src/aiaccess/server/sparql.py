"""The ``/sparql`` endpoint: SPARQL 1.1 Protocol queries and the service description.

A request is read strictly (:mod:`aiaccess.server.protocol`), looked up in the
answer cache, and otherwise handed to a worker, which parses, screens, runs and
serializes the query. Identical requests in flight share one computation
(:mod:`aiaccess.server.flights`), the cache is looked at again once a worker is
free, and each client's worker time is budgeted (:mod:`aiaccess.server.fairness`).
Without a query, ``GET /sparql`` answers the service description in RDF; a
browser gets the editor instead (:mod:`.editor`), also for ``GET /sparql?query=…``,
which then shows the query and its results.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from aiaccess.server import editor, formats
from aiaccess.server.cache import AnswerCache
from aiaccess.server.errors import bad_request
from aiaccess.server.fairness import Budgets
from aiaccess.server.flights import Flights
from aiaccess.server.later import Later
from aiaccess.server.limits import Limits
from aiaccess.server.pool import Overrun, WorkerPool
from aiaccess.server.protocol import METHODS, QueryRequest, read_request
from aiaccess.server.worker import Answer, Job


@dataclass
class Endpoint:
    """What answering ``/sparql`` needs."""

    pool: WorkerPool
    cache: AnswerCache
    limits: Limits
    description: Later[list[ox.Triple]]
    flights: Flights[Answer] = field(default_factory=Flights)
    budgets: Budgets = field(init=False)

    def __post_init__(self) -> None:
        """Make the client budgets the limits ask for."""
        self.budgets = Budgets(self.limits.client_seconds)

    async def answer(self, key: Hashable, job: Job, client: str | None) -> Answer:
        """Return the answer to ``job``: cached, shared with an identical request, or computed.

        :raises HttpError: 429 if the client's budget is spent; 503 if the queue is full
            or the query runs past its time limit.
        """
        answer = self.cache.get(key)
        if answer is not None:
            return answer
        self.budgets.check(client)
        return await self.flights.share(key, lambda: self._compute(key, job, client))

    async def _compute(self, key: Hashable, job: Job, client: str | None) -> Answer:
        """Run ``job`` on a worker, charge the client its time, and cache what may be cached."""
        try:
            answer = await self.pool.run(job, self.limits.timeout, lambda: self.cache.get(key))
        except Overrun as error:
            self.budgets.charge(client, error.timeout)
            raise
        self.budgets.charge(client, answer.seconds)
        if answer.cacheable:
            self.cache.put(key, answer)
        return answer


async def endpoint(request: Request) -> Response:
    """Answer a SPARQL Protocol request, or describe the service."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": ", ".join((*METHODS, "OPTIONS"))})
    state: Endpoint = request.app.state.sparql
    parsed = await read_request(request, state.limits)
    if parsed.query is None:
        if request.method == "POST":
            raise bad_request("missing query parameter")
        return _description(request, state, parsed.formats)
    accept = request.headers.get("accept")
    if request.method != "POST" and editor.wants_page(accept, parsed.formats):
        return editor.editor_page(request, parsed.query)
    client = request.client.host if request.client else None
    answer = await state.answer(cache_key(parsed, accept), parsed.job(accept), client)
    return Response(answer.body, answer.status, {"Vary": "Accept"}, answer.content_type)


def cache_key(parsed: QueryRequest, accept: str | None) -> Hashable:
    """Return the cache key of a request: everything its answer depends on."""
    return (parsed.query, parsed.default_graphs, parsed.named_graphs, parsed.formats, accept)


def _description(request: Request, state: Endpoint, names: tuple[str, ...]) -> Response:
    """Return the service description in the negotiated format, or the editor."""
    fmt = formats.choose(formats.PAGE, request.headers.get("accept"), names)
    if fmt is formats.HTML:
        return editor.editor_page(request, None)
    body = formats.rdf_bytes(state.description.get(), fmt)
    return Response(body, 200, {"Vary": "Accept"}, fmt.content_type)
