"""Assembling the dataset: every graph, with evidence located and mentions computed.

This is the one place that reads the curated files. The build writes what it
returns to ``dist/``, the library and the server load it into Oxigraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from aiaccess import evidence, mentions, seeds, temporal
from aiaccess.errors import DataError
from aiaccess.namespaces import (
    AIA,
    ONTOLOGY_GRAPH,
    RDF,
    REGISTRY_GRAPH,
    SCHEMA,
    article_graph,
    article_iri,
)
from aiaccess.resources import Resources, default_resources
from aiaccess.turtle import parse_file

_TYPE = ox.NamedNode(RDF + "type")
_ARTICLE = ox.NamedNode(AIA + "Article")
_SEED_FILE = ox.NamedNode(AIA + "seedFile")
_LANGUAGE = ox.NamedNode(SCHEMA + "inLanguage")


@dataclass(frozen=True)
class Assembled:
    """The dataset's quads, sorted, with the sources they came from."""

    quads: list[ox.Quad]
    sources: list[evidence.Source]
    files: dict[str, Path]
    """Named-graph IRI -> the curated file it was built from (for messages)."""
    base: list[ox.Quad] = field(default_factory=list)
    """The ontology and registry graphs, which every article refers to."""
    articles: dict[str, list[ox.Quad]] = field(default_factory=dict)
    """Article slug -> what that article contributes: its graph and its mentions."""


def assemble(resources: Resources | None = None) -> Assembled:
    """Read seeds, ontology, registry and articles into one sorted list of quads.

    :raises SeedError: if a seed is missing or changed.
    :raises DataSyntaxError: if a Turtle file is malformed (file, line, column).
    :raises EvidenceError: if a quote is not verbatim in its seed.
    :raises DataError: if a file breaks the modelling contract.

    >>> data = assemble()
    >>> len(data.sources)
    5
    """
    res = resources or default_resources()
    manifest = seeds.verify(res.seeds)
    base = _graph(res, res.ontology, ONTOLOGY_GRAPH)
    registry = parse_file(res.registry, res.relative(res.registry))
    _no_blank_nodes(registry, res.relative(res.registry))
    base += _in_graph(registry, REGISTRY_GRAPH)
    files = {ONTOLOGY_GRAPH: res.relative(res.ontology), REGISTRY_GRAPH: res.relative(res.registry)}
    forms = mentions.surface_forms(registry)
    sources = []
    articles: dict[str, list[ox.Quad]] = {}
    for path in res.article_files():
        triples = parse_file(path, res.relative(path))
        source = _source(res, path, triples, manifest)
        sources.append(source)
        files[source.graph.value] = res.relative(path)
        quads = evidence.expand(triples, source)
        quads += _seed_checksum(source, manifest)
        quads += mentions.mention_quads(source.slug, source.iri, source.text, forms)
        articles[source.slug] = quads
    everything = {*base, *(q for part in articles.values() for q in part)}
    everything.update(temporal.derive(list(everything), files))  # graph/temporal, across articles
    return Assembled(sorted(everything, key=str), sources, files, base, articles)


def store(resources: Resources | None = None) -> ox.Store:
    """Return an in-memory Oxigraph store holding the assembled dataset."""
    result = ox.Store()
    result.bulk_extend(assemble(resources).quads)
    return result


def _graph(res: Resources, path: Path, graph: str) -> list[ox.Quad]:
    """Parse a blank-node-free Turtle file into quads of ``graph``."""
    triples = parse_file(path, res.relative(path))
    _no_blank_nodes(triples, res.relative(path))
    return _in_graph(triples, graph)


def _in_graph(triples: list[ox.Triple], graph: str) -> list[ox.Quad]:
    """Put triples into the named graph ``graph``."""
    name = ox.NamedNode(graph)
    return [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]


def _no_blank_nodes(triples: list[ox.Triple], path: Path) -> None:
    """Refuse blank nodes, which would make the canonical output unstable."""
    for t in triples:
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            raise DataError(path, "blank nodes are not allowed here; give the resource an IRI")


def _source(
    res: Resources, path: Path, triples: list[ox.Triple], manifest: dict[str, str]
) -> evidence.Source:
    """Return the article an article file describes, checking its metadata."""
    slug = path.stem
    shown = res.relative(path)
    iri = ox.NamedNode(article_iri(slug))
    if ox.Triple(iri, _TYPE, _ARTICLE) not in set(triples):
        raise DataError(
            shown, f"file must describe <{iri.value}> a aia:Article (its name is the slug)"
        )
    seed = _one_literal(triples, iri, _SEED_FILE, shown)
    if seed not in manifest:
        raise DataError(shown, f"aia:seedFile {seed!r} is not a seed listed in seeds/SHA256SUMS")
    language = _one_literal(triples, iri, _LANGUAGE, shown)
    text = seeds.read_text(res.seeds, seed)
    return evidence.Source(
        slug, seed, shown, iri, ox.NamedNode(article_graph(slug)), language, text
    )


def _one_literal(
    triples: list[ox.Triple], subject: ox.NamedNode, predicate: ox.NamedNode, shown: Path
) -> str:
    """Return the single literal value of ``predicate`` on ``subject``."""
    values = [
        t.object.value
        for t in triples
        if t.subject == subject and t.predicate == predicate and isinstance(t.object, ox.Literal)
    ]
    if len(values) != 1:
        raise DataError(shown, f"<{subject.value}> needs exactly one <{predicate.value}>")
    return values[0]


def _seed_checksum(source: evidence.Source, manifest: dict[str, str]) -> list[ox.Quad]:
    """Record the seed's checksum on the article, so the text can be verified."""
    digest = ox.Literal(manifest[source.seed])
    return [ox.Quad(source.iri, ox.NamedNode(AIA + "seedSha256"), digest, source.graph)]
