"""The SPARQL editor page and the gallery of canned queries, for people in a browser.

``/sparql`` opened in a browser shows the editor (YASGUI); ``/sparql?query=…``
shows it with that query and runs it, so a query's address is shareable and
survives a reload, while SPARQL clients asking the same URL get results
(:func:`wants_page` tells them apart by the Accept header). ``/queries`` is the
gallery: one card per canned query, each linking to the editor with the query.
A ``view`` parameter names the result view the editor opens with: the table, a
timeline, a graph or a chart (``static/views.js``).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from aiaccess.catalog import HEADER, CannedQuery, Parameter, catalog
from aiaccess.namespaces import GRAPH, ID, PREFIXES
from aiaccess.server import formats, html
from aiaccess.server.chrome import reader_languages
from aiaccess.server.errors import method_not_allowed
from aiaccess.server.negotiation import parse_accept, quality
from aiaccess.sparql import bind, bindings

VIEWS = ("table", "timeline", "graph", "chart")
"""The result views the editor offers (``static/views.js`` draws all but the table)."""

DEFAULT_VIEWS = {"timeline": "timeline", "relationships": "graph"}
"""The view each canned query opens in, when not the table."""

NETWORK_QUERY = "network.rq"
"""The query of everything as a graph (who did what to whom), under :data:`.html.STATIC`."""

EXAMPLE = """SELECT ?article ?headline WHERE {
  ?article a aia:Article ; schema:headline ?headline .
}
ORDER BY ?article"""
"""The query the editor starts with (the default prefixes are predeclared)."""

SCRIPTS = (
    "yasgui/yasgui.min.js",
    "vis-timeline/vis-timeline-graph2d.min.js",
    "cytoscape/cytoscape.min.js",
    "chartjs/chart.umd.min.js",
    "views.js",
    "sparql.js",
)
STYLES = ("yasgui/yasgui.min.css", "vis-timeline/vis-timeline-graph2d.min.css", "views.css")
_ANSWERS = tuple(
    t for f in (*formats.SOLUTIONS, *formats.GRAPH) for t in (f.media_type, *f.aliases)
)
PAGE_METHODS = ("GET", "HEAD")
SHOWN_PREFIXES = {**PREFIXES, "id": ID, "graph": GRAPH}
"""The prefixes results are shown with: the predeclared ones, and the dataset's own."""


@dataclass(frozen=True)
class Card:
    """A canned query as the gallery shows it."""

    name: str
    title: str
    question: str
    description: str
    parameters: tuple[Parameter, ...]
    tags: tuple[str, ...]
    view: str
    href: str
    """The editor with the query, run, in its view."""


def wants_page(accept: str | None, names: Sequence[str]) -> bool:
    """Tell whether a request for ``/sparql?query=…`` wants the editor page, not results.

    Only when it names no ``format`` and its Accept header ranks HTML above every
    results format: a browser does (``text/html, …, */*;q=0.8``); a SPARQL client,
    or anyone sending ``*/*`` or nothing, gets results.

    :raises HttpError: 400 if the Accept header is malformed.

    >>> wants_page("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", [])
    True
    >>> wants_page("*/*", []), wants_page(None, []), wants_page("text/html", ["json"])
    (False, False, False)
    """
    if any(name.strip() for name in names) or not accept or not accept.strip():
        return False
    ranges = parse_accept(accept)
    return quality(ranges, "text/html") > max(quality(ranges, t) for t in _ANSWERS)


def editor_href(text: str, view: str = "table") -> str:
    """Return the address of the editor showing the query ``text`` (run) in ``view``.

    >>> editor_href("ASK {}", "chart")
    '/sparql?query=ASK+%7B%7D&view=chart'
    """
    params = {"query": text} | ({"view": view} if view != "table" else {})
    return f"{html.ENDPOINT_PATH}?{urlencode(params)}"


def cards(queries: Sequence[CannedQuery] | None = None) -> list[Card]:
    """Return the gallery's cards: the canned queries (default: the packaged catalog)."""
    found = list(catalog().values()) if queries is None else queries
    return [_card(query) for query in found]


def _card(query: CannedQuery) -> Card:
    """Return the card of one canned query."""
    view = DEFAULT_VIEWS.get(query.name, "table")
    return Card(
        query.name,
        query.title or query.name,
        query.question,
        query.description,
        query.parameters,
        query.tags,
        view,
        editor_href(editor_text(query), view),
    )


def editor_text(query: CannedQuery) -> str:
    """Return a canned query as the editor shows it: its question, then the query with
    its parameters bound to their defaults (its header, which the gallery shows, aside).

    >>> from aiaccess.catalog import parse
    >>> print(editor_text(parse("#+ summary: Anything?\\nASK { ?s ?p ?o }")))
    # Anything?
    ASK { ?s ?p ?o }
    """
    lines = query.text.splitlines(keepends=True)
    body = "".join(itertools.dropwhile(lambda line: line.startswith(HEADER), lines)).lstrip()
    values = bindings(query, {})
    notes = [f"# {query.question}\n"] if query.question else []
    if values:
        bound = ", ".join(f"{name} = {value}" for name, value in values.items())
        notes.append(f"# Parameters, bound by the VALUES clauses: {bound}\n")
    return "".join(notes) + bind(body, values)


def with_prefixes(text: str) -> str:
    """Return ``text`` with PREFIX lines for the predeclared prefixes it uses.

    The endpoint knows them; the editor, which checks the syntax, does not.

    >>> with_prefixes("SELECT * { ?s a aia:Article }")
    'PREFIX aia: <https://w3id.org/aiaccess/ontology#>\\n\\nSELECT * { ?s a aia:Article }'
    """
    used = [p for p in PREFIXES if re.search(rf"(?<![\w.:-]){p}:", text)]
    lines = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used)
    return f"{lines}\n{text}" if lines else text


def editor_page(request: Request, query: str | None) -> Response:
    """Answer with the editor page: on ``query`` (run at once), else on the example."""
    view = request.query_params.get("view", "table")
    page = html.render(
        "sparql.html",
        reader_languages(request),
        request.url.path + ("?" + request.url.query if request.url.query else ""),
        endpoint=request.app.state.settings.endpoint,
        endpoint_path=html.ENDPOINT_PATH,
        prefixes=json.dumps(PREFIXES),
        shown_prefixes=json.dumps(SHOWN_PREFIXES),
        predeclared=list(PREFIXES),
        query=with_prefixes(EXAMPLE) if query is None else query,
        example=EXAMPLE,
        run=query is not None,
        view=view if view in VIEWS else "table",
        styles=list(STYLES),
        scripts=list(SCRIPTS),
    )
    return Response(page, 200, {"Vary": "Accept"}, formats.HTML.content_type)


async def gallery(request: Request) -> Response:
    """Answer ``/queries``: the gallery of canned queries."""
    if request.method not in PAGE_METHODS:
        raise method_not_allowed(request.method, PAGE_METHODS)
    page = html.render(
        "queries.html",
        reader_languages(request),
        request.url.path,
        cards=cards(),
        network=editor_href((html.STATIC / NETWORK_QUERY).read_text(encoding="utf-8"), "graph"),
        styles=["views.css"],
        scripts=["gallery.js"],
    )
    return Response(page, 200, media_type=formats.HTML.content_type)
