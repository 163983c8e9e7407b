"""What people type for an entity or a language, resolved against the dataset.

An entity (a query parameter of kind ``iri``) may be given as a full IRI, as
``kind/slug`` (``org/openai``), as a bare slug (``openai``) or by a name in any
language of the data, as the registry writes it: an ``rdfs:label`` or an
``aia:surfaceForm`` (``OpenAI``, ``微软``, ``Trung Quốc``). Names are compared
after Unicode NFKC normalization, ignoring case and spacing. A value that
names nothing, or several things, is a :class:`~aiaccess.errors.EntityError`
that says what the user may have meant, so that a typo is never an empty answer.

A language is one the articles are written in (``schema:inLanguage``): labels
exist in those, and asking for another would silently fall back to English.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from aiaccess.errors import EntityError, ParameterError
from aiaccess.namespaces import AIA, ID, RDFS, REGISTRY_GRAPH, SCHEMA

SUGGESTIONS = 3
"""How many close names a "did you mean" offers."""

_NAMES = f"""SELECT ?entity ?name WHERE {{
  GRAPH <{REGISTRY_GRAPH}> {{ ?entity <{RDFS}label>|<{AIA}surfaceForm> ?name }}
}}"""
_LABELLED = f"""SELECT DISTINCT ?entity WHERE {{
  GRAPH ?g {{ ?entity <{RDFS}label> ?label }} FILTER(STRSTARTS(STR(?entity), "{ID}"))
}}"""
_ENGLISH = f"""SELECT ?entity ?name WHERE {{
  GRAPH <{REGISTRY_GRAPH}> {{ ?entity <{RDFS}label> ?name }} FILTER(LANG(?name) = "en")
}}"""
_LANGUAGES = f"""SELECT DISTINCT ?language WHERE {{
  GRAPH ?g {{ ?article a <{AIA}Article> ; <{SCHEMA}inLanguage> ?language }}
}}"""


def normalized(text: str) -> str:
    """Return ``text`` as names are compared: NFKC, case-folded, single spaces.

    >>> normalized("  Open\\u00a0AI ")
    'open ai'
    >>> normalized("ＯｐｅｎＡＩ") == normalized("openai")
    True
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def short(iri: str) -> str:
    """Return an IRI of the dataset as ``kind/slug``, any other IRI unchanged.

    >>> short("https://w3id.org/aiaccess/id/org/openai")
    'org/openai'
    """
    return iri.removeprefix(ID)


@dataclass(frozen=True)
class Names:
    """The dataset's names for its resources: registry names, slugs and English names."""

    by_name: Mapping[str, frozenset[str]]
    """Normalized registry name (label or surface form) → the IRIs it names."""
    by_slug: Mapping[str, frozenset[str]]
    """Slug, and ``kind/slug``, of every labelled resource → its IRIs."""
    english: Mapping[str, str]
    """IRI → English registry name, to show in messages."""

    @classmethod
    def of(cls, store: ox.Store) -> Names:
        """Read the names of the dataset in ``store``."""
        by_name: dict[str, set[str]] = defaultdict(set)
        for entity, name in _pairs(store, _NAMES):
            by_name[normalized(name)].add(entity)
        by_slug: dict[str, set[str]] = defaultdict(set)
        for (entity,) in _rows(store, _LABELLED):
            by_slug[short(entity).rsplit("/", 1)[-1]].add(entity)
            by_slug[short(entity)].add(entity)
        return cls(_frozen(by_name), _frozen(by_slug), dict(_pairs(store, _ENGLISH)))

    def resolve(self, text: str) -> str:
        """Return the IRI that a name or slug stands for.

        :param text: a name in any language of the registry, a slug or ``kind/slug``.
        :raises EntityError: if it names nothing (suggesting close names) or
            several things (listing them).
        """
        key = normalized(text)
        for index in (self.by_name, self.by_slug):
            found = index.get(key, frozenset())
            if len(found) == 1:
                return next(iter(found))
            if found:
                raise EntityError(f"{text!r} is ambiguous (did you mean {self._either(found)}?)")
        raise EntityError(f"no entity {text!r} in the dataset{self.hint(key)}")

    def described(self, iri: str) -> str:
        """Return ``kind/slug (English name)``, or just ``kind/slug`` without a name."""
        name = self.english.get(iri)
        return f"{short(iri)} ({name})" if name and normalized(name) != short(iri) else short(iri)

    def _either(self, iris: Iterable[str]) -> str:
        """Return the IRIs as ``a, b or c``, described."""
        shown = [self.described(iri) for iri in sorted(iris, key=short)]
        return " or ".join([", ".join(shown[:-1]), shown[-1]]) if len(shown) > 1 else shown[0]

    def hint(self, key: str) -> str:
        """Return `` (did you mean …?)`` for the names and slugs closest to ``key``, or ''."""
        candidates = {**self.by_slug, **self.by_name}
        close = difflib.get_close_matches(key, candidates, n=SUGGESTIONS * 2, cutoff=0.7)
        iris = list(dict.fromkeys(iri for match in close for iri in sorted(candidates[match])))
        return f" (did you mean {self._either(iris[:SUGGESTIONS])}?)" if iris else ""


def entity(text: str, store: ox.Store) -> ox.NamedNode:
    """Return the resource ``text`` stands for in the dataset held by ``store``.

    :param text: a full IRI, ``kind/slug``, a bare slug, or a registry name in any language.
    :raises EntityError: if nothing in the dataset is called so, or several things are.
    :raises ParameterError: if it looks like an IRI but is not one.

    >>> from aiaccess.load import store
    >>> data = store()
    >>> [entity(name, data).value.removeprefix(ID) for name in ("微软", "openai", "Trung Quốc")]
    ['org/microsoft', 'org/openai', 'place/china']
    >>> entity("Micrsoft", data)
    Traceback (most recent call last):
    ...
    aiaccess.errors.EntityError: no entity 'Micrsoft' in the dataset (did you mean org/microsoft ...
    """
    if ":" in text or "/" in text:
        try:
            node = ox.NamedNode(text if ":" in text else ID + text)
        except ValueError as error:
            raise ParameterError(f"{text!r} is not an IRI ({error})") from None
        if _known(store, node):
            return node
        iri = node.value
        names = Names.of(store)
        raise EntityError(f"no entity {text!r} in the dataset{names.hint(normalized(short(iri)))}")
    return ox.NamedNode(Names.of(store).resolve(text))


def languages(store: ox.Store) -> tuple[str, ...]:
    """Return the languages of the dataset's articles, sorted.

    >>> from aiaccess.load import store
    >>> languages(store())
    ('en', 'fr', 'he', 'vi', 'zh')
    """
    return tuple(sorted({language.lower() for (language,) in _rows(store, _LANGUAGES)}))


def language(tag: str, store: ox.Store) -> str:
    """Return ``tag``, lower-cased, if the articles are written in it.

    :raises ParameterError: otherwise, listing the languages there are.

    >>> from aiaccess.load import store
    >>> language("ZH", store())
    'zh'
    >>> language("de", store())
    Traceback (most recent call last):
    ...
    aiaccess.errors.ParameterError: no article is in language 'de'; the languages: en, fr, ...
    """
    known = languages(store)
    if tag.strip().lower() in known:
        return tag.strip().lower()
    raise ParameterError(f"no article is in language {tag!r}; the languages: {', '.join(known)}")


def _known(store: ox.Store, node: ox.NamedNode) -> bool:
    """Return whether any graph of ``store`` says anything about ``node``."""
    return any(True for _ in store.quads_for_pattern(node, None, None)) or any(
        True for _ in store.quads_for_pattern(None, None, node)
    )


def _rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    """Run a SELECT on every graph and return its rows as strings."""
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return [tuple(term.value for term in row if term is not None) for row in solutions]


def _pairs(store: ox.Store, query: str) -> list[tuple[str, str]]:
    """Run a two-column SELECT and return its rows as pairs."""
    return [(row[0], row[1]) for row in _rows(store, query)]


def _frozen(index: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    """Return an index with frozen sets."""
    return {key: frozenset(values) for key, values in index.items()}
