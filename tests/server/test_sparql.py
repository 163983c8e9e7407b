"""The /sparql endpoint in process: exact bodies, one test per protocol edge case."""

from __future__ import annotations

import json

import pytest
import rdflib

from aiaccess.namespaces import REGISTRY_GRAPH, SD
from tests.server.conftest import BASE_URL
from tests.server.helpers import InProcess

ASK = "ASK {}"
SELECT_ONE = "SELECT (1 AS ?x) {}"
CONSTRUCT_ONE = "CONSTRUCT { <urn:s> <urn:p> 1 } WHERE {}"
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}
TRUE_JSON = '{"head":{},"boolean":true}'
ONE_JSON = (
    '{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"1",'
    '"datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}'
)


def query(client: InProcess, text: str, accept: str | None = None, **params: str):
    """GET /sparql with ``text`` as the query."""
    headers = {"accept": accept} if accept else {}
    return client.get("/sparql", params={"query": text, **params}, headers=headers)


def test_get_ask_answers_json_boolean(client: InProcess) -> None:
    response = query(client, ASK)
    assert (response.status_code, response.text) == (200, TRUE_JSON)
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert response.headers["vary"] == "Accept, Origin"


def test_get_select_answers_json_results(client: InProcess) -> None:
    assert query(client, SELECT_ONE).text == ONE_JSON


def test_post_form_query(client: InProcess) -> None:
    response = client.post("/sparql", content="query=ASK+%7B%7D", headers=FORM)
    assert (response.status_code, response.text) == (200, TRUE_JSON)


def test_post_direct_query(client: InProcess) -> None:
    response = client.post("/sparql", content=ASK, headers=DIRECT)
    assert (response.status_code, response.text) == (200, TRUE_JSON)


def test_post_direct_query_with_utf8_charset(client: InProcess) -> None:
    headers = {"content-type": "application/sparql-query; charset=UTF-8"}
    assert client.post("/sparql", content=ASK, headers=headers).status_code == 200


def test_trailing_slash_endpoint_is_the_same(client: InProcess) -> None:
    assert client.get("/sparql/", params={"query": ASK}).text == TRUE_JSON


def test_accept_csv(client: InProcess) -> None:
    response = query(client, SELECT_ONE, "text/csv")
    assert (response.text, response.headers["content-type"]) == (
        "x\r\n1\r\n",
        "text/csv; charset=utf-8",
    )


def test_accept_tsv(client: InProcess) -> None:
    assert query(client, SELECT_ONE, "text/tab-separated-values").text == "?x\n1\n"


def test_accept_xml(client: InProcess) -> None:
    response = query(client, ASK, "application/sparql-results+xml")
    assert response.headers["content-type"] == "application/sparql-results+xml"
    assert "<boolean>true</boolean>" in response.text


def test_accept_application_json_alias(client: InProcess) -> None:
    assert query(client, ASK, "application/json").text == TRUE_JSON


def test_accept_with_q_values(client: InProcess) -> None:
    accept = "text/csv;q=0.5, text/tab-separated-values;q=0.9, */*;q=0.1"
    assert query(client, SELECT_ONE, accept).text == "?x\n1\n"


def test_accept_text_wildcard_gives_csv(client: InProcess) -> None:
    assert query(client, SELECT_ONE, "text/*").text == "x\r\n1\r\n"


def test_accept_turtle_for_select_is_406(client: InProcess) -> None:
    response = query(client, SELECT_ONE, "text/turtle")
    assert (response.status_code, response.text) == (
        406,
        "no acceptable media type; available: application/sparql-results+json, "
        "application/sparql-results+xml, text/csv, text/tab-separated-values, "
        "application/json, application/xml, text/xml\n",
    )


def test_accept_csv_for_ask_is_406(client: InProcess) -> None:
    assert query(client, ASK, "text/csv").status_code == 406


def test_malformed_accept_is_400(client: InProcess) -> None:
    response = query(client, ASK, "json")
    assert (response.status_code, response.text) == (
        400,
        "invalid Accept header: 'json' is not a media range\n",
    )


def test_format_parameter_overrides_accept(client: InProcess) -> None:
    assert query(client, SELECT_ONE, "application/sparql-results+json", format="csv").text == (
        "x\r\n1\r\n"
    )


def test_format_parameter_unknown_for_select_is_406(client: InProcess) -> None:
    response = query(client, SELECT_ONE, format="turtle")
    assert (response.status_code, response.text) == (
        406,
        "format 'turtle' is not available here; use one of json, xml, csv, tsv\n",
    )


def test_construct_defaults_to_turtle(client: InProcess) -> None:
    response = query(client, CONSTRUCT_ONE)
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    assert "<urn:s> <urn:p> 1 ." in response.text


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/trig", "application/trig"),
        ("application/n-quads", "application/n-quads"),
    ],
)
def test_construct_in_each_rdf_format(client: InProcess, accept: str, content_type: str) -> None:
    response = query(client, CONSTRUCT_ONE, accept)
    assert (response.status_code, response.headers["content-type"]) == (200, content_type)


def test_construct_n_triples_exact(client: InProcess) -> None:
    expected = '<urn:s> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    assert query(client, CONSTRUCT_ONE, "application/n-triples").text == expected


def test_construct_format_json_means_json_ld(client: InProcess) -> None:
    response = query(client, CONSTRUCT_ONE, format="json")
    assert response.headers["content-type"] == "application/ld+json"


def test_describe_answers_rdf(client: InProcess) -> None:
    response = query(client, "DESCRIBE <https://w3id.org/aiaccess/id/org/openai>")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert rdflib.Literal("OpenAI", lang="en") in set(graph.objects())


def test_default_graph_is_the_union_of_all_graphs(client: InProcess) -> None:
    text = "ASK { <https://w3id.org/aiaccess/id/org/openai> ?p ?o }"
    assert query(client, text).text == TRUE_JSON


def test_default_graph_uri_restricts_the_dataset(client: InProcess) -> None:
    text = "ASK { ?a a <https://w3id.org/aiaccess/ontology#Article> }"
    response = query(client, text, **{"default-graph-uri": REGISTRY_GRAPH})
    assert response.text == '{"head":{},"boolean":false}'


def test_named_graph_uri_restricts_the_named_graphs(client: InProcess) -> None:
    text = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"
    response = query(client, text, "text/csv", **{"named-graph-uri": REGISTRY_GRAPH})
    assert response.text == f"g\r\n{REGISTRY_GRAPH}\r\n"


def test_from_clause_restricts_the_default_graph(client: InProcess) -> None:
    text = f"ASK FROM <{REGISTRY_GRAPH}> {{ ?a a <https://w3id.org/aiaccess/ontology#Article> }}"
    assert query(client, text).text == '{"head":{},"boolean":false}'


def test_from_unknown_graph_is_empty_not_fetched(client: InProcess) -> None:
    text = "SELECT * FROM <http://example.org/not-here> { ?s ?p ?o }"
    assert query(client, text, "text/csv").text == "o,p,s\r\n"


def test_default_prefixes_are_predeclared(client: InProcess) -> None:
    assert query(client, "ASK { ?a a aia:Article }").text == TRUE_JSON


def test_malformed_query_is_400_with_the_parser_message(client: InProcess) -> None:
    response = query(client, "SELECT * {")
    assert response.status_code == 400
    assert response.text.startswith("malformed query: error at 1:11: expected one of")
    assert response.text.count("\n") == 1


def test_update_as_query_is_400(client: InProcess) -> None:
    response = query(client, "CLEAR ALL")
    assert (response.status_code, response.text) == (
        400,
        "malformed query: error at 1:10: expected CONSTRUCT\n",
    )


def test_repeated_query_parameter_is_400(client: InProcess) -> None:
    response = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert (response.status_code, response.text) == (
        400,
        "the query parameter is given 2 times; give it once\n",
    )


def test_query_in_url_and_body_is_400(client: InProcess) -> None:
    response = client.post("/sparql?query=ASK%7B%7D", content=ASK, headers=DIRECT)
    assert response.text == "the query is given both in the URL and in the body\n"


def test_update_parameter_is_403(client: InProcess) -> None:
    response = client.get("/sparql", params={"update": "CLEAR ALL"})
    assert (response.status_code, response.text) == (
        403,
        "SPARQL Update is not supported: this is a read-only service\n",
    )


def test_update_form_post_is_403(client: InProcess) -> None:
    response = client.post("/sparql", content="update=CLEAR+ALL", headers=FORM)
    assert response.status_code == 403


def test_sparql_update_body_is_403(client: InProcess) -> None:
    headers = {"content-type": "application/sparql-update"}
    assert client.post("/sparql", content="CLEAR ALL", headers=headers).status_code == 403


def test_store_is_unchanged_after_refused_updates(client: InProcess) -> None:
    client.post("/sparql", content="update=CLEAR+ALL", headers=FORM)
    assert query(client, "ASK { ?s ?p ?o }").text == TRUE_JSON


def test_put_is_405_with_allow(client: InProcess) -> None:
    response = client.request("PUT", "/sparql", content=ASK, headers=DIRECT)
    assert (response.status_code, response.text) == (
        405,
        "PUT is not allowed here; use GET, HEAD, POST\n",
    )
    assert response.headers["allow"] == "GET, HEAD, POST"


def test_delete_is_405(client: InProcess) -> None:
    assert client.request("DELETE", "/sparql").status_code == 405


def test_options_lists_methods(client: InProcess) -> None:
    response = client.request("OPTIONS", "/sparql")
    assert (response.status_code, response.headers["allow"]) == (204, "GET, HEAD, POST, OPTIONS")


def test_post_text_plain_is_415(client: InProcess) -> None:
    response = client.post("/sparql", content=ASK, headers={"content-type": "text/plain"})
    assert (response.status_code, response.text) == (
        415,
        "cannot read a text/plain body; use application/sparql-query or "
        "application/x-www-form-urlencoded\n",
    )


def test_post_without_content_type_is_415(client: InProcess) -> None:
    response = client.post("/sparql", content=ASK)
    assert (response.status_code, response.text) == (
        415,
        "a POST needs a Content-Type: use application/sparql-query or "
        "application/x-www-form-urlencoded\n",
    )


def test_post_utf16_query_is_415(client: InProcess) -> None:
    headers = {"content-type": "application/sparql-query; charset=UTF-16"}
    response = client.post("/sparql", content=ASK.encode("utf-16"), headers=headers)
    assert (response.status_code, response.text) == (
        415,
        "a application/sparql-query body must be UTF-8, not utf-16\n",
    )


def test_post_invalid_utf8_query_is_400(client: InProcess) -> None:
    response = client.post("/sparql", content=b"ASK {} # \xff", headers=DIRECT)
    assert (response.status_code, response.text) == (400, "the query is not valid UTF-8\n")


def test_invalid_percent_encoding_is_400(client: InProcess) -> None:
    response = client.get("/sparql?query=ASK%FF")
    assert (response.status_code, response.text) == (
        400,
        "parameters must be UTF-8 (percent-encoded)\n",
    )


def test_relative_graph_iri_is_400(client: InProcess) -> None:
    response = query(client, ASK, **{"default-graph-uri": "graph"})
    assert (response.status_code, response.text) == (
        400,
        "default-graph-uri is not a valid absolute IRI: 'graph'\n",
    )


def test_post_form_without_query_is_400(client: InProcess) -> None:
    response = client.post("/sparql", content="format=json", headers=FORM)
    assert (response.status_code, response.text) == (400, "missing query parameter\n")


def test_unknown_parameters_are_ignored(client: InProcess) -> None:
    assert query(client, ASK, output="json", results="json").text == TRUE_JSON


def test_service_is_403(client: InProcess) -> None:
    response = query(client, "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert (response.status_code, response.text) == (
        403,
        "SERVICE is not allowed here (<http://example.org/sparql>): "
        "this endpoint makes no outbound requests\n",
    )


def test_repeated_query_is_answered_from_the_cache(client: InProcess) -> None:
    text = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o } # cache test"
    first = query(client, text)
    second = query(client, text)
    assert first.content == second.content
    cache = client.app.state.sparql.cache
    key = (text, (), (), (), "*/*")  # httpx sends Accept: */*
    assert cache.get(key) is not None


def test_cors_header_on_simple_request(client: InProcess) -> None:
    headers = {"origin": "https://example.org"}
    response = client.get("/sparql", params={"query": ASK}, headers=headers)
    assert response.headers["access-control-allow-origin"] == "*"


def test_cors_preflight(client: InProcess) -> None:
    headers = {
        "origin": "https://example.org",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
    }
    response = client.request("OPTIONS", "/sparql", headers=headers)
    assert response.status_code == 200
    assert "POST" in response.headers["access-control-allow-methods"]


def test_service_description_in_turtle(client: InProcess) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    endpoint = rdflib.URIRef(BASE_URL + "sparql")
    assert (None, rdflib.URIRef(SD + "endpoint"), endpoint) in graph
    assert (
        None,
        rdflib.URIRef(SD + "supportedLanguage"),
        rdflib.URIRef(SD + "SPARQL11Query"),
    ) in graph


def test_service_description_in_json_ld(client: InProcess) -> None:
    response = client.get("/sparql", headers={"accept": "application/ld+json"})
    assert isinstance(json.loads(response.text), list | dict)


def test_service_description_names_every_graph(client: InProcess) -> None:
    response = client.get("/sparql", headers={"accept": "application/n-triples"})
    assert f"<{SD}name> <{REGISTRY_GRAPH}> ." in response.text


def test_browser_gets_the_query_form(client: InProcess) -> None:
    response = client.get("/sparql", headers={"accept": "text/html,*/*;q=0.8"})
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert '<form method="get" action="/sparql">' in response.text
