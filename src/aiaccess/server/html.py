"""HTML pages for people: resources, the home page and the SPARQL editor.

Server-rendered HTML with a small inline style sheet. Resource pages have no
script; the SPARQL page runs YASGUI and the home page draws a chart with
Chart.js, both vendored under ``static/`` (``tools/vendor-web.sh``) and served
by this server: no CDN, nothing fetched from elsewhere, which every page's
Content-Security-Policy (:data:`CSP`) enforces. Every piece of text from the
data goes through :func:`html.escape`, and only ``http(s)`` IRIs become links.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

import jinja2
import pyoxigraph as ox
from markupsafe import Markup
from starlette.templating import Jinja2Templates

from aiaccess.catalog import HEADER, CannedQuery, catalog
from aiaccess.namespaces import AIA, GRAPH, ID, PREFIXES
from aiaccess.server.chrome import Chrome, translator
from aiaccess.server.index import HAS_BODY, Index, Quote, value_of
from aiaccess.sparql import bind, bindings
from aiaccess.void import LICENSE

ROWS = 200
"""Rows shown per table before "and N more"; the RDF representations have them all."""

_COMPACT = {**PREFIXES, "id": ID, "graph": GRAPH}

_RESIZER_HASH = "zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk="
"""The hash of the one ``<style>`` YASGUI adds: column-resizer's rules for its results table."""

CSP = (
    "default-src 'none'; script-src 'self'; "
    f"style-src 'self' 'sha256-{_RESIZER_HASH}'; "
    "connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'"
)
"""Every page's Content-Security-Policy: scripts, style sheets and requests from this server only.

No inline script and no ``eval``; the one inline style sheet (YASGUI's) is allowed
by its hash, not by ``'unsafe-inline'``.
"""

STATIC = Path(__file__).with_name("static")
"""The pages' scripts, style sheets and vendored components, served under ``/static/``."""

TEMPLATES_DIR = Path(__file__).with_name("templates")
"""The pages' Jinja2 templates; ``base.html`` is the layout they extend."""

CHART_QUERY = "reports-by-kind.rq"
"""The home page chart's query, under :data:`STATIC`."""

ENDPOINT_PATH = "/sparql"
"""Where the pages' scripts send queries: this server, whatever its public URL."""


@dataclass(frozen=True)
class Site:
    """What every page needs: where things are, and the reader's languages."""

    href: Callable[[str], str | None]
    """The local URL of an IRI, or None when it must not be a link."""
    endpoint: str
    languages: tuple[str, ...] = ()


@functools.cache
def asset(name: str) -> str:
    """Return the URL of the file ``name`` under :data:`STATIC`, marked with its content's hash.

    The mark changes whenever the file does, so the server lets browsers cache it for good.

    :raises OSError: if there is no such file.

    >>> asset("sparql.js").startswith("/static/sparql.js?v=")
    True
    """
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:16]
    return f"/static/{name}?v={digest}"


def _environment() -> jinja2.Environment:
    """Return the templates' environment: autoescaping on, undefined names an error."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["asset"] = asset
    return environment


TEMPLATES = Jinja2Templates(env=_environment())
"""The pages' templates (Starlette's wrapper around one Jinja2 environment)."""


def render(name: str, languages: tuple[str, ...], path: str, **context: object) -> str:
    """Return the page the template ``name`` lays out from ``context``.

    :param languages: the reader's languages, preferred first; the chrome is in the
        first one it is written in (:func:`.chrome.chrome_language`).
    :param path: the page's local path (and query string), for the language switcher.
    """
    frame = Chrome.of(languages, path, CSP, LICENSE)
    gettext = translator(frame.lang)
    return TEMPLATES.get_template(name).render(chrome=frame, _=gettext, **context)


def page(
    title: str,
    body: str,
    languages: tuple[str, ...] = (),
    path: str = "/",
    styles: Sequence[str] = (),
    scripts: Sequence[str] = (),
) -> str:
    """Return a complete HTML document around ``body`` (already escaped HTML)."""
    return render(
        "page.html",
        languages,
        path,
        title=title,
        body=Markup(body),
        styles=list(styles),
        scripts=list(scripts),
    )


def compact(iri: str) -> str:
    """Return ``iri`` with a known prefix, or unchanged.

    >>> compact("https://w3id.org/aiaccess/id/org/openai")
    'id:org/openai'
    """
    best = max((ns for ns in _COMPACT.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in _COMPACT.items() if ns == best)
    return f"{prefix}:{iri[len(best) :]}"


def term(node: object, index: Index, site: Site) -> str:
    """Return the HTML of one RDF term: a link with its name, or a literal's text."""
    if isinstance(node, ox.NamedNode):
        return link(node.value, index, site)
    if isinstance(node, ox.Literal):
        return literal(node)
    return f"<code>{escape(str(node))}</code>"


def link(iri: str, index: Index, site: Site) -> str:
    """Return a link to ``iri`` showing its name, or its compact IRI."""
    name = index.label(iri, site.languages)
    text = escape(name) if name else f"<code>{escape(compact(iri))}</code>"
    href = site.href(iri)
    if href is None:
        return text
    return f'<a href="{escape(href)}" title="{escape(iri)}">{text}</a>'


def literal(value: ox.Literal) -> str:
    """Return a literal's text, tagged with its language, with its datatype if not a string."""
    if value.language:
        tag = escape(value.language)
        text = f'<span lang="{tag}" dir="auto">{escape(value.value)}</span>'
        return f'{text} <span class="meta">@{tag}</span>'
    datatype = value.datatype.value
    if datatype.endswith(("#string", "#langString")):
        return escape(value.value)
    return f'{escape(value.value)} <span class="meta">({escape(compact(datatype))})</span>'


def resource(iri: str, index: Index, site: Site, alternates: dict[str, str]) -> str:
    """Return the page of one resource: statements, evidence, incoming links."""
    name = index.label(iri, site.languages) or compact(iri)
    parts = [f"<h1>{escape(name)}</h1><p><code>{escape(iri)}</code></p>"]
    types = [link(t, index, site) for t in index.types(iri)]
    if types:
        parts.append(f"<p>A {', '.join(types)}.</p>")
    formats = " · ".join(f'<a href="{escape(u)}">{escape(n)}</a>' for n, u in alternates.items())
    parts.append(f'<p class="meta">Also as {formats}.</p>')
    parts.append(_statements(iri, index, site))
    if iri in index.graphs:
        parts.append(_graph_contents(iri, index, site))
    parts.append(_evidence(index.quotes(iri), index, site))
    parts.append(_incoming(iri, index, site))
    return page(name, "".join(parts), site.languages, site.href(iri) or "/")


def _by_graph(quads: Iterable[ox.Quad]) -> dict[str, list[ox.Quad]]:
    """Group quads by the IRI of their graph ("" for the default graph)."""
    groups: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        graph = quad.graph_name
        groups[graph.value if isinstance(graph, ox.NamedNode) else ""].append(quad)
    return dict(sorted(groups.items()))


def _graph_heading(graph: str, index: Index, site: Site) -> str:
    """Return the heading naming a graph."""
    if not graph:
        return "<h3>In the default graph</h3>"
    return f"<h3>In graph {link(graph, index, site)}</h3>"


def _statements(iri: str, index: Index, site: Site) -> str:
    """Return what the data says about ``iri`` (and its ``#`` parts), by graph."""
    quads = index.subjects.get(iri, [])
    if not quads:
        return ""
    parts = ["<h2>Statements</h2>"]
    for graph, group in _by_graph(quads).items():
        parts.append(_graph_heading(graph, index, site))
        rows = []
        for quad in group[:ROWS]:
            subject = value_of(quad.subject)
            own = "" if subject == iri else f"{link(subject, index, site)} · "
            rows.append(
                f"<tr><th>{own}{link(quad.predicate.value, index, site)}</th>"
                f"<td>{term(quad.object, index, site)}</td></tr>"
            )
        parts.append(_table(rows, len(group)))
    return "".join(parts)


def _incoming(iri: str, index: Index, site: Site) -> str:
    """Return the statements pointing at ``iri``, by graph (annotation bodies aside)."""
    quads = [q for q in index.objects.get(iri, []) if q.predicate.value != HAS_BODY]
    if not quads:
        return ""
    parts = ["<h2>Referenced by</h2>"]
    for graph, group in _by_graph(quads).items():
        parts.append(_graph_heading(graph, index, site))
        rows = [
            f"<tr><th>{term(q.subject, index, site)}</th>"
            f"<td>{link(q.predicate.value, index, site)}</td></tr>"
            for q in group[:ROWS]
        ]
        parts.append(_table(rows, len(group)))
    return "".join(parts)


def _evidence(quotes: list[Quote], index: Index, site: Site) -> str:
    """Return the quotes backing a resource, then where the articles name it."""
    evidence = [q for q in quotes if q.kind == AIA + "Evidence"]
    mentions = [q for q in quotes if q.kind != AIA + "Evidence"]
    return _quotes("Evidence", evidence, index, site) + _quotes(
        "Mentions in the articles", mentions, index, site
    )


def _quotes(heading: str, quotes: list[Quote], index: Index, site: Site) -> str:
    """Return a section of quoted passages, grouped by the graph that holds them."""
    if not quotes:
        return ""
    groups: dict[str, list[Quote]] = defaultdict(list)
    for quote in quotes:
        groups[quote.graph].append(quote)
    parts = [f"<h2>{escape(heading)}</h2>"]
    for graph, group in sorted(groups.items()):
        parts.append(_graph_heading(graph, index, site))
        parts.append("<ul>" + "".join(_quote(q, index, site) for q in group[:ROWS]) + "</ul>")
        if len(group) > ROWS:
            parts.append(f"<p class=meta>and {len(group) - ROWS} more</p>")
    return "".join(parts)


def _quote(quote: Quote, index: Index, site: Site) -> str:
    """Return one quoted passage, its context, gloss and source."""
    exact = quote.exact
    language = f' lang="{escape(exact.language)}" dir="auto"' if exact and exact.language else ""
    text = (
        f'<blockquote{language}><span class="context">…{escape(quote.prefix)}</span>'
        f"<mark>{escape(exact.value if exact else '')}</mark>"
        f'<span class="context">{escape(quote.suffix)}…</span></blockquote>'
    )
    meta = [link(quote.kind, index, site)]
    if quote.gloss is not None:
        meta.append(literal(quote.gloss))
    if quote.source:
        meta.append("in " + link(quote.source, index, site))
    meta.append(link(quote.annotation, index, site))
    return f'<li>{text}<span class="meta">{" — ".join(meta)}</span></li>'


def _graph_contents(iri: str, index: Index, site: Site) -> str:
    """Return the list of resources a named graph describes."""
    quads = index.graphs[iri]
    subjects = sorted({q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)})
    rows = [f"<tr><td>{link(s, index, site)}</td></tr>" for s in subjects[:ROWS]]
    heading = f"<h2>A graph of {len(quads)} statements about {len(subjects)} resources</h2>"
    return heading + _table(rows, len(subjects))


def _table(rows: list[str], total: int) -> str:
    """Return a table of ``rows``, noting how many of ``total`` were left out."""
    more = f"<p class=meta>and {total - len(rows)} more</p>" if total > len(rows) else ""
    return f"<table>{''.join(rows)}</table>{more}"


def home(
    title: str,
    description: str,
    sections: dict[str, list[str]],
    index: Index,
    site: Site,
    downloads: Iterable[str] = (),
) -> str:
    """Return the home page: what the dataset is, where to get it, and its main resources."""
    parts = [f"<h1>{escape(title)}</h1><p>{escape(description)}</p>"]
    parts.append(
        f'<p>SPARQL endpoint: <a href="/sparql"><code>{escape(site.endpoint)}</code></a>.</p>'
    )
    files = " · ".join(f'<a href="/{escape(n)}">{escape(n)}</a>' for n in downloads)
    if files:
        parts.append(f"<p>Downloads: {files}.</p>")
    parts.append(_chart())
    for heading, iris in sections.items():
        items = "".join(f"<li>{link(i, index, site)}</li>" for i in iris)
        parts.append(f"<h2>{escape(heading)}</h2><ul>{items}</ul>")
    scripts = ("chartjs/chart.umd.min.js", "home.js")
    return page(title, "".join(parts), site.languages, "/", scripts=scripts)


def _chart() -> str:
    """Return the chart of what each source reports, drawn by ``home.js`` from a live query."""
    query = escape(asset(CHART_QUERY))
    return (
        "<h2>What each source reports</h2>"
        "<p>The facts each article states, by kind, one colour per article; counted by "
        f'<a href="{query}">this query</a>, which the page sends to the endpoint.</p>'
        f'<div class="chart"><canvas id="reports-chart" role="img" data-query="{query}" '
        f'data-endpoint="{ENDPOINT_PATH}" aria-label="Bar chart: facts each source article '
        'reports, by kind"></canvas></div><p id="chart-status" class="meta" role="status">'
        "</p><noscript><p class=meta>The chart needs JavaScript; the query gives its numbers."
        "</p></noscript>"
    )


def query_form(
    endpoint: str,
    example: str,
    downloads: Iterable[str],
    examples: Sequence[CannedQuery] | None = None,
) -> str:
    """Return the SPARQL page: YASGUI on this endpoint, offering the canned queries.

    Without JavaScript, the page is a plain form sending GET requests to the endpoint.

    :param example: the query the editor and the form start with.
    :param examples: the canned queries to offer (default: the packaged catalog), with
        their parameters bound to their defaults.
    """
    queries = list(catalog().values()) if examples is None else examples
    files = "".join(f'<li><a href="/{escape(n)}">{escape(n)}</a></li>' for n in downloads)
    predeclared = ", ".join(f"<code>{escape(p)}:</code>" for p in PREFIXES)
    body = (
        f"<h1>SPARQL endpoint</h1><p><code>{escape(endpoint)}</code> — SPARQL 1.1 Protocol, "
        "read-only; the default graph is the union of all graphs. Predeclared prefixes: "
        f"{predeclared}.</p>{_canned(queries)}"
        f'<div id="yasgui" data-endpoint="{ENDPOINT_PATH}" '
        f'data-prefixes="{escape(json.dumps(PREFIXES))}" '
        f'data-query="{escape(with_prefixes(example))}"></div>'
        f"<noscript>{_plain_form(example)}</noscript>"
        f"<h2>Downloads</h2><ul>{files}</ul>"
    )
    scripts = ("yasgui/yasgui.min.js", "sparql.js")
    return page(
        "SPARQL endpoint",
        body,
        path=ENDPOINT_PATH,
        styles=("yasgui/yasgui.min.css",),
        scripts=scripts,
    )


def _canned(queries: Sequence[CannedQuery]) -> str:
    """Return the menu of canned queries (shown by ``sparql.js``: it needs the editor)."""
    options = "".join(
        f'<option value="{escape(q.name)}" title="{escape(q.question)}" '
        f'data-query="{escape(editor_text(q))}">{escape(q.title or q.name)}</option>'
        for q in queries
    )
    return (
        '<div id="canned-queries" hidden><p><label for="canned">Canned queries</label> '
        f'<select id="canned"><option value="">Choose a question…</option>{options}</select>'
        '</p><p id="question" class="meta"></p></div>'
    )


def editor_text(query: CannedQuery) -> str:
    """Return a canned query as the editor shows it: its question, then the query with
    its parameters bound to their defaults (its header, which the page shows, aside).

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


def _plain_form(example: str) -> str:
    """Return the query form for browsers without JavaScript."""
    options = "".join(
        f'<option value="{f}">{f.upper()}</option>' for f in ("json", "xml", "csv", "tsv", "turtle")
    )
    return (
        '<form method="get" action="/sparql"><p><textarea name="query" rows="12">'
        f"{escape(example)}</textarea></p><p>Results as <select name=format>{options}</select> "
        '<button type="submit">Run query</button></p></form>'
    )


def with_prefixes(text: str) -> str:
    """Return ``text`` with PREFIX lines for the predeclared prefixes it uses.

    The endpoint knows them; the editor, which checks the syntax, does not.

    >>> with_prefixes("SELECT * { ?s a aia:Article }")
    'PREFIX aia: <https://w3id.org/aiaccess/ontology#>\\n\\nSELECT * { ?s a aia:Article }'
    """
    used = [p for p in PREFIXES if re.search(rf"(?<![\w.:-]){p}:", text)]
    lines = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used)
    return f"{lines}\n{text}" if lines else text
