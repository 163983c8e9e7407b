"""Judging two sources' values of one aspect: the same, a refinement, a difference or a conflict.

* **refinement**: the same value at another precision or granularity ("--07-09"
  and "2024-07-09"; "China" and "mainland China"; "more than 100" and 117);
* **difference**: both can hold, but the sources give different scope, coverage
  or framing (who the route serves, which outlet is credited);
* **conflict**: both cannot hold (Microsoft pays OpenAI, or OpenAI pays Microsoft).

Places, audiences, organizations, products and classes are compared with the
hierarchies of the registry and the ontology (:class:`Hierarchy`), dates by
their stated precision, amounts as the intervals their bounds allow.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from aiaccess.graphindex import GraphIndex, Term
from aiaccess.namespaces import AIA, ORG, RDFS, SCHEMA, SKOS

REFINEMENT, DIFFERENCE, CONFLICT = "Refinement", "Difference", "Conflict"
SEVERITY = {REFINEMENT: 1, DIFFERENCE: 2, CONFLICT: 3}
"""Findings are as severe as their most severe pair of sources."""

_BROADER = (
    AIA + "broaderPlace",
    SKOS + "broader",
    ORG + "subOrganizationOf",
    SCHEMA + "isVariantOf",
    RDFS + "subClassOf",
)
_DATE = re.compile(r"^(?:(-?\d{4})|-)-?(\d{2})?-?(\d{2})?")


@dataclass(frozen=True)
class Hierarchy:
    """What lies within what: places, audiences, organizations, products, classes."""

    parents: dict[Term, frozenset[Term]]

    @classmethod
    def read(cls, index: GraphIndex) -> Hierarchy:
        """Collect the "within" links of every graph (registry and ontology)."""
        parents: dict[Term, set[Term]] = defaultdict(set)
        for subjects in index.graphs.values():
            for subject, props in subjects.items():
                for prop in _BROADER:
                    if prop in props:
                        parents[subject].update(props[prop])
        return cls({k: frozenset(v) for k, v in parents.items()})

    def ancestors(self, term: Term) -> set[Term]:
        """Return everything ``term`` lies within, itself excluded."""
        found: set[Term] = set()
        todo = list(self.parents.get(term, ()))
        while todo:
            parent = todo.pop()
            if parent not in found:
                found.add(parent)
                todo += self.parents.get(parent, ())
        return found

    def comparable(self, a: Term, b: Term) -> bool:
        """Tell whether one of ``a`` and ``b`` lies within the other (or they are equal)."""
        return a == b or a in self.ancestors(b) or b in self.ancestors(a)

    def most_specific(self, values: frozenset[Term]) -> frozenset[Term]:
        """Drop the values another value of the set lies within ("China" beside "mainland")."""
        broader = {a for v in values for a in self.ancestors(v)}
        return frozenset(values - broader)


def sets(a: frozenset[Term], b: frozenset[Term], within: Hierarchy, sole: bool) -> str | None:
    """Judge two sets of values (places, audiences, services, actors).

    :param sole: the values name who did one thing (an actor): unrelated values conflict.

    >>> china, mainland = ox.NamedNode("urn:china"), ox.NamedNode("urn:mainland")
    >>> within = Hierarchy({mainland: frozenset({china})})
    >>> sets(frozenset({china}), frozenset({china, mainland}), within, False)
    'Refinement'
    >>> sets(frozenset({china}), frozenset({mainland, ox.NamedNode("urn:hk")}), within, False)
    'Difference'
    """
    if a == b:
        return None
    first, second = within.most_specific(a), within.most_specific(b)
    if first == second or (
        len(first) == len(second) == 1 and within.comparable(next(iter(first)), next(iter(second)))
    ):
        return REFINEMENT
    related = any(within.comparable(x, y) for x in a for y in b)
    return CONFLICT if sole and not related else DIFFERENCE


def dates(a: frozenset[Term], b: frozenset[Term]) -> str | None:
    """Judge two stated dates: compatible at their precisions, or not.

    >>> day = frozenset({ox.Literal("2024-07-09", datatype=ox.NamedNode(XSD_DATE))})
    >>> dates(frozenset({ox.Literal("--07-09")}), day)
    'Refinement'
    >>> dates(frozenset({ox.Literal("--07-10")}), day)
    'Conflict'
    """
    if {v.value for v in a if isinstance(v, ox.Literal)} == {
        v.value for v in b if isinstance(v, ox.Literal)
    }:
        return None
    parts = [_date_parts(v) for v in a | b]
    compatible = all(_agree(x, y) for x in parts for y in parts)
    return REFINEMENT if compatible else CONFLICT


XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def _date_parts(value: Term) -> tuple[str | None, ...]:
    """Return (year, month, day) of a stated date, None where not stated."""
    text = value.value if isinstance(value, ox.Literal) else ""
    match = _DATE.match(text)
    return match.groups() if match else (None, None, None)


def _agree(x: tuple[str | None, ...], y: tuple[str | None, ...]) -> bool:
    """Tell whether two partial dates can be the same day."""
    return all(p is None or q is None or p == q for p, q in zip(x, y, strict=True))


Interval = tuple[Decimal | None, bool, Decimal | None]
"""Lower bound, whether the lower bound is excluded, upper bound (None: unbounded)."""


def interval(values: dict[str, frozenset[Term]]) -> Interval:
    """Return the interval a quantity's stated value or bounds allow."""

    def number(prop: str) -> Decimal | None:
        found = [Decimal(v.value) for v in values.get(prop, ()) if isinstance(v, ox.Literal)]
        return found[0] if found else None

    exact = number(SCHEMA + "value")
    if exact is not None:
        return exact, False, exact
    excluded = number(AIA + "exclusiveMinValue")
    low = excluded if excluded is not None else number(SCHEMA + "minValue")
    return low, excluded is not None, number(SCHEMA + "maxValue")


def amounts(a: Interval, b: Interval) -> str | None:
    """Judge two stated amounts: the same, one within the other, overlapping, or apart.

    >>> amounts((Decimal(100), True, None), (Decimal(117), False, Decimal(117)))
    'Refinement'
    >>> amounts((Decimal(100), True, None), (Decimal(90), False, Decimal(90)))
    'Conflict'
    """
    if a == b:
        return None
    if not _overlap(a, b):
        return CONFLICT
    return REFINEMENT if _inside(a, b) or _inside(b, a) else DIFFERENCE


def _overlap(a: Interval, b: Interval) -> bool:
    """Tell whether two intervals share a number."""
    return _below(a, b) and _below(b, a)


def _below(a: Interval, b: Interval) -> bool:
    """Tell whether ``a`` starts no later than ``b`` ends."""
    low, excluded, _ = a
    _, _, high = b
    if low is None or high is None:
        return True
    return low < high if excluded else low <= high


def _inside(a: Interval, b: Interval) -> bool:
    """Tell whether interval ``a`` lies within ``b``."""
    a_low, a_ex, a_high = a
    b_low, b_ex, b_high = b
    low_ok = b_low is None or (
        a_low is not None and (a_low > b_low or (a_low == b_low and (a_ex or not b_ex)))
    )
    high_ok = b_high is None or (a_high is not None and a_high <= b_high)
    return low_ok and high_ok


Pair = tuple[Term | None, Term | None]
"""A directed relationship's (from, to): payer and payee, investor and investee."""


def directions(a: frozenset[Pair], b: frozenset[Pair]) -> str | None:
    """Judge two sets of (from, to) pairs: reversed or unrelated pairs conflict.

    >>> ms, oa = ox.NamedNode("urn:ms"), ox.NamedNode("urn:oa")
    >>> directions(frozenset({(ms, oa)}), frozenset({(oa, ms)}))
    'Conflict'
    """
    if a == b:
        return None
    return DIFFERENCE if a & b else CONFLICT


def plain(a: frozenset[object], b: frozenset[object], severity: str) -> str | None:
    """Judge values without a hierarchy (conditions, certainty, percentages)."""
    return None if a == b else severity


def worst(judgements: Iterable[str | None]) -> str | None:
    """Return the most severe judgement, or None when all pairs agree."""
    found = [j for j in judgements if j is not None]
    return max(found, key=SEVERITY.__getitem__) if found else None
