"""Reading the articles' temporal statements as constraints of a temporal network.

Three kinds of statement place facts in time, each with its quotes:

* a time expression (``aia:TimeExpression``, TimeML TIMEX3): a calendar value as
  written, or a period relative to an article's own date;
* a temporal link (``aia:TemporalLink``, TimeML TLINK): an order, or a distance
  in days, between two dates of facts;
* a report: an article reporting an event (``aia:Event``, certainty reported)
  says it happened on or before the article's own date.

Each becomes a constraint of :mod:`aiaccess.temporal_network`, ranked by trust
(the order in which the network accepts them, see :data:`RANKS`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox

from aiaccess.errors import DataError
from aiaccess.graphindex import GraphIndex, Props
from aiaccess.namespaces import AIA, ARTICLE_GRAPH, ID, OA, RDF, SCHEMA, XSD
from aiaccess.temporal_network import Constraint, Distance, InPeriod, Period, Point, Within

PUBLISHED, MODIFIED = SCHEMA + "datePublished", SCHEMA + "dateModified"
START, END = SCHEMA + "startDate", SCHEMA + "endDate"
TIME_EXPRESSION, TEMPORAL_LINK = AIA + "TimeExpression", AIA + "TemporalLink"

RANKS = {"dateline": 0, "stated": 1, "report": 2, "link": 3, "relative": 4}
"""The order of trust in which constraints are added: an article's printed date,
a date stated with its year, "an article reports what happened by its date",
links between facts, and last expressions relative to an article's date."""

PRECISION = {
    XSD + "date": 0,
    XSD + "dateTime": 0,
    XSD + "gYearMonth": 1,
    XSD + "gYear": 2,
    XSD + "gMonthDay": 3,
    XSD + "gMonth": 4,
}
"""How precisely a stated value dates a point (lower is more precise)."""

Graph = dict[str, Props]
"""subject -> its properties, in one graph."""
Index = dict[str, Graph]
"""graph -> its subjects."""


@dataclass(frozen=True)
class Article:
    """An article: its IRI, graph, language and the point its relative dates refer to."""

    iri: str
    graph: str
    language: str
    anchor: Point


@dataclass(frozen=True)
class Source:
    """Where a constraint comes from: the statement, its article, its quotes."""

    ident: str
    kind: str
    article: Article
    point: Point
    statements: tuple[str, ...]
    evidence: tuple[str, ...]
    quotes: tuple[tuple[str, str], ...]
    precision: int = 9
    stated: ox.Literal | None = None
    meaning: str = ""
    """How the build reads it: ``--06-13 in the year of the zh article's date``."""

    def wording(self) -> str:
        """The source's words, gloss and reading: ``zh: “6月13日” (13 June) = --06-13 in …``."""
        words = "; ".join(f"“{exact}” ({gloss})" for exact, gloss in self.quotes)
        said = f"{self.article.language}: {words}" if words else self.article.language
        return f"{said} = {self.meaning}" if self.meaning else said


@dataclass(frozen=True)
class Reading:
    """The constraints read from the dataset, in the order to add them, and their sources."""

    constraints: list[Constraint]
    sources: dict[str, Source]
    articles: dict[str, Article]
    described: dict[str, list[Article]]
    """resource IRI -> the articles whose graph describes it, by language."""
    graphs: Index
    """Every named graph's statements, for naming what the statements concern."""


def read(index: GraphIndex, files: dict[str, Path]) -> Reading:
    """Read every temporal statement of the article graphs as ranked constraints.

    :raises DataError: if a statement cannot be read as a constraint (a year-less
        value with no anchor, a relative period with no anchor, …).
    """
    graphs = index.by_iri
    articles = _articles(graphs)
    sources: dict[str, Source] = {}
    constraints: list[tuple[int, str, Constraint]] = []
    for article in articles.values():
        graph = graphs[article.graph]
        slug = article.graph.removeprefix(ARTICLE_GRAPH)
        shown = files.get(article.graph, Path("data", "articles", f"{slug}.ttl"))
        for subject, props in sorted(graph.items()):
            for constraint, source in _statements(graphs, article, articles, subject, props, shown):
                sources[constraint.ident] = source
                constraints.append((RANKS[source.kind], constraint.ident, constraint))
    constraints.sort(key=lambda item: (item[0], item[1]))
    described = _described(graphs, articles)
    return Reading([c for _, _, c in constraints], sources, articles, described, graphs)


def _articles(graphs: Index) -> dict[str, Article]:
    """Find each graph's article, its language and the point its relative dates refer to."""
    found = {}
    for graph, subjects in sorted(graphs.items()):
        for subject, props in subjects.items():
            if ox.NamedNode(AIA + "Article") in props.get(RDF + "type", []):
                language = _literal(props, SCHEMA + "inLanguage")
                if language is not None:
                    found[subject] = Article(
                        subject, graph, language.value, (subject, _dateline(graphs[graph], subject))
                    )
    return found


def _dateline(graph: Graph, article: str) -> str:
    """Return the date an article's relative expressions refer to: the one it prints.

    Its publication date, else its update date when that is all it prints, else
    its (unknown) publication date.
    """
    printed = {
        _iri(props, AIA + "timeProperty")
        for props in graph.values()
        if _iri(props, AIA + "timeOf") == article
    }
    return MODIFIED if MODIFIED in printed and PUBLISHED not in printed else PUBLISHED


def _described(graphs: Index, articles: dict[str, Article]) -> dict[str, list[Article]]:
    """Map each typed resource to the articles describing it, sorted by language."""
    found: dict[str, list[Article]] = defaultdict(list)
    for article in sorted(articles.values(), key=lambda a: a.language):
        for subject, props in graphs[article.graph].items():
            if RDF + "type" in props and subject not in {s.iri for s in found[subject]}:
                found[subject].append(article)
    return found


def _statements(
    graphs: Index,
    article: Article,
    articles: dict[str, Article],
    subject: str,
    props: Props,
    shown: Path,
) -> list[tuple[Constraint, Source]]:
    """Return the constraints one resource of an article graph states."""
    types = {t.value for t in props.get(RDF + "type", []) if isinstance(t, ox.NamedNode)}
    graph = graphs[article.graph]
    if TIME_EXPRESSION in types:
        return [_expression(graph, article, articles, subject, props, shown)]
    if TEMPORAL_LINK in types:
        return [_link(graph, article, subject, props, shown)]
    reported = ox.NamedNode(AIA + "Reported") in props.get(AIA + "certainty", [])
    if AIA + "Event" in types and reported:
        return [_report(graph, article, subject)]
    return []


def _expression(
    graph: Graph,
    article: Article,
    articles: dict[str, Article],
    subject: str,
    props: Props,
    shown: Path,
) -> tuple[Constraint, Source]:
    """Read one time expression as a fixed interval or a period relative to its anchor."""
    point = _point(props, AIA + "timeOf", AIA + "timeProperty", subject, shown)
    value = _literal(props, AIA + "statedValue")
    period = _iri(props, AIA + "relativePeriod")
    anchor_iri = _iri(props, AIA + "anchor")
    anchor = articles[anchor_iri].anchor if anchor_iri in articles else None
    evidence, quotes = _evidence(graph, props)
    precision = PRECISION.get(value.datatype.value, 9) if value is not None else 5
    if value is not None and precision <= 2:
        first, last = extent(value)
        kind = "dateline" if point[0] in articles else "stated"
        source = Source(
            subject,
            kind,
            article,
            point,
            (subject,),
            evidence,
            quotes,
            precision,
            value,
            value.value,
        )
        return Within(subject, point, first, last), source
    if anchor is None or anchor_iri is None:
        raise DataError(shown, f"<{subject}> is relative (no year) but has no aia:anchor article")
    meaning = _meaning(value, period, articles[anchor_iri].language)
    source = Source(
        subject, "relative", article, point, (subject,), evidence, quotes, precision, None, meaning
    )
    return _relative(subject, point, anchor, value, period, shown), source


PERIOD_WORDS = {
    AIA + "SameDay": "the day of",
    AIA + "SameWeek": "the week of",
    AIA + "PreviousMonth": "the month before",
    AIA + "LatePreviousMonth": "the 21st to the end of the month before",
    AIA + "SameYear": "the year of",
    AIA + "PreviousYear": "the year before",
    AIA + "OnOrBefore": "on or before",
}
"""How each relative period reads, before "the xx article's date"."""

RELATION_WORDS = {
    AIA + "Before": "on or before",
    AIA + "After": "on or after",
    AIA + "ImmediatelyBefore": "the day before",
    AIA + "ImmediatelyAfter": "the day after",
    AIA + "Simultaneous": "the same day as",
}
"""How each temporal link reads, before the related date."""


def _meaning(value: ox.Literal | None, period: str | None, language: str) -> str:
    """Say how a relative expression is read: ``--06-13 in the year of the zh article's date``."""
    anchor = f"the {language} article's date"
    if value is not None:
        year = "the year before" if period == AIA + "PreviousYear" else "the year of"
        return f"{value.value} in {year} {anchor}"
    return f"{PERIOD_WORDS.get(period or '', 'relative to')} {anchor}"


def _relative(
    ident: str,
    point: Point,
    anchor: Point,
    value: ox.Literal | None,
    period: str | None,
    shown: Path,
) -> Constraint:
    """Return the constraint of a value or period relative to an article's date."""
    if value is not None:
        offset = {None: 0, AIA + "SameYear": 0, AIA + "PreviousYear": -1}.get(period)
        if offset is None:
            raise DataError(
                shown, f"<{ident}>: a year-less value takes no aia:relativePeriod <{period}>"
            )
        return InPeriod(ident, point, anchor, _in_year(value, offset))
    distances = {
        AIA + "SameDay": (anchor, point, 0, 0),
        AIA + "SameWeek": (anchor, point, -6, 6),
        AIA + "OnOrBefore": (point, anchor, 0, None),
    }
    if period in distances:
        earlier, later, least, most = distances[period]
        return Distance(ident, earlier, later, least, most)
    periods = {
        AIA + "SameYear": _year(0),
        AIA + "PreviousYear": _year(-1),
        AIA + "PreviousMonth": _previous_month(1),
        AIA + "LatePreviousMonth": _previous_month(21),
    }
    if period not in periods:
        raise DataError(shown, f"<{ident}> needs an aia:statedValue or a known aia:relativePeriod")
    return InPeriod(ident, point, anchor, periods[period])


def _link(
    graph: Graph,
    article: Article,
    subject: str,
    props: Props,
    shown: Path,
) -> tuple[Constraint, Source]:
    """Read one temporal link as a distance in days between two points."""
    one = _point(props, AIA + "timeOf", AIA + "timeProperty", subject, shown)
    other = _point(props, AIA + "relatedTo", AIA + "relatedProperty", subject, shown)
    least, most = _days(props, AIA + "minDays"), _days(props, AIA + "maxDays")
    relations = {
        AIA + "Before": (one, other, least or 0, most),
        AIA + "After": (other, one, least or 0, most),
        AIA + "ImmediatelyBefore": (one, other, 1, 1),
        AIA + "ImmediatelyAfter": (other, one, 1, 1),
        AIA + "Simultaneous": (one, other, 0, 0),
    }
    relation = _iri(props, AIA + "relType")
    if relation not in relations:
        raise DataError(shown, f"<{subject}> needs an aia:relType of aia:TemporalRelationScheme")
    earlier, later, low, high = relations[relation]
    evidence, quotes = _evidence(graph, props)
    meaning = f"{RELATION_WORDS[relation]} {other[0].removeprefix(ID)} {_change(other[1])}"
    if least is not None or most is not None:
        apart = f"at least {least or 0}" if most is None else f"{least or 0} to {most}"
        meaning += f" ({apart} day{'' if (most or least) == 1 else 's'} apart)"
    source = Source(subject, "link", article, one, (subject,), evidence, quotes, 6, None, meaning)
    return Distance(subject, earlier, later, low, high), source


def _report(
    graph: Graph,
    article: Article,
    event: str,
) -> tuple[Constraint, Source]:
    """An article that reports an event says it happened on or before the article's date."""
    ident = f"report {article.language} {event}"
    evidence, _ = _evidence(graph, graph[event])
    point = (event, START)
    source = Source(ident, "report", article, point, (article.iri, *evidence), evidence, ())
    return Distance(ident, point, article.anchor, 0, None), source


def _evidence(graph: Graph, props: Props) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Return a statement's evidence IRIs and their (quote, gloss) pairs, in text order."""
    found = []
    for node in props.get(AIA + "evidence", []):
        if not isinstance(node, ox.NamedNode):
            continue
        annotation = graph.get(node.value, {})
        target = graph.get(_iri(annotation, OA + "hasTarget") or "", {})
        selectors = [
            graph.get(s.value, {})
            for s in target.get(OA + "hasSelector", [])
            if isinstance(s, ox.NamedNode)
        ]
        exact = next((v for s in selectors if (v := _literal(s, OA + "exact"))), None)
        start = next((v for s in selectors if (v := _literal(s, OA + "start"))), None)
        gloss = _literal(annotation, AIA + "gloss")
        if exact is not None and gloss is not None:
            found.append((int(start.value) if start else 0, node.value, exact.value, gloss.value))
    found.sort()
    return tuple(f[1] for f in found), tuple((f[2], f[3]) for f in found)


CHANGES = {START: "start", END: "end", PUBLISHED: "published", MODIFIED: "modified"}
"""The short name of each date property, in timeline order."""


def _change(prop: str) -> str:
    """Name a date property briefly: ``start``, ``end``, ``published``, ``modified``."""
    return CHANGES.get(prop, prop)


def _point(
    props: Props,
    resource: str,
    prop: str,
    subject: str,
    shown: Path,
) -> Point:
    """Return the point a statement names with ``resource`` and ``prop``."""
    what, which = _iri(props, resource), _iri(props, prop)
    if what is None or which is None:
        raise DataError(shown, f"<{subject}> needs <{resource}> and <{prop}>")
    return (what, which)


def _iri(props: Props, predicate: str) -> str | None:
    """Return the first IRI value of ``predicate``, if any."""
    return next((v.value for v in props.get(predicate, []) if isinstance(v, ox.NamedNode)), None)


def _literal(props: Props, predicate: str) -> ox.Literal | None:
    """Return the first literal value of ``predicate``, if any."""
    return next((v for v in props.get(predicate, []) if isinstance(v, ox.Literal)), None)


def _days(props: Props, predicate: str) -> int | None:
    """Return an integer number of days, if given."""
    value = _literal(props, predicate)
    return int(value.value) if value is not None else None


def extent(value: ox.Literal) -> tuple[int, int]:
    """Return the first and last day of a value with a year (a day, month or year).

    >>> month = ox.Literal("2024-02", datatype=ox.NamedNode(XSD + "gYearMonth"))
    >>> [date.fromordinal(d).isoformat() for d in extent(month)]
    ['2024-02-01', '2024-02-29']
    """
    text = value.value
    if value.datatype.value == XSD + "gYear":
        year = int(text[:4])
        return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    if value.datatype.value == XSD + "gYearMonth":
        first = date(int(text[:4]), int(text[5:7]), 1)
        return first.toordinal(), _month_end(first).toordinal()
    day = date.fromisoformat(text[:10]).toordinal()
    return day, day


def _in_year(value: ox.Literal, offset: int) -> Period:
    """The period a year-less value (``--07-09``, ``--01``) names in the anchor year + offset."""
    month = int(value.value[2:4])
    day = int(value.value[5:7]) if value.datatype.value == XSD + "gMonthDay" else None

    def period(anchor: int) -> tuple[int, int]:
        year = date.fromordinal(anchor).year + offset
        if day is not None:
            found = _clamped(year, month, day).toordinal()
            return found, found
        first = date(year, month, 1)
        return first.toordinal(), _month_end(first).toordinal()

    return period


def _year(offset: int) -> Period:
    """The anchor's calendar year plus ``offset``."""

    def period(anchor: int) -> tuple[int, int]:
        year = date.fromordinal(anchor).year + offset
        return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()

    return period


def _previous_month(first_day: int) -> Period:
    """The month before the anchor's, from day ``first_day`` to its end."""

    def period(anchor: int) -> tuple[int, int]:
        last = date.fromordinal(anchor).replace(day=1) - timedelta(days=1)
        return last.replace(day=first_day).toordinal(), last.toordinal()

    return period


def _month_end(first: date) -> date:
    """Return the last day of ``first``'s month."""
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _clamped(year: int, month: int, day: int) -> date:
    """Return the date, with 29 February read as 28 February in common years."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, day - 1)
