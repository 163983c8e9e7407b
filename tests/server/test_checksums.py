"""``/SHA256SUMS`` and the home page's downloads: sizes, dates and hashes of what is served."""

from __future__ import annotations

import hashlib
import re

from tests.server.helpers import InProcess

FILES = ["dataset.jsonld", "dataset.nq", "dataset.trig", "dataset.ttl", "ontology.ttl"]


def test_sha256sums_lists_every_download_with_its_hash(client: InProcess) -> None:
    answer = client.get("/SHA256SUMS")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    sums = dict(reversed(line.split("  ")) for line in answer.text.splitlines())
    assert set(FILES) | {"shapes.ttl", "void.ttl"} == set(sums)
    for name, digest in sums.items():
        assert hashlib.sha256(client.get("/" + name).content).hexdigest() == digest


def test_sha256sums_has_validators_like_every_download(client: InProcess) -> None:
    first = client.get("/SHA256SUMS")
    again = client.get("/SHA256SUMS", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_home_page_gives_size_date_and_hash_of_each_download(client: InProcess) -> None:
    page = client.get("/", headers={"Accept": "text/html"}).text
    body = client.get("/dataset.trig").content
    row = re.search(r'<tr><td><a href="/dataset.trig".*?</tr>', page, re.S)
    assert row, "no row for dataset.trig"
    assert hashlib.sha256(body).hexdigest() in row[0]
    assert re.search(r"<time>\d{4}-\d\d-\d\d</time>", row[0])
    assert re.search(r'class="number">[\d.]+ [kM]?B', row[0])
    assert 'href="/SHA256SUMS"' in page


def test_home_page_states_licences_and_how_to_cite(client: InProcess) -> None:
    page = client.get("/", headers={"Accept": "text/html"}).text
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in page and ">MIT<" in page
    assert '<pre class="bibtex"' in page and "@misc{aiaccess" in page
    assert 'href="/ontology"' in page
