"""Checks shared by the tests of built dumps: every parser reads each dump as the dataset."""

from __future__ import annotations

import warnings
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import XSD


def _rdflib_term(term: ox.NamedNode | ox.Literal | ox.BlankNode | ox.DefaultGraph) -> object:
    """Return the rdflib term equal to an Oxigraph term."""
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):  # rdflib keeps simple literals untyped
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    assert isinstance(term, ox.NamedNode)
    return rdflib.URIRef(term.value)


def assert_dumps_hold_the_dataset(dist: Path) -> None:
    """Assert that Oxigraph and rdflib read every dump in ``dist`` as ``dataset.nq``'s quads.

    The Turtle dump (the union of the graphs) must hold each triple exactly once.
    """
    nq = list(ox.parse(path=dist / "dataset.nq", format=ox.RdfFormat.N_QUADS))
    assert len(nq) == len(set(nq))
    for name, fmt in (
        ("dataset.trig", ox.RdfFormat.TRIG),
        ("dataset.jsonld", ox.RdfFormat.JSON_LD),
    ):
        assert set(ox.parse(path=dist / name, format=fmt)) == set(nq), name
    union = [q.triple for q in ox.parse(path=dist / "dataset.ttl", format=ox.RdfFormat.TURTLE)]
    triples = {q.triple for q in nq}
    assert len(union) == len(triples) and set(union) == triples
    expected = {
        tuple(_rdflib_term(t) for t in (q.subject, q.predicate, q.object, q.graph_name)) for q in nq
    }
    for name, fmt in (("dataset.trig", "trig"), ("dataset.jsonld", "json-ld")):
        dataset = rdflib.Dataset()
        with warnings.catch_warnings():  # rdflib 7.6's own parse() calls what it deprecates
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(data=(dist / name).read_bytes(), format=fmt)
        found = {
            (s, p, o, g.identifier if isinstance(g, rdflib.Graph) else g)
            for s, p, o, g in dataset.quads()
        }
        assert found == expected, name
    graph = rdflib.Graph().parse(data=(dist / "dataset.ttl").read_bytes(), format="turtle")
    assert set(graph) == {e[:3] for e in expected}
