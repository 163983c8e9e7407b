"""The temporal network on its own: bounds, distances, calendar periods, clashes."""

from __future__ import annotations

from datetime import date

from aiaccess.temporal_network import Distance, InPeriod, Within, solve

A, B, ANCHOR = ("a", "start"), ("b", "start"), ("article", "published")


def day(iso: str) -> int:
    """The day number of an ISO date."""
    return date.fromisoformat(iso).toordinal()


def shown(bound: object) -> str | None:
    """The ISO date of a bound, or None."""
    return None if bound is None else date.fromordinal(bound.day).isoformat()  # type: ignore[attr-defined]


def same_year(anchor: int) -> tuple[int, int]:
    """The anchor's calendar year."""
    year = date.fromordinal(anchor).year
    return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()


def test_a_distance_moves_bounds_both_ways() -> None:
    net = solve(
        [
            Within("a stated", A, day("2023-11-18"), day("2023-11-18")),
            Distance("ten-odd days", A, B, 11, 19),
        ]
    )
    assert (shown(net.bounds[B].earliest), shown(net.bounds[B].latest)) == (
        "2023-11-29",
        "2023-12-07",
    )
    # and back: bounding b bounds a
    net = solve(
        [Within("b", B, day("2024-06-15"), day("2024-06-15")), Distance("day after", A, B, 1, 1)]
    )
    assert shown(net.bounds[A].earliest) == shown(net.bounds[A].latest) == "2024-06-14"


def test_a_period_bounds_the_point_from_its_anchor_and_the_anchor_from_the_point() -> None:
    net = solve(
        [
            Within("stated", A, day("2024-07-09"), day("2024-07-09")),
            InPeriod("this year", A, ANCHOR, same_year),
        ]
    )
    anchor = net.bounds[ANCHOR]
    assert (shown(anchor.earliest), shown(anchor.latest)) == ("2024-01-01", "2024-12-31")


def test_each_bound_keeps_the_chain_it_rests_on() -> None:
    net = solve(
        [
            Within("dateline", ANCHOR, day("2024-07-14"), day("2024-07-14")),
            InPeriod("this year", A, ANCHOR, same_year),
            Distance("before", A, B, 1, None),
        ]
    )
    earliest = net.bounds[B].earliest
    assert earliest is not None
    assert [step.constraint for step in earliest.chain] == ["dateline", "this year", "before"]
    assert shown(earliest) == "2024-01-02"
    assert net.bounds[B].latest is None


def test_a_constraint_that_cannot_hold_is_set_aside_with_both_sides() -> None:
    net = solve(
        [
            Within("printed date", ANCHOR, day("2024-06-28"), day("2024-06-28")),
            Distance("reported by then", A, ANCHOR, 0, None),
            Within("too late", A, day("2024-07-21"), day("2024-07-31")),
            Within("fits", A, day("2024-06-01"), day("2024-06-30")),
        ]
    )
    [clash] = net.clashes
    assert clash.constraint.ident == "too late"
    assert clash.point == A
    assert [s.constraint for s in clash.earliest.chain] == ["too late"]
    assert [s.constraint for s in clash.latest.chain] == ["printed date", "reported by then"]
    # the rest is still propagated
    assert (shown(net.bounds[A].earliest), shown(net.bounds[A].latest)) == (
        "2024-06-01",
        "2024-06-28",
    )
    assert [c.ident for c in net.accepted] == ["printed date", "reported by then", "fits"]


def test_a_period_that_no_anchor_can_give_clashes() -> None:
    net = solve(
        [
            Within("anchor", ANCHOR, day("2024-08-23"), day("2024-08-23")),
            Within("point", A, day("2023-05-01"), day("2023-05-01")),
            InPeriod("this year", A, ANCHOR, same_year),
        ]
    )
    assert [c.constraint.ident for c in net.clashes] == ["this year"]
