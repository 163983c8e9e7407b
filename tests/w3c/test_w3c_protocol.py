"""The W3C SPARQL 1.1 Protocol tests, replayed against a live server.

``manifest.ttl`` (copied from w3c/rdf-tests, see README.md) describes each test
as HTTP requests with expected statuses, formats and booleans. This runner
reads it with rdflib, starts one server over the test data (each ``data*.nt``
in the named graph its ``rdfs:label`` gives) and replays every request.

The service is read-only, so the tests that expect an update to succeed apply
as "must be refused": the update must get 403 and the follow-up query must show
that nothing changed. The Service Description tests are written out by hand
from their prose.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection

from aiaccess.namespaces import SD
from aiaccess.server.app import create_app
from aiaccess.server.runner import running
from aiaccess.server.settings import Settings
from aiaccess.server.snapshot import from_quads

HERE = Path(__file__).parent
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
STATUS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
UPDATES_EXPECTED_TO_SUCCEED = (
    "update_dataset_default_graph",
    "update_dataset_default_graphs",
    "update_dataset_named_graphs",
    "update_dataset_full",
    "update_post_form",
    "update_post_direct",
    "update_base_uri",
)
"""Tests that expect a read-write service; here the update must be refused instead."""

FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}
"""Media types each ``mf:expectedFormat`` allows (as the tests' names list them)."""


@dataclass(frozen=True)
class Request:
    """One HTTP request of a test and what its response must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]
    """Status classes allowed: 2, 3 or 4."""
    format: str | None
    boolean: bool | None


@dataclass(frozen=True)
class Case:
    """One protocol test."""

    name: str
    requests: list[Request]
    data: dict[str, Path]
    """Named graph IRI -> the N-Triples file loaded into it."""


def load_manifest() -> rdflib.Graph:
    """Return the manifest, with relative IRIs resolved to the files beside it."""
    return rdflib.Graph().parse(HERE / "manifest.ttl", format="turtle")


def cases(graph: rdflib.Graph) -> list[Case]:
    """Return the manifest's tests, in order."""
    manifest = next(graph.subjects(rdflib.RDF.type, MF.Manifest))
    entries = Collection(graph, graph.value(manifest, MF.entries))
    return [_case(graph, entry) for entry in entries]


def _case(graph: rdflib.Graph, test: rdflib.term.Node) -> Case:
    """Read one test."""
    action = graph.value(test, MF.action)
    requests = Collection(graph, graph.value(action, HT.requests))
    data = {}
    for item in graph.objects(test, UT.graphData):
        file = graph.value(item, UT.graph)
        data[str(graph.value(item, rdflib.RDFS.label))] = Path(str(file).removeprefix("file://"))
    name = str(test).rsplit("#", 1)[1]
    return Case(name, [_request(graph, r) for r in requests], data)


def _request(graph: rdflib.Graph, node: rdflib.term.Node) -> Request:
    """Read one request and its expected response."""
    headers = {}
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName))] = str(
                graph.value(header, HT.fieldValue)
            )
    body = None
    content = graph.value(node, HT.body)
    if content is not None:
        encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(content, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    statuses = frozenset(
        int(str(s).removeprefix(STATUS)[0]) for s in graph.objects(response, MF.expectedStatus)
    )
    fmt = graph.value(response, MF.expectedFormat)
    boolean = graph.value(response, MF.expectedBoolean)
    return Request(
        str(graph.value(node, HT.methodName)),
        str(graph.value(node, HT.absolutePath)),
        headers,
        body,
        statuses,
        str(fmt) if fmt is not None else None,
        boolean.toPython() if boolean is not None else None,
    )


CASES = cases(load_manifest())


def test_manifest_has_34_tests() -> None:
    assert len(CASES) == 34


def test_data_files_are_the_three_shipped() -> None:
    files = {path.name for case in CASES for path in case.data.values()}
    assert files == {"data1.nt", "data2.nt", "data3.nt"}


def test_applicability_is_declared_for_every_update_test() -> None:
    updates = {c.name for c in CASES if c.name.startswith(("update_", "bad_update"))}
    refused_as_bad = {n for n in updates if n.startswith("bad_update")}
    assert updates - refused_as_bad == set(UPDATES_EXPECTED_TO_SUCCEED)


def quads() -> list[ox.Quad]:
    """Return every test graph's triples in the named graph its label names."""
    found: dict[str, Path] = {}
    for case in CASES:
        found.update(case.data)
    return [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
        for graph, path in sorted(found.items())
        for t in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)
    ]


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A live server over the test data; yields its URL."""

    def make(url: str):
        return create_app(Settings(base_url=url, workers=1), from_quads(quads(), url))

    with running(make) as url:
        yield url


def send(url: str, request: Request) -> httpx.Response:
    """Replay one request; its path starts with ``/sparql/``, served as is."""
    return httpx.request(
        request.method,
        url + request.path.lstrip("/"),
        headers=request.headers,
        content=request.body,
        timeout=30,
    )


def boolean_of(response: httpx.Response) -> bool:
    """Return the boolean of an ASK result in JSON or XML."""
    if response.headers["content-type"].startswith("application/sparql-results+json"):
        return bool(json.loads(response.text)["boolean"])
    element = ElementTree.fromstring(response.content).find(
        "{http://www.w3.org/2005/sparql-results#}boolean"
    )
    assert element is not None
    return element.text == "true"


def check(response: httpx.Response, request: Request) -> None:
    """Assert the response is what the request expects."""
    assert response.status_code // 100 in request.statuses, response.text
    if request.format is not None:
        media_type = response.headers["content-type"].split(";")[0]
        assert media_type in FORMATS[request.format]
        if request.format == "RDF":
            syntax = ox.RdfFormat.from_media_type(media_type)
            assert syntax is not None
            list(ox.parse(response.content, format=syntax))
    if request.boolean is not None:
        assert boolean_of(response) is request.boolean


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.name not in UPDATES_EXPECTED_TO_SUCCEED], ids=lambda c: c.name
)
def test_protocol(endpoint: str, case: Case) -> None:
    for request in case.requests:
        check(send(endpoint, request), request)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.name in UPDATES_EXPECTED_TO_SUCCEED], ids=lambda c: c.name
)
def test_update_is_refused(endpoint: str, case: Case) -> None:
    update, *queries = case.requests
    response = send(endpoint, update)
    assert (response.status_code, response.text) == (
        403,
        "SPARQL Update is not supported: this is a read-only service\n",
    )
    for query in queries:
        answer = send(endpoint, query)
        assert answer.status_code == 200
        assert boolean_of(answer) is False  # the update did not happen
    assert count(endpoint) == len(quads())


def count(url: str) -> int:
    """Return the number of quads the server holds."""
    text = "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    response = httpx.get(url + "sparql", params={"query": text}, headers={"accept": "text/csv"})
    return int(response.text.split()[1]) // 2  # the union default graph repeats each quad


def description(url: str, accept: str = "text/turtle") -> rdflib.Graph:
    """Return the service description, parsed."""
    response = httpx.get(url + "sparql", headers={"accept": accept})
    assert response.status_code == 200
    media_type = response.headers["content-type"].split(";")[0]
    return rdflib.Graph().parse(data=response.content, format=media_type)


@pytest.mark.parametrize("accept", ["text/turtle", "application/rdf+xml", "*/*"])
def test_service_description_returns_rdf(endpoint: str, accept: str) -> None:
    """service-description-manifest: returns-rdf."""
    assert len(description(endpoint, accept)) > 0


def test_service_description_has_endpoint_triple(endpoint: str) -> None:
    """service-description-manifest: has-endpoint-triple."""
    sd = rdflib.Namespace(SD)
    graph = description(endpoint)
    assert set(graph.objects(None, sd.endpoint)) == {rdflib.URIRef(endpoint + "sparql")}


def test_service_description_conforms_to_schema(endpoint: str) -> None:
    """service-description-manifest: conforms-to-schema (the terms' domains and ranges)."""
    sd = rdflib.Namespace(SD)
    graph = description(endpoint)
    service = next(graph.subjects(rdflib.RDF.type, sd.Service))
    languages = set(graph.objects(service, sd.supportedLanguage))
    assert languages and languages <= {sd.SPARQL10Query, sd.SPARQL11Query, sd.SPARQL11Update}
    assert all(isinstance(f, rdflib.URIRef) for f in graph.objects(service, sd.resultFormat))
    dataset = graph.value(service, sd.defaultDataset)
    assert (dataset, rdflib.RDF.type, sd.Dataset) in graph
    assert (graph.value(dataset, sd.defaultGraph), rdflib.RDF.type, sd.Graph) in graph
    for named in graph.objects(dataset, sd.namedGraph):
        assert (named, rdflib.RDF.type, sd.NamedGraph) in graph
        assert isinstance(graph.value(named, sd.name), rdflib.URIRef)
