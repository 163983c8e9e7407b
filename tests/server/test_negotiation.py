"""Content negotiation: one narrowly named test per Accept edge case."""

from __future__ import annotations

import pytest

from aiaccess.server.errors import HttpError
from aiaccess.server.negotiation import MediaRange, languages, negotiate, parse_accept

RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]


def test_missing_accept_gives_first_offer() -> None:
    assert negotiate(None, RESULTS) == "application/sparql-results+json"


def test_blank_accept_gives_first_offer() -> None:
    assert negotiate("  ", RESULTS) == "application/sparql-results+json"


def test_exact_type_is_chosen() -> None:
    assert negotiate("text/csv", RESULTS) == "text/csv"


def test_full_wildcard_gives_first_offer() -> None:
    assert negotiate("*/*", RESULTS) == "application/sparql-results+json"


def test_lone_star_means_any_type() -> None:
    assert negotiate("*; q=.2", RESULTS) == "application/sparql-results+json"


def test_subtype_wildcard_picks_first_matching_offer() -> None:
    assert negotiate("text/*", RESULTS) == "text/csv"


def test_highest_q_wins() -> None:
    accept = "application/sparql-results+json;q=0.5, application/sparql-results+xml;q=0.9"
    assert negotiate(accept, RESULTS) == "application/sparql-results+xml"


def test_equal_q_keeps_server_order() -> None:
    assert negotiate("text/csv, application/sparql-results+xml", RESULTS) == RESULTS[1]


def test_specific_range_overrides_wildcard() -> None:
    assert negotiate("*/*;q=0.9, application/sparql-results+json;q=0.1", RESULTS) == RESULTS[1]


def test_q_zero_excludes_type() -> None:
    accept = "application/sparql-results+json;q=0, */*"
    assert negotiate(accept, RESULTS) == "application/sparql-results+xml"


def test_q_zero_wildcard_with_no_other_match_is_406() -> None:
    with pytest.raises(HttpError) as caught:
        negotiate("*/*;q=0", RESULTS)
    assert caught.value.status == 406


def test_no_match_is_406_listing_offers() -> None:
    with pytest.raises(HttpError) as caught:
        negotiate("text/turtle", RESULTS)
    assert (caught.value.status, caught.value.message) == (
        406,
        "no acceptable media type; available: application/sparql-results+json, "
        "application/sparql-results+xml, text/csv",
    )


def test_types_are_case_insensitive() -> None:
    assert negotiate("TEXT/CSV", RESULTS) == "text/csv"


def test_other_parameters_are_ignored() -> None:
    assert negotiate("text/csv;charset=utf-8;q=1", RESULTS) == "text/csv"


def test_empty_elements_are_skipped() -> None:
    assert negotiate(",,text/csv,", RESULTS) == "text/csv"


def test_browser_accept_header_prefers_html() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert negotiate(browser, ["text/turtle", "text/html"]) == "text/html"


def test_range_without_slash_is_400() -> None:
    with pytest.raises(HttpError) as caught:
        negotiate("json", RESULTS)
    assert (caught.value.status, caught.value.message) == (
        400,
        "invalid Accept header: 'json' is not a media range",
    )


def test_wildcard_type_with_concrete_subtype_is_400() -> None:
    with pytest.raises(HttpError) as caught:
        negotiate("*/csv", RESULTS)
    assert caught.value.status == 400


def test_q_above_one_is_400() -> None:
    with pytest.raises(HttpError) as caught:
        negotiate("text/csv;q=2", RESULTS)
    assert caught.value.message == "invalid Accept header: bad q value in 'text/csv;q=2'"


def test_q_not_a_number_is_400() -> None:
    with pytest.raises(HttpError) as caught:
        negotiate("text/csv;q=high", RESULTS)
    assert caught.value.status == 400


def test_parse_accept_keeps_order_and_quality() -> None:
    assert parse_accept("a/b;q=0.5, c/*") == [MediaRange("a", "b", 0.5), MediaRange("c", "*", 1.0)]


def test_languages_by_quality_then_order() -> None:
    assert languages("fr;q=0.5, zh-Hans, en;q=0.8") == ("zh", "en", "fr")


def test_languages_skip_wildcard_zero_and_junk() -> None:
    assert languages("*, de;q=0, he;q=x, vi") == ("vi",)


def test_languages_of_missing_header_are_empty() -> None:
    assert languages(None) == ()


def test_most_specific_range_excludes_type() -> None:
    offers = ["text/csv", "text/tab-separated-values"]
    assert negotiate("text/*, text/csv;q=0", offers) == "text/tab-separated-values"


def test_equal_q_wildcard_and_exact_keep_server_order() -> None:
    assert negotiate("application/*, text/csv", RESULTS) == "application/sparql-results+json"


def test_quality_parameter_name_is_case_insensitive() -> None:
    assert negotiate("text/csv;Q=0, */*;q=0.5", RESULTS) == "application/sparql-results+json"


def test_q_not_finite_is_400() -> None:
    with pytest.raises(HttpError) as caught:
        negotiate("text/csv;q=nan", RESULTS)
    assert caught.value.status == 400


def test_empty_subtype_is_400() -> None:
    with pytest.raises(HttpError) as caught:
        negotiate("text/", RESULTS)
    assert caught.value.message == "invalid Accept header: 'text/' is not a media range"
