"""Names of resources in each language, for the words the build writes (findings, lists).

A resource's name in a language is its ``rdfs:label`` (or ``skos:prefLabel``)
in that language, else its English one, else its IRI's last segment; a literal
is its lexical form. The languages are those the data's labels use.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from aiaccess.graphindex import GraphIndex
from aiaccess.namespaces import RDFS, SKOS

_LABELS = (RDFS + "label", SKOS + "prefLabel")


@dataclass(frozen=True)
class Names:
    """Every labelled resource's names by language."""

    labels: dict[ox.NamedNode, dict[str, str]]
    languages: tuple[str, ...]

    @classmethod
    def read(cls, index: GraphIndex) -> Names:
        """Collect the labels of every graph; the first label per language wins, sorted."""
        found: dict[ox.NamedNode, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for subjects in index.graphs.values():
            for subject, props in subjects.items():
                for prop in _LABELS:
                    for obj in props.get(prop, ()):
                        if isinstance(obj, ox.Literal) and obj.language:
                            found[subject][obj.language].append(obj.value)
        labels = {s: {lang: min(v) for lang, v in by.items()} for s, by in found.items()}
        languages = sorted({lang for by in labels.values() for lang in by} | {"en"})
        return cls(labels, tuple(languages))

    def of(self, term: object, language: str = "en") -> str:
        """Return a term's name in ``language``, else in English, else its IRI's last segment.

        >>> names = Names({ox.NamedNode("urn:x/ms"): {"en": "Microsoft", "zh": "微软"}}, ("en",))
        >>> names.of(ox.NamedNode("urn:x/ms"), "zh"), names.of(ox.NamedNode("urn:x/ms"), "fr")
        ('微软', 'Microsoft')
        >>> names.of(ox.NamedNode("urn:x/unnamed")), names.of(None)
        ('unnamed', '(not named)')
        """
        if term is None:
            return "(not named)"
        if isinstance(term, ox.NamedNode):
            by = self.labels.get(term, {})
            return by.get(language) or by.get("en") or term.value.rsplit("/", 1)[-1]
        if isinstance(term, ox.Literal):
            return term.value
        return str(term)
