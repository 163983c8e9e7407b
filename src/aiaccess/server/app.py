"""The ASGI application: routes, error handling, CORS and the worker pool's lifetime.

======================  =================================================
``/sparql`` (``/``)     SPARQL 1.1 Protocol; service description or form
``/health``             the query workers' state, for load balancers (:mod:`.health`)
``/``                   home page, or the VoID description in RDF
``/dataset.ttl`` …      the dataset's files (:mod:`.downloads`)
``/shapes``             303 to ``/shapes.ttl``, or for browsers to their documentation
``/ontology``           the ontology's documentation (:mod:`.ontologydoc`), or its RDF
``/queries``            the gallery of canned queries (:mod:`.editor`)
``/language/{code}``    the language switcher: keeps the choice, 303 back
``/static/…``           the pages' scripts and style sheets (:data:`.html.STATIC`)
``/<anything else>``    Linked Data for ``https://w3id.org/aiaccess/<…>``
======================  =================================================
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import ASGIApp, Scope

from aiaccess import void
from aiaccess.server import (
    downloads,
    editor,
    formats,
    html,
    language,
    linkeddata,
    ontologydoc,
    sparql,
)
from aiaccess.server.cache import AnswerCache
from aiaccess.server.chrome import reader_languages
from aiaccess.server.description import describe
from aiaccess.server.errors import HttpError, method_not_allowed
from aiaccess.server.fastpath import CachedAnswers
from aiaccess.server.health import health, protections
from aiaccess.server.index import Index
from aiaccess.server.later import Later
from aiaccess.server.pool import WorkerPool
from aiaccess.server.settings import Settings
from aiaccess.server.snapshot import MEDIA_TYPES, Snapshot, load
from aiaccess.server.worker import Options

log = logging.getLogger("aiaccess.server")

ANY_METHOD: tuple[str, ...] = ()
"""Routes take every method; each endpoint answers 405 itself, with its own message."""

FOREVER = "public, max-age=31536000, immutable"
"""Cache-Control of a static file asked for by its content hash (``?v=…``: :func:`.html.asset`)."""
AN_HOUR = "public, max-age=3600"
"""Cache-Control of a static file asked for without its hash."""


class StaticAssets(StaticFiles):
    """The files under ``/static/``, with long cache headers when the URL names their hash."""

    def file_response(
        self, full_path: PathLike, stat: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        """Return the file's response, cacheable for a year if its URL carries its hash."""
        response = super().file_response(full_path, stat, scope, status_code)
        hashed = b"v=" in scope.get("query_string", b"")
        response.headers["Cache-Control"] = FOREVER if hashed else AN_HOUR
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


class Application(Starlette):
    """The Starlette application, with the lean path for cached answers outermost."""

    def __init__(self, endpoint: sparql.Endpoint, cors: bool, **options: Any) -> None:
        self.endpoint = endpoint
        self.cors = cors
        super().__init__(**options)

    def build_middleware_stack(self) -> ASGIApp:
        """Put :class:`CachedAnswers` before Starlette's own error middleware, whose
        wrapping of every message is a fifth of a cached answer's cost; the lean path
        raises nothing a client can cause."""
        return CachedAnswers(super().build_middleware_stack(), self.endpoint, self.cors)

    @property
    def lean_path(self) -> CachedAnswers:
        """The lean path for cached answers (outermost; the HTTP protocol asks it too)."""
        if self.middleware_stack is None:
            self.middleware_stack = self.build_middleware_stack()
        assert isinstance(self.middleware_stack, CachedAnswers)
        return self.middleware_stack


def create_app(settings: Settings, snapshot: Snapshot | None = None) -> Starlette:
    """Return the application serving ``snapshot`` (by default, the packaged dataset).

    The worker processes are launched here, so that they load the store while the
    rest is prepared; the application's lifespan waits until they are ready, and
    stops them.

    :raises AiaccessError: if the packaged data is invalid.
    :raises OSError: if the on-disk store cannot be opened.
    """
    snapshot = snapshot or load(settings.base_url, settings.store)
    limits = settings.limits
    options = Options(
        settings.allow_service,
        limits.result_bytes,
        settings.endpoint,
        settings.sandbox,
        limits.worker_memory,
    )
    pool = WorkerPool(
        settings.workers, snapshot.source, options, limits.queue_length, limits.queue_seconds
    )
    pool.launch()  # the workers load the store while the rest is prepared
    compressed = snapshot.gzipped or {}
    files = downloads.with_checksums(
        {
            name: downloads.Download.of(
                name,
                MEDIA_TYPES.get(name, "text/plain"),
                body,
                snapshot.modified,
                compressed.get(name),
            )
            for name, body in snapshot.files.items()
        }
    )
    endpoint = sparql.Endpoint(
        pool,
        AnswerCache(limits.cache_bytes),
        limits,
        Later(
            functools.partial(
                describe, settings.endpoint, snapshot.quads, bool(settings.allow_service)
            )
        ),
    )
    app = Application(
        endpoint,
        bool(settings.cors_origins),
        routes=_routes(files),
        middleware=_middleware(settings),
        exception_handlers={HttpError: _error},
        lifespan=functools.partial(_lifespan, pool=pool),
    )
    app.state.settings = settings
    app.state.pool = pool
    app.state.linked_data = linkeddata.LinkedData(
        Later(functools.partial(_index, snapshot)),
        settings.endpoint,
        limits.cache_bytes // 4,
        snapshot.texts,
    )
    app.state.void = snapshot.void
    app.state.downloads = [files[name] for name in sorted(files)]
    app.state.sparql = endpoint
    return app


def _index(snapshot: Snapshot) -> Index:
    """Return the index of the served quads and the VoID description, for Linked Data."""
    void_quads = (ox.Quad(t.subject, t.predicate, t.object) for t in snapshot.void)
    return Index([*snapshot.quads, *void_quads])


def _routes(files: dict[str, downloads.Download]) -> list[Route | Mount]:
    """Return the routes: endpoint, home, downloads, then Linked Data for every other path."""
    return [
        Route("/sparql", sparql.endpoint, methods=ANY_METHOD),
        Route("/health", health, methods=ANY_METHOD),
        Route("/sparql/", sparql.endpoint, methods=ANY_METHOD),
        Route("/", home, methods=ANY_METHOD),
        Route("/shapes", ontologydoc.shapes, methods=ANY_METHOD),
        Route("/ontology", ontologydoc.endpoint, methods=ANY_METHOD),
        Route("/queries", editor.gallery, methods=ANY_METHOD),
        Route("/language/{code}", language.switch, methods=ANY_METHOD),
        Mount("/static", StaticAssets(directory=html.STATIC), name="static"),
        *(
            Route("/" + name, functools.partial(downloads.serve, download=d), methods=ANY_METHOD)
            for name, d in files.items()
        ),
        Route("/{path:path}", linkeddata.endpoint, methods=ANY_METHOD),
    ]


def _middleware(settings: Settings) -> list[Middleware]:
    """Return CORS for the configured origins (none if CORS is off)."""
    if not settings.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Accept", "Content-Type", "If-None-Match", "If-Modified-Since"],
            expose_headers=["ETag", "Last-Modified", "Content-Length", "Vary", "Link"],
            max_age=86400,
        ),
    ]


@asynccontextmanager
async def _lifespan(app: Starlette, pool: WorkerPool) -> AsyncIterator[None]:
    """Start the query workers with the application, and stop them with it."""
    await pool.start()
    app.state.started = time.monotonic()
    gc.freeze()
    preparing = asyncio.create_task(_prepare_later(app))
    log.info("%s", protections(app.state.settings, pool))
    if not pool.sandboxed and not app.state.settings.allow_service:
        log.warning("query workers could not be cut off the network; relying on screening")
    try:
        yield
    finally:
        await preparing
        await pool.stop()


async def _prepare_later(app: Starlette) -> None:
    """Make what was left for later once serving has begun, then exempt it from the collector.

    The data lives as long as the server: :func:`gc.freeze` keeps the garbage
    collector from walking its hundreds of thousands of objects again and again,
    which would otherwise pause every request now and then.
    """
    linked_data: linkeddata.LinkedData = app.state.linked_data
    endpoint: sparql.Endpoint = app.state.sparql
    await asyncio.to_thread(lambda: (linked_data.index, endpoint.description.get()))
    gc.freeze()


async def _error(request: Request, error: Exception) -> Response:
    """Answer an :class:`HttpError` with its status and one-line message."""
    assert isinstance(error, HttpError)
    return error.response()


async def home(request: Request) -> Response:
    """Answer ``/``: the home page for browsers, the VoID description for RDF clients."""
    if request.method not in linkeddata.METHODS:
        raise method_not_allowed(request.method, linkeddata.METHODS)
    fmt = formats.choose(formats.PAGE, request.headers.get("accept"))
    if fmt is formats.HTML:
        body = _home_page(request).encode()
    else:
        body = formats.rdf_bytes(request.app.state.void, fmt)
    return Response(body, 200, {"Vary": linkeddata.VARY}, fmt.content_type)


def _home_page(request: Request) -> str:
    """Return the HTML home page."""
    data: linkeddata.LinkedData = request.app.state.linked_data
    site = html.Site(linkeddata.href, data.endpoint, reader_languages(request))
    sections, files = data.home_sections(), request.app.state.downloads
    return html.home(void.TITLE, void.DESCRIPTION, sections, data.index, site, files)
