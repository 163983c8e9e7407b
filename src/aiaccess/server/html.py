"""HTML pages for people: resources, the home page and the query form.

Plain server-rendered HTML with a small inline style sheet: no script, no
CDN, nothing fetched. Every piece of text from the data goes through
:func:`html.escape`, and only ``http(s)`` IRIs become links.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape

import pyoxigraph as ox

from aiaccess.namespaces import AIA, GRAPH, ID, PREFIXES
from aiaccess.server.index import HAS_BODY, Index, Quote, value_of

ROWS = 200
"""Rows shown per table before "and N more"; the RDF representations have them all."""

_COMPACT = {**PREFIXES, "id": ID, "graph": GRAPH}
_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}
nav a{margin-right:1rem}h1{font-size:1.6rem;margin-bottom:0}code{font-size:.85em;color:#555}
table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #ddd;padding:.3rem;
text-align:left;vertical-align:top}th{width:30%;font-weight:normal;color:#444}
blockquote{margin:.3rem 0;padding:.3rem .8rem;border-left:3px solid #9ab;background:#f6f8fa}
.context{color:#777}.meta{color:#555;font-size:.9em}textarea{width:100%;font:14px monospace}
"""


@dataclass(frozen=True)
class Site:
    """What every page needs: where things are, and the reader's languages."""

    href: Callable[[str], str | None]
    """The local URL of an IRI, or None when it must not be a link."""
    endpoint: str
    languages: tuple[str, ...] = ()


def page(title: str, body: str, language: str = "en") -> str:
    """Return a complete HTML document around ``body`` (already escaped)."""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        '<nav><a href="/">aiaccess</a><a href="/sparql">SPARQL</a>'
        '<a href="/void.ttl">VoID</a></nav>'
        f"{body}</body></html>\n"
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
    return page(name, "".join(parts), _page_language(site))


def _page_language(site: Site) -> str:
    """Return the language the page is written for."""
    return site.languages[0] if site.languages else "en"


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
    for heading, iris in sections.items():
        items = "".join(f"<li>{link(i, index, site)}</li>" for i in iris)
        parts.append(f"<h2>{escape(heading)}</h2><ul>{items}</ul>")
    return page(title, "".join(parts), _page_language(site))


def query_form(endpoint: str, example: str, downloads: Iterable[str]) -> str:
    """Return the SPARQL query form, sending GET requests to the endpoint."""
    options = "".join(
        f'<option value="{f}">{f.upper()}</option>' for f in ("json", "xml", "csv", "tsv", "turtle")
    )
    files = "".join(f'<li><a href="/{escape(n)}">{escape(n)}</a></li>' for n in downloads)
    body = (
        f"<h1>SPARQL endpoint</h1><p><code>{escape(endpoint)}</code> — SPARQL 1.1 Protocol, "
        "read-only; the default graph is the union of all graphs.</p>"
        '<form method="get" action="/sparql"><p><textarea name="query" rows="12">'
        f"{escape(example)}</textarea></p><p>Results as <select name=format>{options}</select> "
        '<button type="submit">Run query</button></p></form>'
        f"<h2>Downloads</h2><ul>{files}</ul>"
    )
    return page("SPARQL endpoint", body)
