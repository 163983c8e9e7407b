"""``aiaccess build``: all artifacts, byte-identical twice, atomic on failure."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from aiaccess.build import build
from aiaccess.errors import (
    AiaccessError,
    DataError,
    DataSyntaxError,
    EvidenceError,
    ValidationFailed,
)
from aiaccess.namespaces import COMPARISON_GRAPH as COMPARISON
from aiaccess.namespaces import GRAPH
from aiaccess.resources import Resources

ARTIFACTS = [
    "SHA256SUMS",
    "dataset.jsonld",
    "dataset.nq",
    "dataset.trig",
    "dataset.ttl",
    "ontology.ttl",
    "shapes.ttl",
    "void.ttl",
]
EN_ARTICLE = "data/articles/en-azure-workaround.ttl"
RESTRICTION = "https://w3id.org/aiaccess/id/policy/openai-api-restriction-china"


def _build_in_subprocess(out: Path) -> None:
    """Build in a fresh interpreter, so hash seeds and caches differ between runs."""
    code = f"from pathlib import Path; from aiaccess.build import build; build(Path({str(out)!r}))"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_build_writes_every_artifact(dist: Path) -> None:
    assert sorted(p.name for p in dist.iterdir()) == ARTIFACTS


def test_two_builds_are_byte_identical(tmp_path: Path, dist: Path) -> None:
    _build_in_subprocess(tmp_path / "again")
    for name in ARTIFACTS:
        assert (tmp_path / "again" / name).read_bytes() == (dist / name).read_bytes(), name


def test_a_build_into_the_last_builds_folder_replaces_it_whole(
    resources: Resources, tmp_path: Path
) -> None:
    """The last build's files are replaced once the new ones are written: the folder ends
    with the same bytes, and nothing else is left beside it."""
    out = tmp_path / "dist"
    build(out, resources)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    build(out, resources)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    assert sorted(first) == ARTIFACTS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "project"]


def test_checksums_cover_every_other_file(dist: Path) -> None:
    lines = (dist / "SHA256SUMS").read_text().splitlines()
    sums = dict(reversed(line.split("  ")) for line in lines)
    assert sorted(sums) == [n for n in ARTIFACTS if n != "SHA256SUMS"]
    for name, digest in sums.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest


def test_nquads_are_each_parts_sorted_lines_once(dist: Path) -> None:
    """The base's lines, then the group's (the shipped data is one), then those about graphs."""
    lines = (dist / "dataset.nq").read_bytes().splitlines()
    assert len(lines) == len(set(lines))
    base = [line for line in lines if line.endswith((b"/ontology> .", b"/registry> ."))]
    assert lines[: len(base)] == sorted(base)
    about_graphs = [line for line in lines if line.startswith(b"<" + GRAPH.encode())]
    assert [line.split(b" ")[0] for line in about_graphs] == [b"<" + COMPARISON.encode() + b">"] * 5
    assert lines[-len(about_graphs) :] == sorted(about_graphs)
    group = lines[len(base) : -len(about_graphs)]
    assert group == sorted(group)


def test_nquads_are_oxigraphs_own_lines(dist: Path) -> None:
    """Each line is what Oxigraph writes for its quad: the fragments reuse lines it wrote."""
    data = (dist / "dataset.nq").read_bytes()
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert ox.serialize(quads, format=ox.RdfFormat.N_QUADS) == data


def test_every_serialization_holds_the_same_data(dist: Path) -> None:
    nq = set(ox.parse(path=dist / "dataset.nq", format=ox.RdfFormat.N_QUADS))
    trig = set(ox.parse(path=dist / "dataset.trig", format=ox.RdfFormat.TRIG))
    jsonld = set(ox.parse(path=dist / "dataset.jsonld", format=ox.RdfFormat.JSON_LD))
    union = [q.triple for q in ox.parse(path=dist / "dataset.ttl", format=ox.RdfFormat.TURTLE)]
    assert nq == trig == jsonld
    assert set(union) == {q.triple for q in nq}
    assert len(union) == len(set(union))  # no triple written twice


def test_article_graphs_are_named_after_their_slugs(dist: Path) -> None:
    graphs = {
        q.graph_name.value for q in ox.parse(path=dist / "dataset.nq", format=ox.RdfFormat.N_QUADS)
    }
    base = "https://w3id.org/aiaccess/graph/"
    assert graphs == {
        base + "ontology",
        base + "registry",
        base + "mentions",
        base + "comparison",
        base + "temporal",
        base + "article/he-azure-china-openai",
        base + "article/en-azure-workaround",
        base + "article/zh-openai-china-api-ban",
        base + "article/fr-azure-openai-individual-developers",
        base + "article/vi-openai-bans-china-developers",
    }


def test_void_counts_match_the_data(dist: Path) -> None:
    store = ox.Store()
    store.load(path=dist / "void.ttl", format=ox.RdfFormat.TURTLE)
    rows = store.query("""
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?g ?n WHERE { ?d void:subset ?g . ?g void:triples ?n }""")
    counted = {row["g"].value: int(row["n"].value) for row in rows}
    quads = list(ox.parse(path=dist / "dataset.nq", format=ox.RdfFormat.N_QUADS))
    for graph, count in counted.items():
        assert count == sum(1 for q in quads if q.graph_name.value == graph), graph
    assert sum(counted.values()) == len(quads)


def test_void_names_endpoint_license_sources_and_dumps(dist: Path) -> None:
    text = (dist / "void.ttl").read_text()
    for expected in (
        "void:sparqlEndpoint <https://w3id.org/aiaccess/sparql>",
        "<https://creativecommons.org/licenses/by/4.0/>",
        "<https://w3id.org/aiaccess/dataset.trig>",
        "article/fr-azure-openai-individual-developers",
    ):
        assert expected in text


def _break(resources: Resources, relative: str, old: str, new: str) -> None:
    """Replace ``old`` (which must be present) by ``new`` in a copied data file."""
    path = resources.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _assert_build_fails_and_keeps_dist(
    resources: Resources, tmp_path: Path, error: type[AiaccessError], message: str
) -> None:
    """Build into a folder with an earlier build; the failure must not touch it."""
    out = tmp_path / "dist"
    out.mkdir()
    (out / "dataset.nq").write_bytes(b"previous build\n")
    with pytest.raises(error, match=message):
        build(out, resources)
    assert [p.name for p in out.iterdir()] == ["dataset.nq"]
    assert (out / "dataset.nq").read_bytes() == b"previous build\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "project"]


def test_quote_not_in_seed_fails_and_keeps_dist(resources: Resources, tmp_path: Path) -> None:
    _break(resources, EN_ARTICLE, "started on July 9th, 2024.", "started on July 10th, 2024.")
    _assert_build_fails_and_keeps_dist(
        resources,
        tmp_path,
        EvidenceError,
        r"en-azure-workaround.ttl: quote not found verbatim in seed en-azure-workaround: "
        r".*July 10th",
    )


def test_untagged_quote_fails_and_keeps_dist(resources: Resources, tmp_path: Path) -> None:
    _break(resources, EN_ARTICLE, 'started on July 9th, 2024."@en', 'started on July 9th, 2024."')
    _assert_build_fails_and_keeps_dist(
        resources, tmp_path, EvidenceError, r"quote must be tagged @en \(the article's language\)"
    )


def test_malformed_turtle_names_file_and_line(resources: Resources, tmp_path: Path) -> None:
    path = resources.root / EN_ARTICLE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(20, "this is not turtle .\n")
    path.write_text("".join(lines), encoding="utf-8")
    _assert_build_fails_and_keeps_dist(
        resources,
        tmp_path,
        DataSyntaxError,
        r"^data/articles/en-azure-workaround.ttl:21:\d+: Turtle syntax error",
    )


def test_wrong_date_datatype_fails_shacl(resources: Resources, tmp_path: Path) -> None:
    _break(resources, EN_ARTICLE, '"2024-07-09"^^xsd:date', '"July 9th, 2024"')
    _assert_build_fails_and_keeps_dist(
        resources, tmp_path, ValidationFailed, "openai-api-restriction-china"
    )


def test_missing_label_language_tag_fails_shacl(resources: Resources, tmp_path: Path) -> None:
    _break(resources, "data/registry.ttl", 'rdfs:label "21Vianet"@en', 'rdfs:label "21Vianet"')
    _assert_build_fails_and_keeps_dist(resources, tmp_path, ValidationFailed, "org/21vianet")


def test_undated_event_without_reason_fails_shacl(resources: Resources, tmp_path: Path) -> None:
    zh = "data/articles/zh-openai-china-api-ban.ttl"
    _break(resources, zh, '    schema:startDate "2023-11-18"^^xsd:date ;\n', "")
    # The quote that gave the date no longer backs one.
    _break(
        resources,
        zh,
        "aia:supports rdf:type , aia:affectedParty , schema:startDate ;",
        "aia:supports rdf:type , aia:affectedParty ;",
    )
    path = resources.root / zh
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("event:sam-altman-ousted-2023 a aia:Event ;\n")
    note = next(i for i in range(start, len(lines)) if lines[i].startswith("    aia:note "))
    del lines[note]
    path.write_text("".join(lines), encoding="utf-8")
    _assert_build_fails_and_keeps_dist(
        resources,
        tmp_path,
        ValidationFailed,
        r"(?s)event/sam-altman-ousted-2023>.*an aia:note explaining why its date is not given",
    )


def test_a_group_failing_while_the_dumps_are_written_keeps_dist(
    resources: Resources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dumps start before the groups are computed; a failure there must stop the writers
    (no hang) and leave the earlier build as it was."""
    import aiaccess.dataset

    def failing(*_: object) -> object:
        raise DataError(Path("data/articles/x.ttl"), "a group could not be computed")

    monkeypatch.setenv("AIACCESS_CACHE", "")
    monkeypatch.setattr(aiaccess.dataset, "_derived_all", failing)
    _assert_build_fails_and_keeps_dist(
        resources, tmp_path, DataError, "a group could not be computed"
    )
