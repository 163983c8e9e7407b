"""The real server on a loopback port, driven by third-party clients and curl."""

from __future__ import annotations

import subprocess

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

OPENAI = "https://w3id.org/aiaccess/id/org/openai"
LABEL_QUERY = f"SELECT ?label WHERE {{ <{OPENAI}> rdfs:label ?label FILTER(LANG(?label) = 'en') }}"
CONSTRUCT = f"CONSTRUCT {{ <{OPENAI}> ?p ?o }} WHERE {{ <{OPENAI}> ?p ?o }}"


def wrapper(live: str, query: str, fmt: str) -> SPARQLWrapper:
    """Return a SPARQLWrapper for the live endpoint."""
    client = SPARQLWrapper(live + "sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def curl(*args: str) -> str:
    """Run curl quietly and return what it printed, line ends untouched."""
    done = subprocess.run(["curl", "-sS", *args], capture_output=True, check=True, timeout=30)
    return done.stdout.decode()


def test_httpx_get(http: httpx.Client) -> None:
    response = http.get("/sparql", params={"query": "ASK {}"})
    assert response.json() == {"head": {}, "boolean": True}


def test_head_of_endpoint_has_no_body(http: httpx.Client) -> None:
    response = http.head("/sparql", params={"query": "ASK {}"})
    assert (response.status_code, response.content) == (200, b"")


def test_sparqlwrapper_select_json(live: str) -> None:
    result = wrapper(live, LABEL_QUERY, JSON).queryAndConvert()
    assert result["results"]["bindings"][0]["label"]["value"] == "OpenAI"


def test_sparqlwrapper_select_xml(live: str) -> None:
    document = wrapper(live, LABEL_QUERY, XML).queryAndConvert()
    assert "OpenAI" in document.toxml()


def test_sparqlwrapper_select_csv(live: str) -> None:
    assert wrapper(live, LABEL_QUERY, CSV).queryAndConvert() == b"label\r\nOpenAI\r\n"


def test_sparqlwrapper_select_tsv(live: str) -> None:
    assert wrapper(live, LABEL_QUERY, TSV).queryAndConvert() == b'?label\n"OpenAI"@en\n'


def test_sparqlwrapper_ask(live: str) -> None:
    assert wrapper(live, "ASK { ?s ?p ?o }", JSON).queryAndConvert()["boolean"] is True


def test_sparqlwrapper_post_form(live: str) -> None:
    client = wrapper(live, LABEL_QUERY, JSON)
    client.setMethod(POST)
    assert client.queryAndConvert()["results"]["bindings"]


def test_sparqlwrapper_post_direct(live: str) -> None:
    client = wrapper(live, LABEL_QUERY, JSON)
    client.setMethod(POST)
    client.setRequestMethod(POSTDIRECTLY)
    assert client.queryAndConvert()["results"]["bindings"]


@pytest.mark.parametrize("fmt", [TURTLE, XML, JSONLD])
def test_sparqlwrapper_construct(live: str, fmt: str) -> None:
    response = wrapper(live, CONSTRUCT, fmt).query().response
    syntax = ox.RdfFormat.from_media_type(response.headers["content-type"])
    assert syntax is not None
    labels = {t.object for t in ox.parse(response.read(), format=syntax)}
    assert ox.Literal("OpenAI", language="en") in labels


def test_sparqlwrapper_update_is_refused(live: str) -> None:
    client = SPARQLWrapper(live + "sparql")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(Exception, match="403"):
        client.query()


def test_rdflib_sparqlstore_select(live: str) -> None:
    graph = rdflib.Graph(SPARQLStore(live + "sparql"))
    labels = {
        str(row[0])
        for row in graph.query(
            LABEL_QUERY.replace("rdfs:", "<http://www.w3.org/2000/01/rdf-schema#").replace(
                "#label", "#label>"
            )
        )
    }
    assert labels == {"OpenAI"}


def test_rdflib_sparqlstore_triples(live: str) -> None:
    graph = rdflib.Graph(SPARQLStore(live + "sparql"))
    assert rdflib.Literal("OpenAI", lang="en") in set(
        graph.objects(rdflib.URIRef(OPENAI), rdflib.RDFS.label)
    )


def test_rdflib_update_store_is_refused(live: str) -> None:
    store = SPARQLUpdateStore(live + "sparql", live + "sparql")
    with pytest.raises(Exception, match="403"):
        store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_curl_get_with_accept(live: str) -> None:
    url = live + "sparql?query=ASK%20%7B%7D"
    assert curl("-H", "Accept: application/sparql-results+xml", url).count("<boolean>true") == 1


def test_curl_post_form(live: str) -> None:
    out = curl(
        "--data-urlencode", "query=SELECT (1 AS ?x) {}", "-H", "Accept: text/csv", live + "sparql"
    )
    assert out == "x\r\n1\r\n"


def test_curl_post_direct(live: str) -> None:
    out = curl(
        "-H", "Content-Type: application/sparql-query", "--data-binary", "ASK {}", live + "sparql"
    )
    assert out == '{"head":{},"boolean":true}'


def test_curl_error_status_and_message(live: str) -> None:
    out = curl("-w", "%{http_code}", live + "sparql?query=SELECT")
    assert out.endswith("\n400") and out.startswith("malformed query:")


def test_curl_linked_data_turtle(live: str) -> None:
    out = curl("-H", "Accept: text/turtle", live + "id/org/openai")
    assert '"OpenAI"@en' in out


def test_curl_compressed_download(live: str) -> None:
    out = curl("--compressed", "-D", "-", live + "dataset.nq")
    assert "content-encoding: gzip" in out.lower()
    assert "<https://w3id.org/aiaccess/id/org/openai>" in out


def test_curl_head_download(live: str) -> None:
    out = curl("-I", live + "void.ttl")
    headers = out.lower()
    assert (
        headers.startswith("http/1.1 200") and "etag:" in headers and "content-length:" in headers
    )


def test_curl_conditional_get(live: str) -> None:
    etag = next(
        line.split(":", 1)[1].strip()
        for line in curl("-I", live + "ontology.ttl").splitlines()
        if line.lower().startswith("etag:")
    )
    out = curl(
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "-H",
        f"If-None-Match: {etag}",
        live + "ontology.ttl",
    )
    assert out == "304"
