"""Choosing a representation: Accept, aliases and the format parameter."""

from __future__ import annotations

import pytest

from aiaccess.server import formats
from aiaccess.server.errors import HttpError


def test_select_defaults_to_json() -> None:
    assert formats.choose(formats.SOLUTIONS, None) is formats.JSON


def test_application_json_is_an_alias_of_sparql_json() -> None:
    assert formats.choose(formats.SOLUTIONS, "application/json") is formats.JSON


def test_text_xml_is_an_alias_of_sparql_xml() -> None:
    assert formats.choose(formats.SOLUTIONS, "text/xml") is formats.XML


def test_graph_defaults_to_turtle() -> None:
    assert formats.choose(formats.GRAPH, "*/*") is formats.TURTLE


def test_graph_application_json_means_json_ld() -> None:
    assert formats.choose(formats.GRAPH, "application/json") is formats.JSON_LD


def test_format_name_overrides_accept() -> None:
    assert (
        formats.choose(formats.SOLUTIONS, "application/sparql-results+json", ["csv"]) is formats.CSV
    )


def test_format_media_type_is_a_name() -> None:
    assert formats.choose(formats.SOLUTIONS, None, ["text/tab-separated-values"]) is formats.TSV


def test_format_names_that_agree_are_accepted() -> None:
    names = ["tsv", "text/tab-separated-values"]  # what SPARQLWrapper sends
    assert formats.choose(formats.SOLUTIONS, None, names) is formats.TSV


def test_empty_format_names_are_ignored() -> None:
    assert formats.choose(formats.GRAPH, None, ["json-ld", ""]) is formats.JSON_LD


def test_format_names_that_disagree_are_406() -> None:
    with pytest.raises(HttpError) as caught:
        formats.choose(formats.SOLUTIONS, None, ["csv", "tsv"])
    assert (caught.value.status, caught.value.message) == (
        406,
        "the format parameter names more than one format",
    )


def test_format_unknown_for_the_result_kind_is_406() -> None:
    with pytest.raises(HttpError) as caught:
        formats.choose(formats.BOOLEAN, None, ["csv"])
    assert caught.value.message == "format 'csv' is not available here; use one of json, xml"


def test_xml_names_rdf_xml_for_graphs() -> None:
    assert formats.choose(formats.GRAPH, None, ["xml"]) is formats.RDF_XML


def test_html_is_offered_for_pages_only() -> None:
    assert formats.choose(formats.PAGE, "text/html") is formats.HTML
    with pytest.raises(HttpError):
        formats.choose(formats.GRAPH, "text/html")


def test_text_formats_declare_utf8() -> None:
    assert formats.TURTLE.content_type == "text/turtle; charset=utf-8"
    assert formats.CSV.content_type == "text/csv; charset=utf-8"
