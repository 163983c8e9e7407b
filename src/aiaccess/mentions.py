"""The computed mention index: which registry entities each article names, where.

Nothing here is hand-written: the build scans each seed for every label and
surface form in the registry, in all five languages, and records each hit as an
``aia:Mention`` annotation plus a plain ``<article> aia:mentions <entity>``, and
for each entity an ``aia:MentionTally`` of how many places name it, so that a
query reads the count instead of grouping the annotations each time.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict

import pyoxigraph as ox

from aiaccess.annotations import (
    Span,
    annotation_quads,
    local_name,
    occurrences,
    span_at,
    target_quads,
)
from aiaccess.namespaces import AIA, ID, MENTIONS_GRAPH, RDF, RDFS, XSD, term

GRAPH = ox.NamedNode(MENTIONS_GRAPH)
_NAMES = {AIA + "surfaceForm", RDFS + "label"}


def surface_forms(registry: list[ox.Triple]) -> dict[str, set[ox.NamedNode]]:
    """Return ``{name: entities}`` for every label and surface form in the registry."""
    forms: dict[str, set[ox.NamedNode]] = defaultdict(set)
    for triple in registry:
        subject, name = triple.subject, triple.object
        if (
            triple.predicate.value in _NAMES
            and isinstance(subject, ox.NamedNode)
            and isinstance(name, ox.Literal)
        ):
            forms[name.value].add(subject)
    return forms


def _latin_word(char: str) -> bool:
    """Tell whether ``char`` continues a Latin-script word (letters, digits)."""
    return char.isalnum() and (char.isascii() or "LATIN" in unicodedata.name(char, ""))


def matches(text: str, form: str) -> list[int]:
    """Return where ``form`` occurs in ``text`` as a whole word.

    A form that starts or ends with a Latin letter or digit must not continue a
    Latin word ("US" is not found in "USE", "China" not in "Chinese"); Hebrew
    and Chinese forms may touch their neighbours, since those scripts attach
    prefixes or use no spaces.

    >>> matches("US chips, USE, 美国", "US")
    [0]
    """
    found = []
    for start in occurrences(text, form):
        end = start + len(form)
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if _latin_word(form[0]) and before and _latin_word(before):
            continue
        if _latin_word(form[-1]) and after and _latin_word(after):
            continue
        found.append(start)
    return found


def mention_quads(
    slug: str, article: ox.NamedNode, text: str, forms: dict[str, set[ox.NamedNode]]
) -> list[ox.Quad]:
    """Return the mention annotations of every registry entity found in ``text``."""
    spans = _longest_spans(text, forms)
    quads: list[ox.Quad] = []
    for (entity, _), span in sorted(spans.items(), key=lambda item: (item[0][0].value, item[0][1])):
        quads += _mention(slug, article, entity, span)
    mentions = term(AIA + "mentions")
    named = sorted({entity for entity, _ in spans}, key=str)
    quads += [ox.Quad(article, mentions, entity, GRAPH) for entity in named]
    places = Counter(entity for entity, _ in spans)
    return quads + [q for e in named for q in _tally(slug, article, e, places[e])]


def _longest_spans(
    text: str, forms: dict[str, set[ox.NamedNode]]
) -> dict[tuple[ox.NamedNode, int], Span]:
    """Return the mentions found in ``text``: longest forms first, no two overlapping.

    A form nested in a longer one that was found is not a mention of its own:
    "Trung Quốc đại lục" (mainland China) does not also name "Trung Quốc"
    (China), and "Zhipu AI" is not also "Zhipu". A form that names several
    entities yields one mention of each, on the same span.

    >>> china, mainland = ox.NamedNode(ID + "place/china"), ox.NamedNode(ID + "place/mainland")
    >>> forms = {"Trung Quốc": {china}, "Trung Quốc đại lục": {mainland}}
    >>> [(e.value, s.exact) for (e, _), s in _longest_spans("Trung Quốc đại lục", forms).items()]
    [('https://w3id.org/aiaccess/id/place/mainland', 'Trung Quốc đại lục')]
    """
    taken: list[bool] = [False] * len(text)
    spans: dict[tuple[ox.NamedNode, int], Span] = {}
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        for start in matches(text, form):
            end = start + len(form)
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * len(form)
            for entity in forms[form]:
                spans[(entity, start)] = span_at(text, start, len(form))
    return spans


def _tally(slug: str, article: ox.NamedNode, entity: ox.NamedNode, count: int) -> list[ox.Quad]:
    """Return the quads saying at how many places ``article`` names ``entity``."""
    iri = ox.NamedNode(f"{ID}mention-tally/{slug}/{local_name(entity)}")
    triples: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (RDF + "type", term(AIA + "MentionTally")),
        (AIA + "tallyOf", entity),
        (AIA + "tallyIn", article),
        (AIA + "mentionCount", ox.Literal(str(count), datatype=term(XSD + "integer"))),
    ]
    return [ox.Quad(iri, term(p), o, GRAPH) for p, o in triples]


def _mention(slug: str, article: ox.NamedNode, entity: ox.NamedNode, span: Span) -> list[ox.Quad]:
    """Return the quads of one mention annotation."""
    iri = ox.NamedNode(f"{ID}mention/{slug}/{span.start}-{span.end}-{local_name(entity)}")
    return [
        *annotation_quads(iri, AIA + "Mention", "identifying", entity, GRAPH),
        ox.Quad(iri, term(AIA + "mentionOf"), entity, GRAPH),
        *target_quads(iri, article, span, None, GRAPH),
    ]
