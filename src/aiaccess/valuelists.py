"""The lists in query cells, computed by the build and sorted: the same text on every engine.

SPARQL 1.1 leaves the order of ``GROUP_CONCAT`` to the engine, so a query
that shows, say, every jurisdiction an article gives a restriction would print
"China, Hong Kong" on one engine and "Hong Kong, China" on another. The build
writes those lists instead, into graph/comparison: one ``aia:ValueList`` per
article graph (``aia:inGraph``), subject (``aia:listOf``) and property
(``aia:listedProperty``), whose ``rdf:value`` is the values joined in code
point order, each once. A list of names has one such node per language of the
data (``dcterms:language``), naming each value by its labels in that language,
else in English, else by its IRI; a list of texts (conditions, quotes) has one.
A list with nothing in it is not written: a query reads it with ``OPTIONAL``
and shows "".

The lists are those the canned queries show (:data:`NAMED`, :data:`TEXTS`), and
two that follow a path rather than one property: the outlets an article credits
(``aia:creditedOutlet``: ``schema:isBasedOn`` of the article or
``aia:reportedVia`` of any fact it reports) and, for each outlet a fact is
credited to, the quotes of the fact's evidence that name the outlet
(``aia:reportedVia`` with ``aia:naming`` the outlet).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from aiaccess.graphindex import GraphIndex, Index, Term
from aiaccess.namespaces import AIA, ARTICLE_GRAPH, DCTERMS, ID, OA, RDF, RDFS, SCHEMA, term

_NAMED_AIA = ("actor", "service", "jurisdiction", "audience", "excludedAudience", "operatedBy")
_NAMED_PARTIES = ("fromParty", "toParty", "party", "operatedService", "claimant")
NAMED = (
    *(AIA + name for name in _NAMED_AIA + _NAMED_PARTIES),
    SCHEMA + "author",
    SCHEMA + "publisher",
)
"""Properties whose values are listed by name, in every language."""

_SHOWN_NAMES = "AccessRestriction ContinuedAccessRoute Partnership Investment OperatingArrangement"
SHOWN = frozenset(AIA + name for name in (*_SHOWN_NAMES.split(), "RevenueShare", "Article"))
"""Classes of the facts whose names the canned queries show one row per source for."""

VOICED = frozenset(AIA + name for name in ("Predicted", "Speculated", "Opinion"))
"""Certainties of the claims predictions-and-opinions shows, with claimants and topics."""

_SHOWN_OR_VOICED = SHOWN | VOICED

TEXTS = (AIA + "condition", AIA + "evidence")
"""Properties whose values are listed as text: conditions, and the evidence's quotes."""

ABOUT = AIA + "about"
CREDITED = AIA + "creditedOutlet"
REPORTED_VIA = AIA + "reportedVia"
_CREDITS = (SCHEMA + "isBasedOn", REPORTED_VIA)
_SURFACE_FORM = AIA + "surfaceForm"
_LABEL = RDFS + "label"
_CONDITION = AIA + "condition"
_EVIDENCE = AIA + "evidence"
_TYPE = term(RDF + "type")
_ARTICLE = term(AIA + "Article")
_VALUE_LIST = term(AIA + "ValueList")
_LIST_OF = term(AIA + "listOf")
_IN_GRAPH = term(AIA + "inGraph")
_LISTED_PROPERTY = term(AIA + "listedProperty")
_VALUE = term(RDF + "value")
_LANGUAGE = term(DCTERMS + "language")
_NAMING = term(AIA + "naming")
NAME_SEPARATOR = ", "
TEXT_SEPARATOR = " | "

Labels = dict[Term, dict[ox.NamedNode, dict[str, set[str]]]]
"""Resource -> graph -> language -> its ``rdfs:label`` texts there."""


@dataclass(frozen=True)
class Namer:
    """Every resource's labels, by graph and language, and the languages lists are written in."""

    labels: Labels
    languages: tuple[str, ...]
    forms: dict[Term, set[str]]

    @classmethod
    def read(cls, graphs: dict[ox.NamedNode, Index]) -> Namer:
        """Collect the language-tagged ``rdfs:label`` of every resource in every graph."""
        labels: Labels = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
        forms: dict[Term, set[str]] = defaultdict(set)
        for graph, subjects in graphs.items():
            for subject, props in subjects.items():
                named = (*props.get(_LABEL, ()), *props.get(_SURFACE_FORM, ()))
                if not named:
                    continue
                for label in props.get(_LABEL, ()):
                    if isinstance(label, ox.Literal) and label.language:
                        labels[subject][graph][label.language].add(label.value)
                forms[subject].update(_text(form) for form in named)
        found = {lang for by in labels.values() for g in by.values() for lang in g}
        return cls(labels, tuple(sorted(found | {"en"})), forms)

    def names(self, term: Term, lang: str, graph: ox.NamedNode | None = None) -> set[str]:
        """Return a value's names in ``lang``: its labels there, else in English, else its text.

        With ``graph``, the labels that graph gives the resource come first, when
        it gives any (what a source calls a fact it speaks about).

        >>> urn = ox.NamedNode("urn:x:ms")
        >>> namer = Namer({urn: {ox.NamedNode("urn:g"): {"en": {"Microsoft"}}}}, ("en",), {})
        >>> namer.names(urn, "zh"), namer.names(ox.Literal("text"), "zh")
        ({'Microsoft'}, {'text'})
        """
        by_graph = self.labels.get(term, {})
        if graph is not None and graph in by_graph:
            by_graph = {graph: by_graph[graph]}
        for language in (lang, "en"):
            found = {text for by in by_graph.values() for text in by.get(language, ())}
            if found:
                return found
        return {_text(term)}


def value_lists(index: GraphIndex, graph: ox.NamedNode) -> list[ox.Quad]:
    """Return the value lists of every article graph, written into ``graph``.

    >>> from aiaccess.dataset import assemble
    >>> found = value_lists(GraphIndex.of(assemble().quads), ox.NamedNode("urn:g"))
    >>> sorted({q.object.value for q in found if q.predicate.value == DCTERMS + "language"})
    ['en', 'fr', 'he', 'vi', 'zh']
    """
    graphs = index.graphs
    namer = Namer.read(graphs)
    out: list[ox.Quad] = []
    for name in sorted(graphs, key=lambda g: g.value):
        if name.value.startswith(ARTICLE_GRAPH):
            out += _graph_lists(name, graphs[name], namer, graph)
    return out


def _graph_lists(
    name: ox.NamedNode, index: Index, namer: Namer, graph: ox.NamedNode
) -> list[ox.Quad]:
    """Return the value lists of one article graph.

    A list is made only for what a subject has values of (most subjects have
    few of the listed properties).
    """
    out: list[ox.Quad] = []
    shown = _shown(index)
    for subject, props in sorted(index.items(), key=lambda item: item[0].value):
        if subject in shown:
            out += _names(subject, name, props, namer, graph)
        if conditions := props.get(_CONDITION):
            out += _texts(List(subject, name, _CONDITION), conditions, graph)
        quotes = _quotes(props.get(_EVIDENCE, ()), index)
        if quotes:
            out += _written(List(subject, name, _EVIDENCE), quotes, graph)
        if any(p in props for p in _CREDITS):
            out += _credit_quotes(subject, name, props, quotes, namer, graph)
        if _ARTICLE in props.get(RDF + "type", ()):
            credited = [o for s in index.values() for p in _CREDITS for o in s.get(p, ())]
            out += _named(List(subject, name, CREDITED), credited, namer, graph)
    return out


def _shown(index: Index) -> set[ox.NamedNode]:
    """Return the subjects of an article graph whose names the canned queries list.

    The facts of :data:`SHOWN` classes, claims of a :data:`VOICED` certainty, facts
    credited to an outlet (their speakers) and what narrows a route (its audience).
    Lists of the other facts' names would be read by no query.
    """
    shown: set[ox.NamedNode] = set()
    for subject, props in index.items():
        kinds = {
            _text(t) for t in (*props.get(RDF + "type", ()), *props.get(AIA + "certainty", ()))
        }
        if not _SHOWN_OR_VOICED.isdisjoint(kinds) or any(p in props for p in _CREDITS):
            shown.add(subject)
        shown |= {n for n in props.get(AIA + "narrowedBy", ()) if isinstance(n, ox.NamedNode)}
    return shown


def _names(
    subject: ox.NamedNode,
    name: ox.NamedNode,
    props: dict[str, list[Term]],
    namer: Namer,
    graph: ox.NamedNode,
) -> list[ox.Quad]:
    """Return the lists of names of one subject's values: each of :data:`NAMED`, and its topics."""
    out: list[ox.Quad] = []
    for prop in NAMED:
        if values := props.get(prop):
            out += _named(List(subject, name, prop), values, namer, graph)
    if topics := props.get(ABOUT):
        out += _named(List(subject, name, ABOUT), topics, namer, graph, own=True)
    return out


@dataclass(frozen=True)
class List:
    """What a value list lists: a subject's values of a property in an article graph."""

    subject: ox.NamedNode
    graph: ox.NamedNode
    prop: str
    naming: ox.NamedNode | None = None

    @functools.cached_property
    def _base(self) -> str:
        """Return the list's IRI without its language, minted from what it lists."""
        parts = [
            self.graph.value.rsplit("/", 1)[-1],
            self.subject.value.removeprefix(ID).replace("#", "/"),
            self.prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
        ]
        if self.naming is not None:
            parts.append(self.naming.value.removeprefix(ID))
        return f"{ID}list/{'/'.join(parts)}"

    def iri(self, lang: str | None) -> ox.NamedNode:
        """Return the list's IRI, minted from what it lists (and its language)."""
        return ox.NamedNode(self._base + (f"/{lang}" if lang else ""))

    def quads(self, lang: str | None, value: str, graph: ox.NamedNode) -> list[ox.Quad]:
        """Return the quads of the list in ``lang`` (None for a list of texts)."""
        iri = self.iri(lang)
        quads = [
            ox.Quad(iri, _TYPE, _VALUE_LIST, graph),
            ox.Quad(iri, _LIST_OF, self.subject, graph),
            ox.Quad(iri, _IN_GRAPH, self.graph, graph),
            ox.Quad(iri, _LISTED_PROPERTY, term(self.prop), graph),
            ox.Quad(iri, _VALUE, ox.Literal(value), graph),
        ]
        if lang is not None:
            quads.append(ox.Quad(iri, _LANGUAGE, ox.Literal(lang), graph))
        if self.naming is not None:
            quads.append(ox.Quad(iri, _NAMING, self.naming, graph))
        return quads


def _named(
    listed: List, values: Iterable[Term], namer: Namer, graph: ox.NamedNode, own: bool = False
) -> list[ox.Quad]:
    """Return a list of names, one node per language; nothing when there are no values."""
    values = list(values)
    if not values:
        return []
    out = []
    for lang in namer.languages:
        found = {n for v in values for n in namer.names(v, lang, listed.graph if own else None)}
        out += listed.quads(lang, NAME_SEPARATOR.join(sorted(found)), graph)
    return out


def _texts(listed: List, values: Iterable[Term], graph: ox.NamedNode) -> list[ox.Quad]:
    """Return a list of literal values' texts; nothing when there are none."""
    texts = {v.value for v in values if isinstance(v, ox.Literal)}
    return _written(listed, texts, graph)


def _written(listed: List, texts: Iterable[str], graph: ox.NamedNode) -> list[ox.Quad]:
    """Return a list of texts, sorted and each once; nothing when there are none."""
    found = sorted(set(texts))
    return listed.quads(None, TEXT_SEPARATOR.join(found), graph) if found else []


def _quotes(evidence: Iterable[Term], index: Index) -> set[str]:
    """Return the exact quotes of the evidence annotations."""
    return {
        _text(exact)
        for annotation in evidence
        for target in _objects(index, annotation, OA + "hasTarget")
        for selector in _objects(index, target, OA + "hasSelector")
        for exact in _objects(index, selector, OA + "exact")
    }


def _objects(index: Index, subject: Term, prop: str) -> list[Term]:
    """Return the objects of ``subject``'s ``prop`` in one graph (none for a literal)."""
    return index.get(subject, {}).get(prop, []) if isinstance(subject, ox.NamedNode) else []


def _text(term: Term) -> str:
    """Return the lexical form of an IRI or literal."""
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def _credit_quotes(
    subject: ox.NamedNode,
    name: ox.NamedNode,
    props: dict[str, list[Term]],
    quotes: set[str],
    namer: Namer,
    graph: ox.NamedNode,
) -> list[ox.Quad]:
    """Return, per outlet the fact is credited to, the quotes that name the outlet."""
    out: list[ox.Quad] = []
    for outlet in sorted({o for p in _CREDITS for o in props.get(p, ())}, key=str):
        assert isinstance(outlet, ox.NamedNode)
        forms = namer.forms.get(outlet, set())
        naming = {q for q in quotes if any(form in q for form in forms)}
        out += _written(List(subject, name, REPORTED_VIA, outlet), naming, graph)
    return out
