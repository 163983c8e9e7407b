"""A simple temporal network: day-number bounds narrowed to a fixed point.

Each *point* is one date of a fact or article (its start, end, publication…),
known only as an interval of days ``[earliest, latest]``, either end possibly
open. Each *constraint* narrows the bounds of the points it names: a fixed
interval, a distance in days between two points (a simple temporal network's
edge), or a calendar period relative to another point ("the year of the
article's date"). Constraints are added one at a time in a given order, and
each is propagated with all those already accepted until nothing changes. A
constraint that would leave some point with its earliest day after its latest
is not accepted: it is returned as a :class:`Clash` naming the chains of
constraints behind the two crossing bounds, and propagation goes on without it.

Nothing here knows RDF: :mod:`aiaccess.temporal` reads the statements and writes
the results. Days are proleptic Gregorian ordinals (:meth:`datetime.date.toordinal`).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Point = tuple[str, str]
"""A date of something: (resource IRI, date property IRI)."""

Period = Callable[[int], tuple[int, int]]
"""A calendar period as a function of an anchor day: (first day, last day).

Both ends must be non-decreasing in the anchor day (a later anchor never gives
an earlier period), which lets the network narrow the anchor from the point."""

SEARCH_DAYS = 800
"""How far from a bound an anchor is searched for: every period used lies within
about a year of its anchor."""

MAX_ROUNDS = 10_000
"""A safety stop: propagation rounds per added constraint."""


@dataclass(frozen=True)
class Step:
    """One narrowing: constraint ``constraint`` set ``point``'s bound to ``day``."""

    constraint: str
    point: Point
    day: int


@dataclass(frozen=True)
class Bound:
    """A bound of a point, with the chain of steps that established it, oldest first."""

    day: int
    chain: tuple[Step, ...]


@dataclass
class Interval:
    """The bounds of one point; None is an open end."""

    earliest: Bound | None = None
    latest: Bound | None = None

    def empty(self) -> bool:
        """Tell whether the earliest bound is after the latest."""
        return (
            self.earliest is not None
            and self.latest is not None
            and self.earliest.day > self.latest.day
        )


Bounds = dict[Point, Interval]


@dataclass(frozen=True)
class Within:
    """The point lies within ``[first, last]`` (a stated day, month or year)."""

    ident: str
    point: Point
    first: int
    last: int

    def points(self) -> tuple[Point, ...]:
        """The points this constraint names."""
        return (self.point,)

    def narrow(self, bounds: Bounds) -> bool:
        """Narrow the point to the interval; tell whether anything changed."""
        return _raise_earliest(bounds, self.point, self.first, (), self.ident) | _lower_latest(
            bounds, self.point, self.last, (), self.ident
        )


@dataclass(frozen=True)
class Distance:
    """``later - earlier`` is between ``least`` and ``most`` days (``most`` None: no limit)."""

    ident: str
    earlier: Point
    later: Point
    least: int
    most: int | None

    def points(self) -> tuple[Point, ...]:
        """The points this constraint names."""
        return (self.earlier, self.later)

    def narrow(self, bounds: Bounds) -> bool:
        """Apply the distance in both directions; tell whether anything changed."""
        a, b = bounds[self.earlier], bounds[self.later]
        changed = False
        ident = self.ident
        if (bound := a.earliest) is not None:
            changed |= _raise_earliest(
                bounds, self.later, bound.day + self.least, bound.chain, ident
            )
        if (bound := b.latest) is not None:
            changed |= _lower_latest(
                bounds, self.earlier, bound.day - self.least, bound.chain, ident
            )
        if self.most is not None and (bound := a.latest) is not None:
            changed |= _lower_latest(bounds, self.later, bound.day + self.most, bound.chain, ident)
        if self.most is not None and (bound := b.earliest) is not None:
            changed |= _raise_earliest(
                bounds, self.earlier, bound.day - self.most, bound.chain, ident
            )
        return changed


@dataclass(frozen=True)
class InPeriod:
    """The point lies in ``period(anchor)``: "this year", "last month", "9 July" (anchor's year)."""

    ident: str
    point: Point
    anchor: Point
    period: Period

    def points(self) -> tuple[Point, ...]:
        """The points this constraint names."""
        return (self.point, self.anchor)

    def narrow(self, bounds: Bounds) -> bool:
        """Narrow the point from the anchor, then the anchor from the point."""
        return self._forward(bounds) | self._backward(bounds)

    def _forward(self, bounds: Bounds) -> bool:
        anchor, changed = bounds[self.anchor], False
        if anchor.earliest is not None:
            day = self.period(anchor.earliest.day)[0]
            changed |= _raise_earliest(bounds, self.point, day, anchor.earliest.chain, self.ident)
        if anchor.latest is not None:
            day = self.period(anchor.latest.day)[1]
            changed |= _lower_latest(bounds, self.point, day, anchor.latest.chain, self.ident)
        return changed

    def _backward(self, bounds: Bounds) -> bool:
        point, anchor, changed = bounds[self.point], bounds[self.anchor], False
        if point.earliest is not None:
            low = point.earliest.day
            first = anchor.earliest.day if anchor.earliest else low - SEARCH_DAYS
            last = anchor.latest.day if anchor.latest else low + SEARCH_DAYS
            days = range(max(first, low - SEARCH_DAYS), last + 1)
            day = days.start + bisect.bisect_left(
                days, True, key=lambda d: self.period(d)[1] >= low
            )
            changed |= _raise_earliest(bounds, self.anchor, day, point.earliest.chain, self.ident)
        if point.latest is not None:
            high = point.latest.day
            first = anchor.earliest.day if anchor.earliest else high - SEARCH_DAYS
            last = anchor.latest.day if anchor.latest else high + SEARCH_DAYS
            days = range(first, min(last, high + SEARCH_DAYS) + 1)
            day = (
                days.start
                + bisect.bisect_left(days, True, key=lambda d: self.period(d)[0] > high)
                - 1
            )
            changed |= _lower_latest(bounds, self.anchor, day, point.latest.chain, self.ident)
        return changed


Constraint = Within | Distance | InPeriod


@dataclass(frozen=True)
class Clash:
    """A constraint that could not be added: at ``point`` the bounds would cross."""

    constraint: Constraint
    point: Point
    earliest: Bound
    latest: Bound


@dataclass
class Network:
    """The accepted constraints, the bounds they allow, and the clashes set aside."""

    bounds: Bounds = field(default_factory=dict)
    accepted: list[Constraint] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)


def solve(constraints: Iterable[Constraint]) -> Network:
    """Add ``constraints`` in the order given, each propagated to a fixed point.

    >>> from datetime import date
    >>> june = date(2024, 6, 13).toordinal()
    >>> net = solve([Within("stated", ("a", "start"), june, june),
    ...              Distance("after", ("a", "start"), ("b", "start"), 1, None),
    ...              Within("too early", ("b", "start"), june, june)])
    >>> date.fromordinal(net.bounds[("b", "start")].earliest.day)
    datetime.date(2024, 6, 14)
    >>> [clash.constraint.ident for clash in net.clashes]
    ['too early']
    """
    ordered = list(constraints)
    network = Network()
    for group in _connected(ordered):
        part = _solve_connected(group)
        network.bounds |= part.bounds
        network.accepted += part.accepted
        network.clashes += part.clashes
    position = {id(constraint): index for index, constraint in enumerate(ordered)}
    network.accepted.sort(key=lambda constraint: position[id(constraint)])
    network.clashes.sort(key=lambda clash: position[id(clash.constraint)])
    return network


def _connected(constraints: list[Constraint]) -> list[list[Constraint]]:
    """Split constraints into groups that share no point, each in the order given.

    A constraint narrows only the points it names, so groups without a common
    point are solved apart with the same result, in time that grows with the
    size of each group rather than with the whole corpus.
    """
    parent: dict[Point, Point] = {}

    def root(point: Point) -> Point:
        while parent.setdefault(point, point) != point:
            parent[point] = parent[parent[point]]
            point = parent[point]
        return point

    for constraint in constraints:
        first, *others = constraint.points()
        for other in others:
            parent[root(other)] = root(first)
    groups: dict[Point, list[Constraint]] = {}
    for constraint in constraints:
        groups.setdefault(root(constraint.points()[0]), []).append(constraint)
    return list(groups.values())


def _solve_connected(constraints: list[Constraint]) -> Network:
    """Add ``constraints`` in the order given, each propagated with all accepted ones."""
    network = Network()
    for constraint in constraints:
        trial = {point: Interval(i.earliest, i.latest) for point, i in network.bounds.items()}
        for point in constraint.points():
            trial.setdefault(point, Interval())
        clash = _propagate([*network.accepted, constraint], trial)
        if clash is None:
            network.accepted.append(constraint)
            network.bounds = trial
        else:
            earliest, latest = trial[clash].earliest, trial[clash].latest
            assert earliest is not None and latest is not None
            network.clashes.append(Clash(constraint, clash, earliest, latest))
    return network


def _propagate(constraints: list[Constraint], bounds: Bounds) -> Point | None:
    """Narrow ``bounds`` until no constraint changes them; return a point left empty, if any."""
    for _ in range(MAX_ROUNDS):
        changed = False
        for constraint in constraints:
            changed |= constraint.narrow(bounds)
            for point in constraint.points():
                if bounds[point].empty():
                    return point
        if not changed:
            return None
    raise RuntimeError("temporal propagation did not settle")  # pragma: no cover


def _raise_earliest(
    bounds: Bounds, point: Point, day: int, chain: tuple[Step, ...], constraint: str
) -> bool:
    """Raise the point's earliest bound to ``day`` if that is later; tell whether it was.

    The new bound's chain is ``chain`` and a step of ``constraint``; it is made
    only when it is set (most narrowings change nothing).
    """
    interval = bounds[point]
    if interval.earliest is None or day > interval.earliest.day:
        interval.earliest = Bound(day, (*chain, Step(constraint, point, day)))
        return True
    return False


def _lower_latest(
    bounds: Bounds, point: Point, day: int, chain: tuple[Step, ...], constraint: str
) -> bool:
    """Lower the point's latest bound to ``day`` if that is earlier; tell whether it was.

    The new bound is made as in :func:`_raise_earliest`.
    """
    interval = bounds[point]
    if interval.latest is None or day < interval.latest.day:
        interval.latest = Bound(day, (*chain, Step(constraint, point, day)))
        return True
    return False
