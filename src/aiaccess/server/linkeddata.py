"""Dereferencing: every IRI under ``https://w3id.org/aiaccess/`` answered at this server.

``https://w3id.org/aiaccess/id/org/openai`` is served at ``/id/org/openai``:
HTML for browsers, Turtle, JSON-LD, N-Triples, RDF/XML, TriG or N-Quads by
Accept, or Turtle, JSON-LD and N-Triples by suffix (``/id/org/openai.ttl``).
Answers are cached: the data does not change while the server runs.
"""

from __future__ import annotations

from collections.abc import Hashable

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from aiaccess.namespaces import AIA, BASE, REGISTRY_GRAPH
from aiaccess.server import formats, html
from aiaccess.server.cache import AnswerCache
from aiaccess.server.chrome import reader_languages
from aiaccess.server.errors import method_not_allowed, not_found
from aiaccess.server.formats import Format
from aiaccess.server.index import TYPE, Index, value_of
from aiaccess.server.later import Later
from aiaccess.server.worker import Answer

METHODS = ("GET", "HEAD")
VARY = "Accept, Accept-Language, Cookie"


def href(iri: str) -> str | None:
    """Return where a page links to for ``iri``: a local path under the base, else the IRI.

    >>> href("https://w3id.org/aiaccess/id/org/openai")
    '/id/org/openai'
    >>> href("javascript:alert(1)") is None
    True
    """
    if iri.startswith(BASE):
        return "/" + iri[len(BASE) :]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


class LinkedData:
    """Answers for the dataset's resources, from an :class:`~aiaccess.server.index.Index`."""

    def __init__(
        self,
        index: Index | Later[Index],
        endpoint: str,
        cache_bytes: int,
        texts: dict[str, str] | None = None,
    ) -> None:
        """:param index: the index, or the index made when first needed (:mod:`.later`).
        :param texts: the articles' texts by IRI, shown annotated on their pages.
        """
        self._index = index
        self.endpoint = endpoint
        self.cache = AnswerCache(cache_bytes)
        self.texts = texts or {}

    @property
    def index(self) -> Index:
        """Return the index (made now if it was to be made later and still is not)."""
        return self._index if isinstance(self._index, Index) else self._index.get()

    def resolve(self, path: str) -> tuple[str, Format | None]:
        """Return the IRI a request path names, and the format its suffix asks for.

        :raises HttpError: 404 if nothing is known about it.
        """
        iri = BASE + path.lstrip("/")
        if iri in self.index:
            return iri, None
        for suffix, fmt in formats.SUFFIXES.items():
            if iri.endswith(suffix) and iri.removesuffix(suffix) in self.index:
                return iri.removesuffix(suffix), fmt
        raise not_found(f"nothing is known about <{iri}>")

    def answer(self, iri: str, fmt: Format, langs: tuple[str, ...]) -> Answer:
        """Return the representation of ``iri`` in ``fmt`` (cached)."""
        key: Hashable = (iri, fmt.label, langs if fmt is formats.HTML else ())
        cached = self.cache.get(key)
        if cached is None:
            cached = Answer(200, fmt.content_type, self._render(iri, fmt, langs))
            self.cache.put(key, cached)
        return cached

    def _render(self, iri: str, fmt: Format, langs: tuple[str, ...]) -> bytes:
        """Return the bytes of ``iri`` described in ``fmt``."""
        if fmt is formats.HTML:
            site = html.Site(href, self.endpoint, langs)
            names = {fmt.syntax.name: url for fmt, url in alternates(iri) if fmt.syntax}
            return html.resource(iri, self.index, site, names, self.texts.get(iri)).encode()
        return serialize(self.index.describe(iri), fmt)

    def home_sections(self) -> list[tuple[str, list[str]]]:
        """Return the home page's lists: the articles, then the registry's entities by class."""
        sections = [(AIA + "Article", self._of_type(AIA + "Article"))]
        kinds = sorted(
            {value_of(q.object) for q in self.index.graphs.get(REGISTRY_GRAPH, []) if _is_type(q)}
        )
        return sections + [(kind, self._of_type(kind, REGISTRY_GRAPH)) for kind in kinds]

    def _of_type(self, kind: str, graph: str | None = None) -> list[str]:
        """Return the IRIs typed ``kind`` (in ``graph`` if given), sorted."""
        quads = self.index.objects.get(kind, [])
        return sorted(
            {
                q.subject.value
                for q in quads
                if _is_type(q)
                and isinstance(q.subject, ox.NamedNode)
                and (graph is None or q.graph_name == ox.NamedNode(graph))
            }
        )


def serialize(quads: list[ox.Quad], fmt: Format) -> bytes:
    """Serialize a description: quads for dataset formats, triples (deduplicated) otherwise."""
    if fmt in (formats.TRIG, formats.N_QUADS):
        return formats.rdf_bytes(quads, fmt)
    return formats.rdf_bytes(sorted({q.triple for q in quads}, key=str), fmt)


def alternates(iri: str) -> list[tuple[Format, str]]:
    """Return a resource's representations by suffix, with their local URLs."""
    local = href(iri) or iri
    return [(fmt, local + suffix) for suffix, fmt in formats.SUFFIXES.items()]


async def endpoint(request: Request) -> Response:
    """Answer ``GET /<path>`` with the description of ``https://w3id.org/aiaccess/<path>``."""
    if request.method not in METHODS:
        raise method_not_allowed(request.method, METHODS)
    data: LinkedData = request.app.state.linked_data
    iri, fmt = data.resolve(request.url.path)
    if fmt is None:
        fmt = formats.choose(formats.PAGE, request.headers.get("accept"))
    langs = reader_languages(request)
    answer = data.answer(iri, fmt, langs)
    links = ", ".join(
        f'<{url}>; rel="alternate"; type="{fmt.media_type}"' for fmt, url in alternates(iri)
    )
    headers = {"Vary": VARY, "Link": links}
    return Response(answer.body, answer.status, headers, answer.content_type)


def _is_type(quad: ox.Quad) -> bool:
    """Tell whether ``quad`` is an ``rdf:type`` statement."""
    return quad.predicate.value == TYPE
