"""The aspects on which sources are compared, and a source's value of each, in words.

An aspect is something a fact's sources may state differently: its type, a date,
an amount, who pays whom, the actor, the audience… Each has the properties that
carry it and a kind saying how two values are judged (:mod:`aiaccess.judging`).
A source's value of an aspect is read from its statements
(:class:`~aiaccess.statements.Statement`) and written in words with the names of
one language (:class:`~aiaccess.naming.Names`): names sorted, a direction as
"payer → payee", an amount as a reader says it ("more than 100", "10–20").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from aiaccess import judging
from aiaccess.graphindex import Term
from aiaccess.namespaces import AIA, ORG, SCHEMA
from aiaccess.naming import Names
from aiaccess.statements import TYPE, Statement

Value = frozenset[object] | judging.Interval
"""A source's value of an aspect: a set of terms (or of directed pairs), or an interval."""


@dataclass(frozen=True)
class Aspect:
    """Something sources may state differently: its name, properties and how to judge it."""

    name: str
    properties: tuple[str, ...]
    kind: str
    """One of: types, sets, actors, dates, amounts, directions, difference, conflict."""

    @property
    def slug(self) -> str:
        """Return the aspect's name as an IRI segment."""
        return self.name.replace(" ", "-")


ASPECTS = (
    Aspect("type", (TYPE, AIA + "eventType"), "types"),
    Aspect("start date", (SCHEMA + "startDate",), "dates"),
    Aspect("end date", (SCHEMA + "endDate",), "dates"),
    Aspect(
        "amount",
        (SCHEMA + "value", SCHEMA + "minValue", AIA + "exclusiveMinValue", SCHEMA + "maxValue"),
        "amounts",
    ),
    Aspect("share percent", (AIA + "sharePercent",), "conflict"),
    Aspect("direction", (AIA + "fromParty", AIA + "toParty"), "directions"),
    Aspect("parties", (AIA + "party",), "sets"),
    Aspect("actor", (AIA + "actor",), "actors"),
    Aspect("claimant", (AIA + "claimant",), "actors"),
    Aspect("operator", (AIA + "operatedBy",), "sets"),
    Aspect("service", (AIA + "service", AIA + "operatedService"), "sets"),
    Aspect("jurisdiction", (AIA + "jurisdiction",), "sets"),
    Aspect("hosted in", (AIA + "hostedIn",), "sets"),
    Aspect("audience", (AIA + "audience",), "sets"),
    Aspect("excluded audience", (AIA + "excludedAudience",), "sets"),
    Aspect("target", (AIA + "target",), "sets"),
    Aspect("member", (ORG + "member", ORG + "organization", ORG + "role"), "sets"),
    Aspect("terms", (AIA + "condition", SCHEMA + "description"), "difference"),
    Aspect("certainty", (AIA + "certainty",), "difference"),
    Aspect("credited outlet", (AIA + "reportedVia",), "sets"),
)
"""The aspects compared for every fact several articles state."""

OUTCOME_ASPECTS = (
    Aspect("actor", (AIA + "actor",), "sets"),
    Aspect("stance", (AIA + "stance",), "conflict"),
)
"""The aspects compared across the facts that bear on one outcome."""


def value_of(aspect: Aspect, group: tuple[Statement, ...]) -> Value | None:
    """Return what a source's statements give for an aspect, or None if nothing."""
    if not any(p in s.values for s in group for p in aspect.properties):
        return None
    if aspect.kind == "amounts":
        return judging.interval(group[0].values)
    if aspect.kind == "directions":
        return frozenset(_pairs(s) for s in group)
    if aspect.kind == "types":
        return frozenset(v for s in group for v in _kinds(s))
    return frozenset(v for s in group for p in aspect.properties for v in s.values.get(p, ()))


def _kinds(statement: Statement) -> frozenset[Term]:
    """Return what kind of fact a statement makes: its event type, else its classes."""
    return statement.values.get(AIA + "eventType") or statement.values.get(TYPE, frozenset())


def _pairs(statement: Statement) -> tuple[Term | None, Term | None]:
    """Return a directed relationship's (from, to), None for a side not named."""
    sides = [sorted(statement.values.get(AIA + p, ()), key=str) for p in ("fromParty", "toParty")]
    return (sides[0][0] if sides[0] else None, sides[1][0] if sides[1] else None)


def terms(value: frozenset[object]) -> frozenset[Term]:
    """Narrow a value set to RDF terms."""
    return frozenset(v for v in value if isinstance(v, ox.NamedNode | ox.Literal))


def texts(aspect: Aspect, value: Value, names: Names) -> dict[str, str]:
    """Return a value in words, in English and in each language that names it otherwise."""
    found = {lang: words(aspect, value, names, lang) for lang in names.languages}
    english = found["en"]
    return {lang: text for lang, text in found.items() if lang == "en" or text != english}


def words(aspect: Aspect, value: Value, names: Names, lang: str) -> str:
    """Return a value in words: names sorted, directions as "payer → payee", amounts as said.

    >>> names = Names({ox.NamedNode("urn:ms"): {"en": "Microsoft", "zh": "微软"}}, ("en", "zh"))
    >>> pays = frozenset({(ox.NamedNode("urn:ms"), ox.NamedNode("urn:x/openai"))})
    >>> words(ASPECTS[5], pays, names, "zh")
    '微软 → openai'
    """
    if isinstance(value, tuple):
        return amount_words(value)
    if aspect.kind == "directions":
        pairs = [p for p in value if isinstance(p, tuple)]
        return "; ".join(sorted(f"{names.of(a, lang)} → {names.of(b, lang)}" for a, b in pairs))
    separator = "; " if aspect.kind == "difference" else ", "
    return separator.join(sorted(names.of(v, lang) for v in terms(value)))


def amount_words(value: judging.Interval) -> str:
    """Return a stated amount as a reader says it, digits grouped by thousands.

    >>> from decimal import Decimal
    >>> amount_words((Decimal(100), True, None)), amount_words((Decimal(10), False, Decimal(20)))
    ('more than 100', '10–20')
    >>> amount_words((Decimal("3150000000000.0"), False, Decimal("3150000000000.0")))
    '3,150,000,000,000'
    """
    low, excluded, high = value
    if low is not None and low == high and not excluded:
        return _number(low)
    if low is not None and high is not None:
        if excluded:
            return f"more than {_number(low)}, at most {_number(high)}"
        return f"{_number(low)}–{_number(high)}"
    if low is not None:
        return f"{'more than' if excluded else 'at least'} {_number(low)}"
    return f"at most {_number(high)}" if high is not None else ""


def _number(value: Decimal) -> str:
    """Return a number without trailing zeros, digits grouped by thousands."""
    return f"{value.normalize():,f}"
