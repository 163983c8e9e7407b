"""An in-memory index of the served quads for Linked Data: what to say about an IRI.

The description of a resource is every statement about it (or about its hash
sub-resources, ``<x#target>``), every statement pointing at it, and the
annotations whose body it is (evidence quotes and mentions) with their targets
and selectors. A named graph's IRI is described by the graph's content. The
index is built once at start, so dereferencing costs dictionary look-ups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from aiaccess.namespaces import AIA, OA, RDF, RDFS, REGISTRY_GRAPH, SCHEMA, SKOS

HAS_BODY = OA + "hasBody"
TYPE = RDF + "type"
_LABELS = (RDFS + "label", SKOS + "prefLabel", SCHEMA + "name", SCHEMA + "headline")
_SURFACE_FORM = AIA + "surfaceForm"
_ARTICLE = AIA + "Article"
_IN_LANGUAGE = SCHEMA + "inLanguage"
_REGISTRY = ox.NamedNode(REGISTRY_GRAPH)


def value_of(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """Return a term's IRI, identifier or lexical form (a quoted triple's N-Triples form).

    >>> value_of(ox.NamedNode("http://example.org/a"))
    'http://example.org/a'
    """
    return str(term) if isinstance(term, ox.Triple) else term.value


def document(iri: str) -> str:
    """Return the IRI without its fragment: the document that describes it.

    >>> document("https://w3id.org/aiaccess/ontology#Article")
    'https://w3id.org/aiaccess/ontology'
    """
    return iri.partition("#")[0]


@dataclass(frozen=True)
class Quote:
    """One annotation's quoted text, as shown on a resource's page."""

    annotation: str
    kind: str
    graph: str
    exact: ox.Literal | None
    prefix: str
    suffix: str
    gloss: ox.Literal | None
    source: str | None
    start: int | None = None
    """Where the quote starts in the article's text, in code points."""
    end: int | None = None


class Index:
    """The served quads, by document of their subject, by object, and by graph."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.subjects: dict[str, list[ox.Quad]] = defaultdict(list)
        self.objects: dict[str, list[ox.Quad]] = defaultdict(list)
        self.graphs: dict[str, list[ox.Quad]] = defaultdict(list)
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        self.forms: dict[str, dict[str, str]] = defaultdict(dict)
        self.articles: dict[str, str] = {}
        """The article each article graph describes, by the graph's IRI."""
        self.written_in: dict[str, str] = {}
        """The language of each article (``schema:inLanguage``), by the article's IRI."""
        for quad in quads:
            self._add(quad)

    def _add(self, quad: ox.Quad) -> None:
        """Index one quad."""
        subject, obj, graph = quad.subject, quad.object, quad.graph_name
        if isinstance(subject, ox.NamedNode):
            self.subjects[document(subject.value)].append(quad)
            if isinstance(obj, ox.Literal):
                self._label(subject.value, quad.predicate.value, obj)
                if quad.predicate.value == _IN_LANGUAGE:
                    self.written_in[subject.value] = obj.value
        if isinstance(obj, ox.NamedNode):
            self.objects[obj.value].append(quad)
        if isinstance(graph, ox.NamedNode):
            self.graphs[graph.value].append(quad)
            if quad.predicate.value == TYPE and value_of(obj) == _ARTICLE:
                self.articles[graph.value] = value_of(subject)

    def _label(self, iri: str, predicate: str, literal: ox.Literal) -> None:
        """Record a name of ``iri`` per language: its labels, and its surface forms."""
        if predicate in _LABELS:
            self.labels[iri].setdefault(literal.language or "", literal.value)
        elif predicate == _SURFACE_FORM:
            self.forms[iri].setdefault(literal.language or "", literal.value)

    def __contains__(self, iri: object) -> bool:
        """Tell whether anything is known about ``iri``."""
        return isinstance(iri, str) and (
            iri in self.subjects or iri in self.objects or iri in self.graphs
        )

    def describe(self, iri: str) -> list[ox.Quad]:
        """Return the quads describing ``iri``, sorted; empty if it is unknown.

        A named graph's description also holds every quad of the graph.
        """
        found = set(self.graphs.get(iri, ()))
        found.update(self.subjects.get(iri, ()))
        found.update(self.objects.get(iri, ()))
        for annotation in self.annotations(iri):
            found.update(self.subjects.get(document(value_of(annotation.subject)), ()))
        return sorted(found, key=str)

    def annotations(self, iri: str) -> list[ox.Quad]:
        """Return the ``oa:hasBody <iri>`` statements of annotations about ``iri``."""
        return [
            q
            for q in self.objects.get(iri, ())
            if q.predicate.value == HAS_BODY and isinstance(q.subject, ox.NamedNode)
        ]

    def quotes(self, iri: str) -> list[Quote]:
        """Return the quoted passages of the annotations about ``iri``."""
        return [self.quote(value_of(q.subject), q.graph_name) for q in self.annotations(iri)]

    def quote(
        self, annotation: str, graph: str | ox.NamedNode | ox.BlankNode | ox.DefaultGraph
    ) -> Quote:
        """Read one annotation's selectors, gloss, source and kind (``graph``: where it is)."""
        values: dict[str, ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple] = {}
        kinds = []
        for quad in self.subjects.get(annotation, ()):
            key = value_of(quad.subject).removeprefix(annotation) + " " + quad.predicate.value
            values.setdefault(key, quad.object)
            if value_of(quad.subject) == annotation and quad.predicate.value == TYPE:
                kinds.append(value_of(quad.object))
        kind = next((k for k in kinds if not k.startswith(OA)), OA + "Annotation")
        return Quote(
            annotation,
            kind,
            graph if isinstance(graph, str) else _graph_iri(graph),
            _literal(values.get("#quote " + OA + "exact")),
            _text(values.get("#quote " + OA + "prefix")),
            _text(values.get("#quote " + OA + "suffix")),
            _literal(values.get(" " + AIA + "gloss")),
            _iri(values.get("#target " + OA + "hasSource")),
            _integer(values.get("#position " + OA + "start")),
            _integer(values.get("#position " + OA + "end")),
        )

    def label(self, iri: str, languages: Iterable[str] = ()) -> str | None:
        """Return the name of ``iri`` in the first of ``languages`` it has, else English.

        A label in a language comes before a surface form in it; a resource with
        no label at all has no name (None).
        """
        found = self.name(iri, languages)
        return found[0] if found else None

    def name(self, iri: str, languages: Iterable[str] = ()) -> tuple[str, str] | None:
        """Return the name :meth:`label` gives, with its language tag ("" if untagged)."""
        labels = self.labels.get(iri)
        if not labels:
            return None
        forms = self.forms.get(iri, {})
        for language in languages:
            for names in (labels, forms):
                if names.get(language):
                    return names[language], language
        for language in ("en", ""):
            if labels.get(language):
                return labels[language], language
        return next((name, lang) for lang, name in labels.items())

    def registered(self, iri: str) -> bool:
        """Tell whether the registry describes ``iri`` (an organization, person, place…)."""
        return any(
            value_of(q.subject) == iri and q.graph_name == _REGISTRY
            for q in self.subjects.get(document(iri), ())
        )

    def types(self, iri: str) -> list[str]:
        """Return the IRIs of the classes of ``iri``."""
        return sorted(
            {
                value_of(q.object)
                for q in self.subjects.get(document(iri), ())
                if value_of(q.subject) == iri and q.predicate.value == TYPE
            }
        )


def _literal(term: object) -> ox.Literal | None:
    """Return ``term`` if it is a literal."""
    return term if isinstance(term, ox.Literal) else None


def _text(term: object) -> str:
    """Return a literal's text, or an empty string."""
    return term.value if isinstance(term, ox.Literal) else ""


def _iri(term: object) -> str | None:
    """Return a named node's IRI."""
    return term.value if isinstance(term, ox.NamedNode) else None


def _integer(term: object) -> int | None:
    """Return an integer literal's value."""
    if isinstance(term, ox.Literal) and term.value.lstrip("-").isdigit():
        return int(term.value)
    return None


def _graph_iri(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    """Return a named graph's IRI, or "" for the default graph."""
    return graph.value if isinstance(graph, ox.NamedNode) else ""
