"""Property-based fuzzing of the live server: random and malformed requests.

Whatever arrives, the server answers with a status below 500 (or closes a
connection it cannot read) and never hangs, and the store is unchanged
afterwards. Hypothesis runs derandomized, with a bounded number of examples,
so a CI run is reproducible and short.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiaccess.catalog import catalog

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STATUS_LINE = re.compile(rb"HTTP/1\.[01] (\d{3}) ")
COUNT = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
UPDATES = [
    "INSERT DATA { <urn:x> <urn:y> <urn:z> }",
    "DELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "DROP DEFAULT",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "CREATE GRAPH <urn:g>",
]
CANNED = [query.text for query in catalog().values()]
WORDS = [
    "SELECT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "WHERE",
    "{",
    "}",
    "(",
    ")",
    "?s",
    "?p",
    "?o",
    "SERVICE",
    "SILENT",
    "<http://127.0.0.1:9/>",
    "FILTER",
    "<",
    ">",
    "'",
    '"',
    "#",
    "\\",
    "<<",
    ">>",
    "VALUES",
    "GRAPH",
    "FROM",
    "NAMED",
    "OPTIONAL",
    "UNION",
    "BIND",
    "AS",
    ".",
    ";",
    ",",
    "LIMIT",
    "1",
    "aia:service",
    "rdfs:label",
    "_:b",
    "@en",
    "^^",
    "VERSION",
    "\x00",
    "é",
    "表",
    "\u202e",
    "PREFIX",
    "BASE",
    "*",
    "COUNT",
    "GROUP BY",
    "ORDER BY",
    "\n",
]


def mutated(text: str, cut: int, insert: str) -> str:
    """Return ``text`` with ``insert`` put at a position derived from ``cut``."""
    at = cut % (len(text) + 1)
    return text[:at] + insert + text[at:]


queries = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join),
    st.builds(mutated, st.sampled_from(CANNED), st.integers(0, 10_000), st.text(max_size=5)),
    st.sampled_from(UPDATES),
)
header_values = st.one_of(
    st.sampled_from(
        [
            "application/sparql-results+json",
            "text/csv;q=0.5, */*;q=0.1",
            "text/turtle",
            "application/json;q=x",
            "*/*",
            "text/*, text/csv;q=0",
            "",
        ]
    ),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
)
content_types = st.sampled_from(
    [
        "application/sparql-query",
        "application/x-www-form-urlencoded",
        "application/sparql-update",
        "application/sparql-query; charset=latin-1",
        "text/plain",
        "multipart/form-data; boundary=x",
    ]
)
parameters = st.lists(
    st.tuples(
        st.sampled_from(["query", "default-graph-uri", "named-graph-uri", "format", "update", "x"]),
        st.one_of(queries, st.sampled_from(["json", "csv", "urn:g", "not an iri", "%zz"])),
    ),
    max_size=4,
)


@pytest.fixture(scope="module")
def session(live: str) -> Iterator[httpx.Client]:
    """A client that gives up after 60 s, so a hang fails the test instead of the run."""
    with httpx.Client(base_url=live, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def before(session: httpx.Client) -> str:
    """The statement count before any fuzzing."""
    return statements(session)


def statements(session: httpx.Client) -> str:
    """Return how many statements the store holds, as CSV."""
    return session.get("/sparql", params={"query": COUNT}, headers={"accept": "text/csv"}).text


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"]),
    path=st.sampled_from(["/sparql", "/sparql/", "/", "/health", "/id/org/openai", "/x%00y"]),
    params=parameters,
    accept=header_values,
    content_type=content_types,
    body=st.one_of(queries.map(str.encode), st.binary(max_size=300)),
)
def test_random_requests_never_get_a_5xx(
    session: httpx.Client,
    before: str,
    method: str,
    path: str,
    params: list[tuple[str, str]],
    accept: str,
    content_type: str,
    body: bytes,
) -> None:
    headers = {"accept": accept, "content-type": content_type}
    try:
        response = session.request(method, path, params=params, headers=headers, content=body)
    except httpx.RemoteProtocolError:
        return  # a request the HTTP layer could not read: the connection is closed, no answer
    assert response.status_code < 500, (response.status_code, response.text)


raw_heads = st.one_of(
    st.binary(max_size=400),
    st.builds(
        lambda line, junk: line + junk,
        st.sampled_from(
            [
                b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n",
                b"POST /sparql HTTP/1.1\r\nContent-Length: 5\r\n",
                b"POST /sparql HTTP/1.1\r\nTransfer-Encoding: chunked\r\n",
                b"GET / HTTP/1.0\r\n",
                b"GET /sparql HTTP/1.1\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n",
            ]
        ),
        st.binary(max_size=200),
    ),
)


@FUZZ
@given(raw=raw_heads)
def test_malformed_bytes_get_a_4xx_or_a_closed_connection(live: str, raw: bytes) -> None:
    host, port = live.removeprefix("http://").strip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(raw + b"\r\n\r\n")
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    statuses = [int(status) for status in STATUS_LINE.findall(received)]
    assert all(status < 500 for status in statuses), received[:300]


def test_fuzzing_leaves_the_store_unchanged(session: httpx.Client, before: str) -> None:
    for update in UPDATES:
        assert session.post("/sparql", data={"update": update}).status_code == 403
        assert session.get("/sparql", params={"query": update}).status_code == 400
    assert statements(session) == before and before.startswith("n\r\n")
