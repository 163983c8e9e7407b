"""The dataset's files: validators, gzip, conditional GET, and the build's exact bytes."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import rdflib

from aiaccess.namespaces import DCAT, VOID
from aiaccess.server.downloads import Download
from tests.server.conftest import BASE_URL
from tests.server.helpers import InProcess

FILES = {
    "dataset.ttl": "text/turtle; charset=utf-8",
    "dataset.trig": "application/trig",
    "dataset.nq": "application/n-quads",
    "dataset.jsonld": "application/ld+json",
    "ontology.ttl": "text/turtle; charset=utf-8",
    "shapes.ttl": "text/turtle; charset=utf-8",
    "void.ttl": "text/turtle; charset=utf-8",
}
PLAIN = {"accept-encoding": "identity"}


@pytest.mark.parametrize(("name", "content_type"), FILES.items())
def test_each_file_has_type_length_and_validators(
    client: InProcess, name: str, content_type: str
) -> None:
    response = client.get("/" + name, headers=PLAIN)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert int(response.headers["content-length"]) == len(response.content)
    assert response.headers["etag"].startswith('"')
    assert response.headers["last-modified"].endswith(" GMT")
    assert response.headers["vary"].startswith("Accept-Encoding")


@pytest.mark.parametrize("name", [n for n in FILES if n != "void.ttl"])
def test_file_is_the_build_output(client: InProcess, dist: Path, name: str) -> None:
    assert client.get("/" + name, headers=PLAIN).content == (dist / name).read_bytes()


def test_gzip_when_accepted(client: InProcess) -> None:
    response = client.get("/dataset.nq", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    plain = client.get("/dataset.nq", headers=PLAIN)
    assert response.content == plain.content  # httpx decompressed it
    assert response.headers["etag"] != plain.headers["etag"]


def test_gzip_refused_with_q_zero(client: InProcess) -> None:
    response = client.get("/dataset.nq", headers={"accept-encoding": "gzip;q=0"})
    assert "content-encoding" not in response.headers


def test_if_none_match_gives_304(client: InProcess) -> None:
    etag = client.get("/dataset.ttl", headers=PLAIN).headers["etag"]
    response = client.get("/dataset.ttl", headers={**PLAIN, "if-none-match": etag})
    assert (response.status_code, response.content) == (304, b"")
    assert response.headers["etag"] == etag


def test_if_none_match_weak_and_listed_gives_304(client: InProcess) -> None:
    etag = client.get("/dataset.ttl", headers=PLAIN).headers["etag"]
    headers = {**PLAIN, "if-none-match": f'"other", W/{etag}'}
    assert client.get("/dataset.ttl", headers=headers).status_code == 304


def test_if_none_match_other_tag_gives_200(client: InProcess) -> None:
    headers = {**PLAIN, "if-none-match": '"stale"'}
    assert client.get("/dataset.ttl", headers=headers).status_code == 200


def test_if_modified_since_gives_304(client: InProcess) -> None:
    modified = client.get("/void.ttl", headers=PLAIN).headers["last-modified"]
    response = client.get("/void.ttl", headers={**PLAIN, "if-modified-since": modified})
    assert response.status_code == 304


def test_if_modified_since_long_ago_gives_200(client: InProcess) -> None:
    headers = {**PLAIN, "if-modified-since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    assert client.get("/void.ttl", headers=headers).status_code == 200


def test_unreadable_if_modified_since_is_ignored(client: InProcess) -> None:
    headers = {**PLAIN, "if-modified-since": "yesterday"}
    assert client.get("/void.ttl", headers=headers).status_code == 200


def test_post_to_a_file_is_405(client: InProcess) -> None:
    assert client.post("/dataset.ttl", content="x").status_code == 405


def test_void_points_at_this_server(client: InProcess) -> None:
    graph = rdflib.Graph().parse(data=client.get("/void.ttl").text, format="turtle")
    assert (
        None,
        rdflib.URIRef(VOID + "sparqlEndpoint"),
        rdflib.URIRef(BASE_URL + "sparql"),
    ) in graph
    download = rdflib.URIRef(BASE_URL + "dataset.ttl")
    assert (None, rdflib.URIRef(DCAT + "downloadURL"), download) in graph


def test_download_compresses_deterministically() -> None:
    first = Download.of("a.ttl", "text/turtle", b"x" * 1000, 0)
    second = Download.of("a.ttl", "text/turtle", b"x" * 1000, 0)
    assert first.gzipped == second.gzipped
    assert gzip.decompress(first.gzipped) == b"x" * 1000


def test_void_counts_what_the_build_counts(client: InProcess, dist: Path) -> None:
    """The server makes VoID from counts its cache folder remembers, without counting
    again: every number in it (quads, entities, each graph's quads) is the build's."""
    served = rdflib.Graph().parse(data=client.get("/void.ttl").text, format="turtle")
    built = rdflib.Graph().parse(dist / "void.ttl", format="turtle")
    numbers = (rdflib.URIRef(VOID + "triples"), rdflib.URIRef(VOID + "entities"))

    def counts(graph: rdflib.Graph) -> set[tuple[str, str, int]]:
        return {(str(s), str(p), int(o)) for s, p, o in graph if p in numbers}

    assert counts(served) == counts(built)
    assert len(counts(built)) >= 7  # the dataset's two, and each of its graphs'
