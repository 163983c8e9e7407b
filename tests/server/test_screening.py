"""Screening a query's text: SERVICE endpoints found by the tokenizer, dataset clauses."""

from __future__ import annotations

import pytest

from aiaccess.server.errors import HttpError
from aiaccess.server.screening import (
    has_dataset_clause,
    mentions_service,
    screen,
    service_endpoints,
)

REMOTE = "http://example.org/sparql"


def test_query_without_the_word_passes() -> None:
    screen("SELECT * { ?s ?p ?o }", ())


def test_service_in_a_string_is_not_a_service() -> None:
    screen("SELECT * { ?s ?p 'SERVICE <http://example.org/> {}' }", ())


def test_service_in_a_comment_is_not_a_service() -> None:
    screen("SELECT * { ?s ?p ?o } # SERVICE <http://example.org/> {}", ())


def test_service_in_an_iri_or_variable_is_not_a_service() -> None:
    screen("SELECT ?service { ?service a <http://example.org/Service> }", ())


def test_service_keyword_is_refused_by_default() -> None:
    with pytest.raises(HttpError) as caught:
        screen(f"SELECT * {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}", ())
    assert (caught.value.status, caught.value.message) == (
        403,
        f"SERVICE is not allowed here (<{REMOTE}>): this endpoint makes no outbound requests",
    )


def test_lower_case_silent_service_is_refused() -> None:
    with pytest.raises(HttpError):
        screen(f"select * {{ service silent <{REMOTE}> {{ ?s ?p ?o }} }}", ())


def test_service_nested_in_filter_exists_is_refused() -> None:
    with pytest.raises(HttpError):
        screen(f"ASK {{ FILTER EXISTS {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }} }}", ())


def test_service_hidden_after_less_than_string_is_refused() -> None:
    """``1<'>'`` looks like an IRI ``<'>`` to a naive tokenizer, hiding what follows."""
    query = f"SELECT * {{ FILTER(1<'>') SERVICE <{REMOTE}> {{ ?s ?p ?o }} FILTER('x'='x') }}"
    with pytest.raises(HttpError):
        screen(query, ())


def test_allowed_endpoint_passes() -> None:
    screen(f"SELECT * {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}", (REMOTE,))


def test_allowed_endpoint_by_prefixed_name_passes() -> None:
    query = "PREFIX ex: <http://example.org/> SELECT * { SERVICE ex:sparql { ?s ?p ?o } }"
    screen(query, (REMOTE,))


def test_relative_endpoint_is_resolved_against_base() -> None:
    query = "BASE <http://example.org/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }"
    assert service_endpoints(query) == [REMOTE]


def test_other_endpoint_is_refused_naming_the_allowed_ones() -> None:
    with pytest.raises(HttpError) as caught:
        screen("SELECT * { SERVICE <http://internal/> { ?s ?p ?o } }", (REMOTE,))
    assert (caught.value.status, caught.value.message) == (
        403,
        f"SERVICE <http://internal/> is not allowed; allowed endpoints: <{REMOTE}>",
    )


def test_variable_endpoint_is_refused_even_with_an_allowlist() -> None:
    with pytest.raises(HttpError) as caught:
        screen("SELECT * { SERVICE ?where { ?s ?p ?o } }", (REMOTE,))
    assert caught.value.message.startswith("SERVICE a variable endpoint is not allowed")


def test_unreadable_query_mentioning_service_is_refused_with_an_allowlist() -> None:
    with pytest.raises(HttpError) as caught:
        screen("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p 'open } }", (REMOTE,))
    assert (caught.value.status, caught.value.message) == (
        400,
        "the query mentions SERVICE and cannot be checked (cannot read the query at "
        'character 56: "\'"); write it in standard SPARQL',
    )


def test_unreadable_query_mentioning_service_is_refused_without_an_allowlist() -> None:
    with pytest.raises(HttpError) as caught:
        screen("SELECT * { SERVICE <http://e/> { ?s ?p ?o } ", ())
    assert caught.value.status == 400


def test_service_in_a_string_of_an_rdf_1_2_query_passes() -> None:
    screen("VERSION '1.2' SELECT * { << ?s ?p ?o >> ?q 'service' }", ())


def test_service_beside_rdf_1_2_triple_terms_is_found() -> None:
    query = (
        f"SELECT * {{ SERVICE <{REMOTE}> {{ ?a ?b ?c }} OPTIONAL {{ <<( ?s ?p ?o )>> ?q ?r }} }}"
    )
    assert service_endpoints(query) == [REMOTE]


def test_nested_services_are_all_found() -> None:
    query = f"SELECT * {{ SERVICE <{REMOTE}> {{ SERVICE <http://internal/> {{ ?s ?p ?o }} }} }}"
    assert service_endpoints(query) == [REMOTE, "http://internal/"]


def test_service_hidden_behind_a_hash_in_an_iri_is_found() -> None:
    query = f"SELECT * {{ ?s <http://a#> ?o . SERVICE <{REMOTE}> {{ }} }}"
    assert service_endpoints(query) == [REMOTE]


@pytest.mark.parametrize(
    "disguise",
    ["SERVICESILENT <http://e/> {}", "SERVICE:x {}", "?s ?p trueSERVICE <http://e/> {}"],
)
def test_keyword_run_into_other_text_is_refused(disguise: str) -> None:
    with pytest.raises(HttpError) as caught:
        screen(f"SELECT * {{ {disguise} }}", (REMOTE,))
    assert "could be read as the SERVICE keyword" in caught.value.message


def test_escaped_iri_endpoint_is_decoded() -> None:
    assert service_endpoints(r"SELECT * { SERVICE <http://example.org/\u0073parql> {} }") == [
        REMOTE
    ]


def test_service_with_an_undeclared_prefix_is_refused() -> None:
    with pytest.raises(HttpError) as caught:
        screen("SELECT * { SERVICE nowhere:x { } }", (REMOTE,))
    assert caught.value.status == 400


def test_relative_endpoint_is_resolved_against_the_service_base() -> None:
    assert service_endpoints(
        "SELECT * { SERVICE <sparql> { ?s ?p ?o } }", "http://example.org/"
    ) == [REMOTE]


def test_default_prefixes_resolve_in_service_endpoints() -> None:
    assert service_endpoints("SELECT * { SERVICE schema:x { ?s ?p ?o } }") == [
        "https://schema.org/x"
    ]


def test_from_clause_is_a_dataset_clause() -> None:
    assert has_dataset_clause("SELECT * FROM <http://g/> { ?s ?p ?o }")


def test_from_after_construct_template_is_a_dataset_clause() -> None:
    assert has_dataset_clause("CONSTRUCT { ?s ?p ?o } FROM <http://g/> WHERE { ?s ?p ?o }")


def test_from_in_a_string_is_not_a_dataset_clause() -> None:
    assert not has_dataset_clause("SELECT * { ?s ?p 'FROM <http://g/>' }")


def test_service_in_header_comments_is_not_read_but_one_in_the_body_is() -> None:
    header = "# every service, one row\n#+ - service: what it restricts\n"
    assert not mentions_service(header + "SELECT ?service { ?x aia:service ?service }")
    assert mentions_service(header + "SELECT * { ?s ?p ?o } # a service")
    with pytest.raises(HttpError):
        screen(header + f"SELECT * {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}", ())


def test_service_ending_a_prefixed_name_is_not_read_but_one_after_it_is() -> None:
    assert not mentions_service("SELECT * { ?r aia:operatedService ?o }")
    with pytest.raises(HttpError):
        screen(f"SELECT * {{ ?r aia:x ?o SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}", ())
    with pytest.raises(HttpError):
        screen(f"SELECT * {{ ?r aia:x-y ?o . SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}", ())


def test_from_after_a_construct_template_or_an_exists_is_found() -> None:
    assert has_dataset_clause("CONSTRUCT { ?s ?p ?o } FROM <http://g> WHERE { ?s ?p ?o }")
    assert has_dataset_clause("SELECT (EXISTS { ?s ?p ?o } AS ?e) FROM <http://g> { }")


def test_from_only_in_comments_or_names_is_no_dataset_clause() -> None:
    assert not has_dataset_clause("# from the seeds\nSELECT ?from { ?s aia:from ?from }")
    assert not has_dataset_clause("SELECT ?narrowed_from { ?s ?p ?o } # from here on, FROM <g>")
