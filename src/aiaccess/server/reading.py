"""What the pages say about a resource, shaped for the templates: names, facts, mentions.

A *fact* is a resource an article reports (it has an ``aia:certainty`` in an
article's graph). Several articles may report the same fact: each article's
graph holds that article's *statement* of it, with its own values, quotes and
certainty. :class:`Reading` turns the :class:`~aiaccess.server.index.Index`
into plain data — links with names in the reader's language, statements side
by side with the values the sources disagree on marked — and the templates lay
it out. Nothing here writes HTML.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from aiaccess.namespaces import AIA, GRAPH, ID, ORG, OWL, PREFIXES, RDFS, SCHEMA, WD, XSD
from aiaccess.server.chrome import direction
from aiaccess.server.index import HAS_BODY, TYPE, Index, Quote, value_of

CERTAINTY = AIA + "certainty"
EVIDENCE = AIA + "evidence"
NOTE = AIA + "note"
TIME_OF = AIA + "timeOf"
TIME_PROPERTY = AIA + "timeProperty"
DATE_STATUS = AIA + "dateStatus"
DERIVED = AIA + "Derived"
DATE_TEXT = AIA + "dateText"
EARLIEST = AIA + "earliestDate"
LATEST = AIA + "latestDate"
MENTION = AIA + "Mention"
_HIDDEN = {TYPE, RDFS + "label", EVIDENCE, CERTAINTY, NOTE}
"""Properties a statement shows elsewhere than in its list of values."""
_NOT_ABOUT = {HAS_BODY, AIA + "mentionOf", AIA + "mentions", EVIDENCE}
"""Links to a resource that do not make a fact about it (annotations, the mention index)."""

DATES = {XSD + "date", XSD + "gYearMonth", XSD + "gYear", XSD + "gMonthDay", XSD + "dateTime"}
"""Datatypes of the dates a timeline shows."""

GROUPS: dict[str, str] = {
    AIA + "AccessRestriction": "Restrictions",
    AIA + "ServiceBan": "Restrictions",
    AIA + "ExportControl": "Restrictions",
    AIA + "Legislation": "Restrictions",
    AIA + "InvestmentRule": "Restrictions",
    AIA + "ModelApproval": "Restrictions",
    AIA + "Regulation": "Restrictions",
    AIA + "Policy": "Restrictions",
    AIA + "ContinuedAccessRoute": "Routes",
    AIA + "MigrationOffer": "Offers",
    AIA + "Relationship": "Relations",
    AIA + "Partnership": "Relations",
    AIA + "OperatingArrangement": "Relations",
    AIA + "Investment": "Relations",
    AIA + "RevenueShare": "Relations",
    AIA + "Membership": "Roles",
    AIA + "Event": "Events",
    AIA + "Claim": "Claims",
    AIA + "Quantity": "Quantities",
}
"""The group each class of fact is shown in (English messages of the chrome)."""

ORDER = ("Restrictions", "Routes", "Offers", "Relations", "Roles", "Events", "Claims")
"""The order of the groups; "Quantities" and "Other facts" follow."""

_COMPACT = {**PREFIXES, "id": ID, "graph": GRAPH}

WORDS: dict[str, str] = {
    SCHEMA + "headline": "headline",
    SCHEMA + "inLanguage": "language",
    SCHEMA + "datePublished": "published",
    SCHEMA + "dateModified": "updated",
    SCHEMA + "author": "author",
    SCHEMA + "publisher": "publisher",
    SCHEMA + "url": "address",
    SCHEMA + "isBasedOn": "credits",
    SCHEMA + "isPartOf": "part of",
    SCHEMA + "articleSection": "section",
    SCHEMA + "startDate": "start date",
    SCHEMA + "endDate": "end date",
    SCHEMA + "text": "text",
    SCHEMA + "description": "description",
    SCHEMA + "value": "value",
    SCHEMA + "minValue": "at least",
    SCHEMA + "maxValue": "at most",
    SCHEMA + "unitText": "unit",
    SCHEMA + "jobTitle": "job title",
    ORG + "member": "member",
    ORG + "organization": "organization",
    ORG + "role": "role",
}
"""Names for the reused vocabularies' properties the ontology does not label (chrome messages)."""


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


@dataclass(frozen=True)
class Text:
    """Text in a language (``lang`` empty when unknown), and its writing direction."""

    text: str
    lang: str = ""

    @property
    def dir(self) -> str:
        """Return ``"rtl"`` or ``"ltr"``; ``"auto"`` when the language is unknown."""
        return direction(self.lang) if self.lang else "auto"


@dataclass(frozen=True)
class Names:
    """A label, and the languages whose label it is."""

    text: Text
    langs: list[str]


@dataclass(frozen=True)
class Link:
    """A resource as a page shows it: its name (or compact IRI) and where it links."""

    iri: str
    href: str | None
    name: Text | None
    tag: str = ""
    """A short tag for an article: its language, shown where the article is a source."""

    @property
    def compact(self) -> str:
        """Return the IRI with a known prefix."""
        return compact(self.iri)


@dataclass(frozen=True)
class Value:
    """One object of a statement: a resource, or a literal with its datatype if notable."""

    link: Link | None = None
    text: Text | None = None
    datatype: str | None = None


@dataclass(frozen=True)
class Quotation:
    """One evidence quote: the source's words, their English gloss, where they are."""

    exact: Text
    gloss: Text | None
    source: Link | None
    href: str | None
    """The article's page at the quote, or None when its offsets are unknown."""


@dataclass(frozen=True)
class Property:
    """One property's values in one statement; ``differs`` when another source says otherwise."""

    predicate: Link
    values: list[Value]
    differs: bool = False


@dataclass(frozen=True)
class Statement:
    """One source's statement of a fact."""

    source: Link | None
    label: Text | None
    certainty: Link | None
    properties: list[Property]
    quotes: list[Quotation]
    notes: list[Text]


@dataclass(frozen=True)
class Dated:
    """A date a source gives for a fact."""

    date: str
    predicate: Link
    fact: Link
    source: Link | None


@dataclass(frozen=True)
class Moment:
    """One entry of a timeline: a date of a fact, and the sources that give it."""

    date: str
    predicate: Link
    fact: Link
    sources: list[Link]
    derived: Link | None = None
    """The derived date this entry shows (its bounds, computed from the articles), if it is one."""
    shown: str = ""
    """How a derived date reads ("2024-06-14 – 2024-06-28", "before 2024-08-23")."""

    @property
    def yearless(self) -> bool:
        """Tell whether the source gives a day without its year (``--MM-DD``)."""
        return self.date.startswith("--")

    @property
    def word(self) -> str | None:
        """Return the English message saying what the date is ("from", "until"…), if known."""
        return DATE_WORDS.get(self.predicate.iri)

    @property
    def key(self) -> tuple[int, str, str]:
        """Return the sort key: dates with a year in order, then those without (``--MM-DD``)."""
        return (1 if self.date.startswith("--") else 0, self.date.lstrip("-"), self.fact.iri)


DATE_WORDS = {
    SCHEMA + "startDate": "from",
    SCHEMA + "endDate": "until",
    SCHEMA + "datePublished": "published",
    SCHEMA + "dateModified": "updated",
}
"""What a date property means, as a message of the chrome."""


@dataclass(frozen=True)
class Derivation:
    """A date of a fact no source states but the articles together bound (``aia:DerivedDate``)."""

    link: Link
    predicate: Link
    text: str
    earliest: str | None
    latest: str | None


@dataclass(frozen=True)
class Fact:
    """A fact with every source's statement of it."""

    link: Link
    kind: Link | None
    group: str
    statements: list[Statement]
    disputed: list[Link] = field(default_factory=list)
    """The properties the sources give different values for."""
    derived: list[Derivation] = field(default_factory=list)
    """The dates of the fact no source states, bounded from what the articles say."""

    @property
    def dates(self) -> list[Dated]:
        """Return the dates the statements give, each with its source."""
        return [
            Dated(v.text.text, p.predicate, self.link, s.source)
            for s in self.statements
            for p in s.properties
            for v in p.values
            if v.text is not None and v.datatype in DATES
        ]


@dataclass(frozen=True)
class Spot:
    """One place in an article's text: its offsets and the link to it."""

    start: int
    end: int
    href: str | None


@dataclass(frozen=True)
class Mentions:
    """Where one article names a resource, in text order, nested forms counted once."""

    article: Link
    spots: list[Spot]

    FIRST = 5
    """How many spots a summary shows before "more"."""

    @property
    def first(self) -> list[Spot]:
        """Return the first spots, shown without expanding."""
        return self.spots[: self.FIRST]

    @property
    def rest(self) -> list[Spot]:
        """Return the spots after the first."""
        return self.spots[self.FIRST :]


@dataclass(frozen=True)
class Group:
    """The facts of one kind (a heading on a page)."""

    name: str
    facts: list[Fact]


class Reading:
    """The index read for one reader: names in their languages, links to this server."""

    def __init__(
        self, index: Index, href: Callable[[str], str | None], languages: tuple[str, ...]
    ) -> None:
        self.index = index
        self.href = href
        self.languages = languages

    def name(self, iri: str) -> Text | None:
        """Return the name of ``iri`` in the reader's language if it has one."""
        found = self.index.name(iri, self.languages)
        return Text(*found) if found else None

    def link(self, iri: str) -> Link:
        """Return the link to ``iri`` with its name."""
        return Link(iri, self.href(iri), self.name(iri), self.index.written_in.get(iri, ""))

    def value(self, term: object) -> Value:
        """Return one RDF term as a value to show."""
        if isinstance(term, ox.NamedNode):
            return Value(link=self.link(term.value))
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            plain = datatype.endswith(("#string", "#langString"))
            return Value(
                text=Text(term.value, term.language or ""), datatype=None if plain else datatype
            )
        return Value(text=Text(str(term)))

    def labels(self, iri: str) -> list[Names]:
        """Return the labels of ``iri``: each text once, with the languages that use it."""
        found = self.index.labels.get(iri, {})
        langs: dict[str, list[str]] = defaultdict(list)
        for lang, text in sorted(found.items(), key=_english_first):
            langs[text].append(lang)
        return [Names(Text(text, tags[0]), tags) for text, tags in langs.items()]

    def same_as(self, iri: str) -> list[Link]:
        """Return the Wikidata entities ``iri`` is the same as."""
        return [
            Link(value_of(q.object), value_of(q.object), None)
            for q in self.index.subjects.get(iri, ())
            if q.predicate.value == OWL + "sameAs" and value_of(q.object).startswith(WD)
        ]

    def fact(self, iri: str) -> Fact:
        """Return the fact ``iri`` with every source's statement of it, in source order."""
        by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
        for quad in self.index.subjects.get(iri, ()):
            if value_of(quad.subject) == iri and isinstance(quad.graph_name, ox.NamedNode):
                by_graph[quad.graph_name.value].append(quad)
        graphs = sorted(g for g, quads in by_graph.items() if _is_statement(quads))
        differing = _differing(by_graph[g] for g in graphs)
        quotes = self.index.quotes(iri)
        statements = [self._statement(g, by_graph[g], quotes, differing) for g in graphs]
        kind = self._kind(iri)
        group = GROUPS.get(kind.iri, "Other facts") if kind else "Other facts"
        disputed = [self.link(p) for p in sorted(differing)]
        return Fact(self.link(iri), kind, group, statements, disputed, self.derivations(iri))

    def derivations(self, iri: str) -> list[Derivation]:
        """Return the derived (not stated) dates of the fact ``iri``, from the temporal graph."""
        found = []
        for quad in self.index.objects.get(iri, ()):
            if quad.predicate.value != TIME_OF or not isinstance(quad.subject, ox.NamedNode):
                continue
            values = {
                q.predicate.value: value_of(q.object)
                for q in self.index.subjects.get(quad.subject.value, ())
                if value_of(q.subject) == quad.subject.value
            }
            if values.get(DATE_STATUS) == DERIVED and TIME_PROPERTY in values:
                found.append(
                    Derivation(
                        self.link(quad.subject.value),
                        self.link(values[TIME_PROPERTY]),
                        values.get(DATE_TEXT, ""),
                        values.get(EARLIEST),
                        values.get(LATEST),
                    )
                )
        return sorted(found, key=lambda d: d.link.iri)

    def is_fact(self, iri: str) -> bool:
        """Tell whether an article reports ``iri`` (and it is not an article itself)."""
        quads = [q for q in self.index.subjects.get(iri, ()) if value_of(q.subject) == iri]
        return any(q.predicate.value == CERTAINTY for q in quads) and not any(
            q.predicate.value == TYPE and value_of(q.object) == AIA + "Article" for q in quads
        )

    def facts_about(self, iri: str) -> list[Fact]:
        """Return the facts that name ``iri`` as one of their values."""
        subjects = {
            value_of(q.subject)
            for q in self.index.objects.get(iri, ())
            if q.predicate.value not in _NOT_ABOUT and isinstance(q.subject, ox.NamedNode)
        }
        return [self.fact(s) for s in sorted(subjects) if self.is_fact(s)]

    def mentions(self, iri: str) -> list[Mentions]:
        """Return where each article names ``iri``, articles in order of IRI."""
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for quote in self.index.quotes(iri):
            if quote.kind == MENTION and quote.source and quote.start is not None:
                spans[quote.source].append((quote.start, quote.end or quote.start))
        found = []
        for article, located in sorted(spans.items()):
            link = self.link(article)
            spots = [Spot(s, e, _at(link, "m", s)) for s, e in outermost(located)]
            found.append(Mentions(link, spots))
        return found

    def _kind(self, iri: str) -> Link | None:
        """Return the most telling class of a fact: a grouped one if it has one."""
        types = self.index.types(iri)
        grouped = [t for t in types if t in GROUPS]
        chosen = grouped or [t for t in types if t != AIA + "ReportedFact"]
        return self.link(chosen[0]) if chosen else None

    def _statement(
        self, graph: str, quads: list[ox.Quad], quotes: list[Quote], differing: set[str]
    ) -> Statement:
        """Return what the article whose graph is ``graph`` says about a fact."""
        article = self.index.articles.get(graph)
        values: dict[str, list[Value]] = defaultdict(list)
        label = certainty = None
        notes = []
        for quad in quads:
            predicate = quad.predicate.value
            if predicate == RDFS + "label" and isinstance(quad.object, ox.Literal):
                label = Text(quad.object.value, quad.object.language or "")
            elif predicate == CERTAINTY:
                certainty = self.link(value_of(quad.object))
            elif predicate == NOTE and isinstance(quad.object, ox.Literal):
                notes.append(Text(quad.object.value, quad.object.language or ""))
            elif predicate not in _HIDDEN:
                values[predicate].append(self.value(quad.object))
        properties = [
            Property(self.link(p), vs, p in differing) for p, vs in sorted(values.items())
        ]
        mine = sorted((q for q in quotes if q.graph == graph), key=lambda q: q.start or 0)
        quotations = [self.quotation(q) for q in mine]
        source = self.link(article) if article else None
        return Statement(source, label, certainty, properties, quotations, notes)

    def quotation(self, quote: Quote) -> Quotation:
        """Return one evidence quote as a page shows it."""
        exact = quote.exact
        text = Text(exact.value, exact.language or "") if exact else Text("")
        gloss = Text(quote.gloss.value, quote.gloss.language or "") if quote.gloss else None
        source = self.link(quote.source) if quote.source else None
        href = _at(source, "q", quote.start) if source and quote.start is not None else None
        return Quotation(text, gloss, source, href)


def group(facts: Iterable[Fact]) -> list[Group]:
    """Return ``facts`` by group, in the order of :data:`ORDER`, each fact once."""
    groups: dict[str, dict[str, Fact]] = defaultdict(dict)
    for fact in facts:
        groups[fact.group].setdefault(fact.link.iri, fact)
    order = [*ORDER, "Quantities", "Other facts"]
    return [Group(name, list(groups[name].values())) for name in order if groups.get(name)]


def timeline(facts: Iterable[Fact]) -> list[Moment]:
    """Return the dates of ``facts`` in time order, those without a year last; a date
    several sources give for a fact is one entry naming them all. Derived dates (bounds
    no source states) are entries of their own, placed at their earliest day."""
    facts = list(facts)
    sources: dict[tuple[str, Link, Link], list[Link]] = defaultdict(list)
    for dated in (d for f in facts for d in f.dates):
        found = sources[(dated.date, dated.predicate, dated.fact)]
        if dated.source is not None and dated.source not in found:
            found.append(dated.source)
    moments = [Moment(date, p, fact, found) for (date, p, fact), found in sources.items()]
    for fact in facts:
        moments += [
            Moment(d.earliest or d.latest or "", d.predicate, fact.link, [], d.link, d.text)
            for d in fact.derived
        ]
    return sorted(moments, key=lambda m: m.key)


def outermost(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return ``spans`` in text order without those inside another (a nested form).

    >>> outermost([(10, 13), (4, 13), (20, 25)])
    [(4, 13), (20, 25)]
    """
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if kept and start >= kept[-1][0] and end <= kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


def _at(page: Link, kind: str, start: int) -> str | None:
    """Return the link to the spot at ``start`` of an article's page (``q``: quote,
    ``m``: mention)."""
    return f"{page.href}#{kind}{start}" if page.href else None


def _is_statement(quads: list[ox.Quad]) -> bool:
    """Tell whether a graph's quads about a resource make a statement of it (an article's)."""
    return any(q.predicate.value == CERTAINTY for q in quads)


def _differing(statements: Iterable[list[ox.Quad]]) -> set[str]:
    """Return the properties two statements give different values for."""
    seen: dict[str, set[frozenset[str]]] = defaultdict(set)
    for quads in statements:
        values: dict[str, set[str]] = defaultdict(set)
        for quad in quads:
            if quad.predicate.value not in _HIDDEN:
                values[quad.predicate.value].add(str(quad.object))
        for predicate, found in values.items():
            seen[predicate].add(frozenset(found))
    return {predicate for predicate, sets in seen.items() if len(sets) > 1}


def _english_first(item: tuple[str, str]) -> tuple[int, str]:
    """Sort key of a (language, label) pair: English, then the others by tag."""
    return (0 if item[0] == "en" else 1, item[0])


@dataclass(frozen=True)
class Row:
    """One statement of a generic resource page: ``subject`` set when it is a part or
    another resource, ``value`` None for a link pointing at the page's resource."""

    subject: Link | None
    predicate: Link
    value: Value | None


@dataclass(frozen=True)
class Table:
    """The statements of one graph (``graph`` None: the default graph)."""

    graph: Link | None
    rows: list[Row]
    more: int
    """How many statements were left out."""


ROWS = 200
"""Rows shown per table; the RDF representations have them all."""


def tables(reading: Reading, quads: Iterable[ox.Quad], iri: str, incoming: bool) -> list[Table]:
    """Return ``quads`` as tables by graph: what they say of ``iri`` (or of what points at it)."""
    groups: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        named = quad.graph_name
        groups[named.value if isinstance(named, ox.NamedNode) else ""].append(quad)
    found = []
    for graph, held in sorted(groups.items()):
        rows = [_row(reading, q, iri, incoming) for q in held[:ROWS]]
        found.append(Table(reading.link(graph) if graph else None, rows, len(held) - len(rows)))
    return found


def _row(reading: Reading, quad: ox.Quad, iri: str, incoming: bool) -> Row:
    """Return one quad as a row of a resource's page."""
    subject = value_of(quad.subject)
    predicate = reading.link(quad.predicate.value)
    if incoming:
        return Row(reading.link(subject), predicate, None)
    part = None if subject == iri else reading.link(subject)
    return Row(part, predicate, reading.value(quad.object))
