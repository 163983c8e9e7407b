"""One article's part of the dataset, computed from that article alone.

An article's part is its graph (the curated triples, evidence located in its
seed), its seed's checksum and its mentions. Nothing in it depends on another
article, so the build computes the parts in parallel worker processes and
remembers each one under a hash of everything it was computed from.

:data:`STEPS` lists the computed steps run on each article, in order; each
returns quads. Adding a computed step is one line there.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from aiaccess import evidence, mentions, seeds
from aiaccess.errors import DataError
from aiaccess.graphindex import Term
from aiaccess.namespaces import AIA, RDF, SCHEMA, article_graph, article_iri
from aiaccess.turtle import parse_file

_TYPE = ox.NamedNode(RDF + "type")
_ARTICLE = ox.NamedNode(AIA + "Article")
SEED_FILE = ox.NamedNode(AIA + "seedFile")
SEED_SHA256 = ox.NamedNode(AIA + "seedSha256")
LANGUAGE = ox.NamedNode(SCHEMA + "inLanguage")


class Forms:
    """The registry's names (labels and surface forms) and the entities each names.

    Finding which of many thousand names occur in a text is one pass of an
    Aho-Corasick automaton, built once per process, not one search per name.
    """

    def __init__(self, names: dict[str, set[ox.NamedNode]]) -> None:
        self.names = names

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the names only; each process builds its own automaton."""
        return {"names": self.names}

    @functools.cached_property
    def _automaton(self) -> Any:
        """Return the automaton finding every name at once."""
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for name in self.names:
            automaton.add_word(name, name)
        automaton.make_automaton()
        return automaton

    def present(self, text: str) -> dict[str, set[ox.NamedNode]]:
        """Return the names that occur somewhere in ``text``, with their entities."""
        if not self.names:
            return {}
        found = {name for _, name in self._automaton.iter(text)}
        return {name: self.names[name] for name in sorted(found)}


@dataclass(frozen=True)
class Article:
    """What a computed step sees: the article, its curated triples, the registry's names."""

    source: evidence.Source
    triples: list[ox.Triple]
    seed_sha256: str
    forms: Forms


Step = Callable[[Article], list[ox.Quad]]


def _facts(article: Article) -> list[ox.Quad]:
    """The article's own triples in its graph, each evidence node located in the seed."""
    return evidence.expand(article.triples, article.source)


def _seed_checksum(article: Article) -> list[ox.Quad]:
    """Record the seed's checksum on the article, so the text can be verified."""
    source = article.source
    return [ox.Quad(source.iri, SEED_SHA256, ox.Literal(article.seed_sha256), source.graph)]


def _mentions(article: Article) -> list[ox.Quad]:
    """The registry entities the seed names, and where."""
    source = article.source
    present = article.forms.present(source.text)
    return mentions.mention_quads(source.slug, source.iri, source.text, present)


STEPS: tuple[Step, ...] = (_facts, _seed_checksum, _mentions)
"""The computed steps, run on each article in this order."""


@dataclass(frozen=True)
class Job:
    """Where one article's inputs are: its file, as shown in messages, and the seeds."""

    path: Path
    shown: Path
    seeds: Path


@dataclass(frozen=True)
class Context:
    """What every article's computation shares: the seeds' manifest and the registry's names."""

    manifest: dict[str, str]
    forms: Forms


def compute(job: Job, context: Context) -> tuple[bytes, list[ox.Quad]]:
    """Return the article's part as N-Quads, one sorted line per quad, and its distinct quads.

    The quads (in no particular order) spare the caller parsing the part again.

    :raises DataSyntaxError: if the file is not valid Turtle.
    :raises EvidenceError: if a quote is not verbatim in the seed.
    :raises DataError: if the file breaks the modelling contract.
    :raises SeedError: if the seed file is missing.
    """
    triples = parse_file(job.path, job.shown)
    source = _source(job, triples, context.manifest)
    article = Article(source, triples, context.manifest[source.seed], context.forms)
    quads = [quad for step in STEPS for quad in step(article)]
    lines = (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").splitlines(keepends=True)
    by_line = dict(zip(lines, quads, strict=True))
    return b"".join(sorted(by_line)), list(by_line.values())


def source_of(job: Job, quads: list[ox.Quad], manifest: dict[str, str]) -> evidence.Source | None:
    """Return the article a remembered part describes, if its seed is unchanged; else None."""
    graph = ox.NamedNode(article_graph(job.path.stem))
    iri = ox.NamedNode(article_iri(job.path.stem))
    values = {
        q.predicate: q.object.value
        for q in quads
        if q.subject == iri and q.graph_name == graph and isinstance(q.object, ox.Literal)
    }
    seed, language = values.get(SEED_FILE), values.get(LANGUAGE)
    if seed is None or language is None or manifest.get(seed) != values.get(SEED_SHA256):
        return None
    text = seeds.read_text(job.seeds, seed)
    return evidence.Source(job.path.stem, seed, job.shown, iri, graph, language, text)


def _source(job: Job, triples: list[ox.Triple], manifest: dict[str, str]) -> evidence.Source:
    """Return the article a file describes, checking its metadata."""
    slug, shown = job.path.stem, job.shown
    iri = ox.NamedNode(article_iri(slug))
    own = [(t.predicate, t.object) for t in triples if t.subject == iri]
    if (_TYPE, _ARTICLE) not in own:
        raise DataError(
            shown, f"file must describe <{iri.value}> a aia:Article (its name is the slug)"
        )
    seed = _one_literal(own, iri, SEED_FILE, shown)
    if seed not in manifest:
        raise DataError(shown, f"aia:seedFile {seed!r} is not a seed listed in seeds/SHA256SUMS")
    language = _one_literal(own, iri, LANGUAGE, shown)
    text = seeds.read_text(job.seeds, seed)
    graph = ox.NamedNode(article_graph(slug))
    return evidence.Source(slug, seed, shown, iri, graph, language, text)


def _one_literal(
    own: list[tuple[ox.NamedNode, Term]],
    subject: ox.NamedNode,
    predicate: ox.NamedNode,
    shown: Path,
) -> str:
    """Return the single literal value of ``predicate`` among ``subject``'s ``own`` statements."""
    values = [o.value for p, o in own if p == predicate and isinstance(o, ox.Literal)]
    if len(values) != 1:
        raise DataError(shown, f"<{subject.value}> needs exactly one <{predicate.value}>")
    return values[0]
