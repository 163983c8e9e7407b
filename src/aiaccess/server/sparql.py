"""The ``/sparql`` endpoint: SPARQL 1.1 Protocol queries and the service description.

A request is read strictly (:mod:`aiaccess.server.protocol`), looked up in the
answer cache, and otherwise handed to a worker, which parses, screens, runs and
serializes the query. Without a query, ``GET /sparql`` answers the service
description in RDF; a browser gets the editor instead (:mod:`.editor`), also for
``GET /sparql?query=…``, which then shows the query and its results.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from aiaccess.server import editor, formats
from aiaccess.server.cache import AnswerCache
from aiaccess.server.errors import bad_request
from aiaccess.server.limits import Limits
from aiaccess.server.pool import WorkerPool
from aiaccess.server.protocol import METHODS, QueryRequest, read_request


@dataclass
class Endpoint:
    """What answering ``/sparql`` needs."""

    pool: WorkerPool
    cache: AnswerCache
    limits: Limits
    description: list[ox.Triple]


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
    key: Hashable = _key(parsed, accept)
    answer = state.cache.get(key)
    if answer is None:
        answer = await state.pool.run(parsed.job(accept), state.limits.timeout)
        if answer.cacheable:
            state.cache.put(key, answer)
    return Response(answer.body, answer.status, {"Vary": "Accept"}, answer.content_type)


def _key(parsed: QueryRequest, accept: str | None) -> Hashable:
    """Return the cache key of a request: everything its answer depends on."""
    return (parsed.query, parsed.default_graphs, parsed.named_graphs, parsed.formats, accept)


def _description(request: Request, state: Endpoint, names: tuple[str, ...]) -> Response:
    """Return the service description in the negotiated format, or the editor."""
    fmt = formats.choose(formats.PAGE, request.headers.get("accept"), names)
    if fmt is formats.HTML:
        return editor.editor_page(request, None)
    body = formats.rdf_bytes(state.description, fmt)
    return Response(body, 200, {"Vary": "Accept"}, fmt.content_type)
