"""Every source's values of a fact, gathered into sorted lists, in each language's names.

A query that shows one row per fact across its sources (government-actions,
migration-offers) needs lists: the actors any source names, each source's terms.
SPARQL leaves the order of ``GROUP_CONCAT`` to the engine, so the build writes
the lists, sorted, into graph/comparison: one ``aia:Listing`` per fact and
language (English, and each language whose names differ), giving for the
aspects of :data:`LISTS` the values of all sources (``aia:actorList``…) and
each source's own (``aia:actorsBySource``…, "en: …; vi: …").
"""

from __future__ import annotations

import pyoxigraph as ox

from aiaccess.aspects import ASPECTS, Aspect, Value, value_of, words
from aiaccess.namespaces import AIA, DCTERMS, SCHEMA, term
from aiaccess.naming import Names
from aiaccess.statements import Statement

LISTS: dict[str, tuple[str | None, str | None]] = {
    "actor": ("actorList", "actorsBySource"),
    "jurisdiction": ("jurisdictionList", None),
    "target": ("targetList", None),
    "service": ("serviceList", None),
    "terms": (None, "termsBySource"),
    "start date": (None, "startBySource"),
    "amount": (None, "amountBySource"),
    "unit": (None, "unitBySource"),
}
"""Aspect -> the listing's properties for all sources' values and for each source's.

Each is a property of the listing itself (not an item per aspect), so that a query
reads a row's lists with lookups on one node, which Oxigraph answers fast; every
listing has them all, "" when no source states the aspect.
"""

UNIT = Aspect("unit", (SCHEMA + "unitText",), "difference")
"""What a quantity counts: listed, not compared (sources word units differently)."""

Items = dict[str, tuple[str, str]]
"""Aspect name -> (all sources' values, each source's values)."""


def listing_quads(
    comparison: ox.NamedNode, said: list[Statement], names: Names, graph: ox.NamedNode
) -> list[ox.Quad]:
    """Return the listings of one fact: English, and each language whose names differ.

    Each language of the data also gets a choice (``aia:listingIn``) naming the
    listing to read in that language: its own, or the English one. A query then
    picks one listing per fact by language alone, without asking whether another
    listing exists (which costs more than the rest of the query).
    """
    values = _values(said)
    english = _items(values, names, "en")
    quads: list[ox.Quad] = []
    for lang in names.languages:
        items = english if lang == "en" else _items(values, names, lang)
        own = lang == "en" or items != english
        listing = ox.NamedNode(f"{comparison.value}/{lang if own else 'en'}")
        if own:
            quads.append(ox.Quad(comparison, term(AIA + "listing"), listing, graph))
            quads += _quads(listing, lang, items, graph)
        quads += _choice(comparison, lang, listing, graph)
    return quads


def _choice(
    comparison: ox.NamedNode, lang: str, listing: ox.NamedNode, graph: ox.NamedNode
) -> list[ox.Quad]:
    """Return the choice of the listing to read a fact's values in ``lang``."""
    choice = ox.NamedNode(f"{comparison.value}/in/{lang}")
    return [
        ox.Quad(comparison, term(AIA + "listingIn"), choice, graph),
        ox.Quad(choice, term(DCTERMS + "language"), ox.Literal(lang), graph),
        ox.Quad(choice, term(AIA + "listing"), listing, graph),
    ]


def languages_quads(names: Names, graph: ox.NamedNode) -> list[ox.Quad]:
    """Return the languages the comparison graph names things in, on the graph itself."""
    language = term(DCTERMS + "language")
    return [ox.Quad(graph, language, ox.Literal(lang), graph) for lang in names.languages]


Values = list[tuple[Aspect, list[tuple[str, Value]], Value | None]]
"""Per listed aspect: each stating source's language and value, and all sources' merged value."""


def _values(said: list[Statement]) -> Values:
    """Return the values of each listed aspect, found once for every language's listing.

    The merged value is None for amounts (listed per source) and when no source
    states the aspect.
    """
    found: Values = []
    for aspect in (*ASPECTS, UNIT):
        if aspect.name in LISTS:
            pairs = [(s, v) for s in said if (v := value_of(aspect, (s,))) is not None]
            stating = tuple(s for s, _ in pairs)
            merged = value_of(aspect, stating) if stating and aspect.kind != "amounts" else None
            found.append((aspect, [(s.language, v) for s, v in pairs], merged))
    return found


def _items(values: Values, names: Names, lang: str) -> Items:
    """Return each listed aspect's values, all sources' and each source's, in ``lang``."""
    items: Items = {}
    for aspect, stated, merged in values:
        own = sorted((language, words(aspect, value, names, lang)) for language, value in stated)
        if merged is None:
            every = "; ".join(sorted({text for _, text in own}))
        else:
            every = words(aspect, merged, names, lang)
        items[aspect.name] = (every, _attributed(own))
    return items


def _attributed(own: list[tuple[str, str]]) -> str:
    """Return each source's value prefixed with its language: "en: …; vi: …"."""
    return "; ".join(f"{language}: {text}" for language, text in own)


def _quads(listing: ox.NamedNode, lang: str, items: Items, graph: ox.NamedNode) -> list[ox.Quad]:
    """Return one listing's quads: its lists (its language is on the choices naming it)."""
    quads: list[ox.Quad] = []
    for name, values in sorted(items.items()):
        for prop, text in zip(LISTS[name], values, strict=True):
            if prop is not None:
                quads.append(ox.Quad(listing, term(AIA + prop), ox.Literal(text), graph))
    return quads
