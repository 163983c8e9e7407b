"""The real server on a loopback port, driven by third-party clients and curl."""

from __future__ import annotations

import socket
import subprocess
import time

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


H2C_OFFER = (
    "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
    "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"
)
"""The headers Java's HttpClient and ``curl --http2`` add to a request on an http:// URL."""


def exchange(live: str, segments: list[bytes]) -> list[bytes]:
    """Send ``segments`` on one connection, each in its own write; return every response read.

    A final ``Connection: close`` request follows, so the server's answers can be
    read to the end of the stream and counted without waiting for a time.
    """
    host, port = live.removeprefix("http://").strip("/").split(":")
    closing = f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        for segment in segments:
            sock.sendall(segment)
            time.sleep(0.05)  # lets each write leave as its own TCP segment
        sock.sendall(closing.encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return [b"HTTP/1.1" + part for part in received.split(b"HTTP/1.1")[1:]]


def h2c_post(live: str, body: bytes) -> bytes:
    """Return the head of a form POST of ``body`` that offers an upgrade to h2c."""
    host = live.removeprefix("http://").strip("/")
    return (
        f"POST /sparql HTTP/1.1\r\nHost: {host}\r\n{H2C_OFFER}Accept: text/csv\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()


H2C_QUERY = b"query=SELECT+%28%22h2c%22+AS+%3Fx%29+%7B%7D"


@pytest.mark.parametrize("split", [False, True], ids=["one-segment", "two-segments"])
def test_post_offering_h2c_gets_exactly_one_answer(live: str, split: bool) -> None:
    head = h2c_post(live, H2C_QUERY)
    segments = [head, H2C_QUERY] if split else [head + H2C_QUERY]
    first, *rest = exchange(live, segments)
    assert first.startswith(b"HTTP/1.1 200 ")
    assert first.endswith(b"\r\n\r\nx\r\nh2c\r\n")
    assert len(rest) == 1 and rest[0].endswith(b'{"head":{},"boolean":true}')


def test_curl_http2_post(live: str) -> None:
    out = curl(
        "--http2",
        "--data-urlencode",
        "query=SELECT (2 AS ?x) {}",
        "-H",
        "Accept: text/csv",
        live + "sparql",
    )
    assert out == "x\r\n2\r\n"
