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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import jinja2
import pyoxigraph as ox
from starlette.templating import Jinja2Templates

from aiaccess.namespaces import AIA, OWL, RDFS, SKOS
from aiaccess.server.annotated import article
from aiaccess.server.chrome import Chrome, translator
from aiaccess.server.citation import bibtex
from aiaccess.server.downloads import Download
from aiaccess.server.index import HAS_BODY, TYPE, Index
from aiaccess.server.reading import (
    ROWS,
    WORDS,
    Link,
    Reading,
    Text,
    compact,
    group,
    tables,
    timeline,
)
from aiaccess.void import LICENSE

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
    environment.globals["words"] = WORDS
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


def resource(
    iri: str, index: Index, site: Site, alternates: dict[str, str], text: str | None = None
) -> str:
    """Return the page of one resource: an article, a fact, an entity, or any other.

    :param text: the article's text, when ``iri`` is an article whose seed is known.
    """
    reading = Reading(index, site.href, site.languages)
    context = {"subject": reading.link(iri), "alternates": alternates}
    path = site.href(iri) or "/"
    types = index.types(iri)
    if AIA + "Article" in types:
        shaped = article(reading, iri, text)
        return render("article.html", site.languages, path, article=shaped, **context)
    if reading.is_fact(iri):
        fact = reading.fact(iri)
        related = reading.facts_about(iri)
        entries = timeline([fact, *related])
        return render(
            "fact.html",
            site.languages,
            path,
            fact=fact,
            groups=group(related),
            timeline=entries,
            **context,
        )
    if index.registered(iri):
        return _entity(reading, iri, path, context)
    return render(
        "resource.html",
        site.languages,
        path,
        types=[reading.link(t) for t in types],
        statements=tables(reading, index.subjects.get(iri, []), iri, incoming=False),
        contents=_contents(reading, iri),
        incoming=tables(reading, _pointing_at(index, iri), iri, incoming=True),
        **context,
    )


def _entity(reading: Reading, iri: str, path: str, context: dict[str, object]) -> str:
    """Return the page of an entity of the registry: what it is, its facts, its mentions."""
    facts = reading.facts_about(iri)
    index = reading.index
    own = [q for q in index.subjects.get(iri, []) if q.predicate.value not in _SHOWN_ABOVE]
    return render(
        "entity.html",
        reading.languages,
        path,
        types=[reading.link(t) for t in index.types(iri)],
        labels=reading.labels(iri),
        same_as=reading.same_as(iri),
        about=tables(reading, own, iri, incoming=False),
        groups=group(facts),
        timeline=timeline(facts),
        mentions=reading.mentions(iri),
        **context,
    )


_SHOWN_ABOVE = {TYPE, RDFS + "label", OWL + "sameAs", AIA + "surfaceForm", SKOS + "prefLabel"}
"""An entity's statements its page shows in its heading, not in its table."""


def _pointing_at(index: Index, iri: str) -> list[ox.Quad]:
    """Return the statements pointing at ``iri``, annotation bodies aside."""
    return [q for q in index.objects.get(iri, []) if q.predicate.value != HAS_BODY]


def _contents(reading: Reading, iri: str) -> list[Link]:
    """Return the resources a named graph describes (none if ``iri`` is not a graph)."""
    quads = reading.index.graphs.get(iri, [])
    subjects = sorted({q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)})
    return [reading.link(s) for s in subjects[:ROWS]]


def home(
    title: str,
    description: str,
    sections: list[tuple[str, list[str]]],
    index: Index,
    site: Site,
    downloads: Sequence[Download] = (),
) -> str:
    """Return the home page: what the dataset is, where to get it, how to cite it.

    :param sections: the resources to list, under the class each section is named after.
    """
    reading = Reading(index, site.href, site.languages)
    year = max((d.modified for d in downloads), default=0)
    listed = [(_heading(reading, kind), [reading.link(i) for i in iris]) for kind, iris in sections]
    query = (STATIC / CHART_QUERY).read_text(encoding="utf-8")
    return render(
        "home.html",
        site.languages,
        "/",
        title=title,
        description=description,
        endpoint=site.endpoint,
        endpoint_path=ENDPOINT_PATH,
        downloads=list(downloads),
        sections=listed,
        chart_query=query,
        chart_editor=f"{ENDPOINT_PATH}?{urlencode({'query': query, 'view': 'chart'})}",
        bibtex=bibtex(datetime.fromtimestamp(year, UTC).year),
        styles=["views.css"],
        scripts=["chartjs/chart.umd.min.js", "views.js", "page-views.js"],
    )


def _heading(reading: Reading, kind: str) -> Text:
    """Return the heading of a home page section: the name of its class."""
    return reading.name(kind) or Text(compact(kind), "en")
