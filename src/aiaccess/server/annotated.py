"""An article as its page shows it: metadata, what it reports, and its text annotated.

The text is the seed, unchanged, cut into pieces at every boundary of an
evidence quote, a mention and a line, so that each piece is covered by the
same quotes and at most one mention: the template marks the quoted pieces
(and numbers the facts they back) and links the mentions to their entities,
with no overlapping elements. Offsets are code points, as the annotations'
``oa:TextPositionSelector`` counts them and as Python indexes strings.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from aiaccess.namespaces import AIA, MENTIONS_GRAPH
from aiaccess.server.index import HAS_BODY, value_of
from aiaccess.server.reading import (
    CERTAINTY,
    MENTION,
    Fact,
    Link,
    Reading,
    Statement,
    Text,
    group,
    outermost,
)

EVIDENCE = AIA + "Evidence"
REPORTED = AIA + "Reported"


@dataclass(frozen=True)
class Backing:
    """A fact a quoted stretch of the text backs, with the quote's gloss."""

    number: int
    fact: Link
    gloss: Text | None


@dataclass
class Piece:
    """A stretch of text covered by the same quotes and mention."""

    text: str
    start: int
    backs: list[Backing] = field(default_factory=list)
    """The facts of the quotes covering this piece (empty: not quoted)."""
    mention: Link | None = None
    anchors: list[str] = field(default_factory=list)
    """Ids of the quotes (``q<start>``) and mentions (``m<start>``) starting here."""
    ends: list[Backing] = field(default_factory=list)
    """The facts of the quotes ending with this piece: their reference marks follow it."""


@dataclass(frozen=True)
class Reported:
    """A fact the article reports, numbered as its quotes' marks in the text."""

    number: int
    fact: Fact
    certainty: Link | None = None
    """How sure the article is of it, when it is less than reported (speculated, predicted…)."""


@dataclass(frozen=True)
class ReportGroup:
    """The reported facts of one kind."""

    name: str
    items: list[Reported]


@dataclass(frozen=True)
class Article:
    """Everything an article's page shows."""

    link: Link
    lang: str
    statement: Statement | None
    reports: list[ReportGroup]
    paragraphs: list[list[Piece]]

    @property
    def dir(self) -> str:
        """Return the writing direction of the article's text."""
        return Text("", self.lang).dir if self.lang else "auto"


def article(reading: Reading, iri: str, text: str | None) -> Article:
    """Return the page of the article ``iri``; its text annotated when ``text`` is given."""
    index = reading.index
    graph = next((g for g, a in index.articles.items() if a == iri), "")
    own = reading.fact(iri).statements
    facts = [reading.fact(s) for s in _reported(reading, graph, iri)]
    numbered = {f.link.iri: n for n, f in enumerate(_in_order(facts), start=1)}
    reports = [
        ReportGroup(g.name, [Reported(numbered[f.link.iri], f, _hedged(f, iri)) for f in g.facts])
        for g in group(facts)
    ]
    evidence = _evidence(reading, graph, numbered)
    paragraphs = pieces(text, evidence, _mentions(reading, iri)) if text else []
    lang = _language(own[0] if own else None)
    return Article(reading.link(iri), lang, own[0] if own else None, reports, paragraphs)


def _hedged(fact: Fact, article: str) -> Link | None:
    """Return the article's certainty of ``fact`` unless it simply reports it."""
    for statement in fact.statements:
        if statement.source and statement.source.iri == article and statement.certainty:
            return None if statement.certainty.iri == REPORTED else statement.certainty
    return None


def _in_order(facts: list[Fact]) -> list[Fact]:
    """Return ``facts`` in the order the page lists them (by group)."""
    return [f for g in group(facts) for f in g.facts]


def _reported(reading: Reading, graph: str, article: str) -> list[str]:
    """Return the facts the article's graph states (the article itself aside)."""
    subjects = {
        value_of(q.subject)
        for q in reading.index.graphs.get(graph, [])
        if q.predicate.value == CERTAINTY and value_of(q.subject) != article
    }
    return sorted(subjects)


def _evidence(
    reading: Reading, graph: str, numbered: dict[str, int]
) -> list[tuple[int, int, Backing]]:
    """Return the located evidence quotes of ``graph``, each with the fact it backs."""
    found = []
    for quad in reading.index.graphs.get(graph, []):
        if quad.predicate.value != HAS_BODY:
            continue
        fact = value_of(quad.object)
        quote = reading.index.quote(value_of(quad.subject), graph)
        if quote.kind != EVIDENCE or quote.start is None or quote.end is None:
            continue
        gloss = Text(quote.gloss.value, quote.gloss.language or "") if quote.gloss else None
        backing = Backing(numbered.get(fact, 0), reading.link(fact), gloss)
        found.append((quote.start, quote.end, backing))
    return found


def _mentions(reading: Reading, article: str) -> list[tuple[int, int, Link]]:
    """Return the article's mentions, outermost only, each with its entity."""
    index = reading.index
    spans: dict[tuple[int, int], str] = {}
    for quad in index.graphs.get(MENTIONS_GRAPH, []):
        if quad.predicate.value != HAS_BODY:
            continue
        quote = index.quote(value_of(quad.subject), MENTIONS_GRAPH)
        if quote.kind == MENTION and quote.source == article and quote.start is not None:
            spans.setdefault((quote.start, quote.end or quote.start), value_of(quad.object))
    kept = _disjoint(outermost(spans))
    return [(start, end, reading.link(spans[(start, end)])) for start, end in kept]


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return ``spans`` (in text order) without those overlapping an earlier one.

    >>> _disjoint([(0, 5), (3, 8), (8, 9)])
    [(0, 5), (8, 9)]
    """
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def pieces(
    text: str, evidence: list[tuple[int, int, Backing]], mentions: list[tuple[int, int, Link]]
) -> list[list[Piece]]:
    """Return the text's paragraphs (its non-blank lines), each cut into pieces.

    :param evidence: the quotes' spans, each with the fact it backs.
    :param mentions: non-overlapping mentions, each with its entity.
    """
    cuts = {0, len(text)}
    for start, end, _ in evidence:
        cuts |= {start, end}
    for start, end, _ in mentions:
        cuts |= {start, end}
    cuts |= {i for i, char in enumerate(text) if char == "\n"}
    cuts |= {i + 1 for i, char in enumerate(text) if char == "\n"}
    bounds = sorted(cuts)
    made = {a: Piece(text[a:b], a) for a, b in itertools.pairwise(bounds)}
    _cover(made, evidence)
    for start, end, entity in mentions:
        made[start].anchors.append(f"m{start}")
        for at, piece in made.items():
            if start <= at < end:
                piece.mention = entity
    return _paragraphs(list(made.values()))


def _cover(made: dict[int, Piece], evidence: list[tuple[int, int, Backing]]) -> None:
    """Mark the pieces each quote covers, its first with an anchor, its last with its fact."""
    by_span: dict[tuple[int, int], list[Backing]] = defaultdict(list)
    for start, end, backing in evidence:
        by_span[(start, end)].append(backing)
    for (start, end), backs in sorted(by_span.items()):
        backs.sort(key=lambda b: b.number)
        made[start].anchors.append(f"q{start}")
        inside = [piece for at, piece in made.items() if start <= at < end]
        for piece in inside:
            piece.backs.extend(backs)
        if inside:
            inside[-1].ends.extend(backs)


def _paragraphs(made: list[Piece]) -> list[list[Piece]]:
    """Return the pieces split into lines, blank lines dropped."""
    lines: list[list[Piece]] = [[]]
    for piece in made:
        if piece.text == "\n":
            lines.append([])
        else:
            lines[-1].append(piece)
    return [line for line in lines if "".join(p.text for p in line).strip()]


def _language(statement: Statement | None) -> str:
    """Return the article's language tag (``schema:inLanguage``), or ""."""
    if statement is None:
        return ""
    for prop in statement.properties:
        if prop.predicate.iri.endswith("inLanguage") and prop.values and prop.values[0].text:
            return prop.values[0].text.text
    return ""
