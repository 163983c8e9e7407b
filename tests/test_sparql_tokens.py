"""The SPARQL tokenizer: what is a keyword, an IRI, a string, and where ``<`` compares."""

from __future__ import annotations

import pytest

from aiaccess.catalog import catalog
from aiaccess.sparql_tokens import (
    Kind,
    Reading,
    UnreadableQuery,
    keywords,
    readings,
    tokenize,
    where_clauses,
)


def texts(query: str, reading: Reading = Reading.POSITION) -> list[str]:
    """Return the tokens' texts."""
    return [t.text for t in tokenize(query, reading)]


def test_keywords_skip_strings_iris_comments_variables_and_prefixed_names() -> None:
    query = 'SELECT ?from ex:FROM { <urn:FROM> ?p \'FROM\', """FROM""" } # FROM'
    assert list(keywords(query)) == ["SELECT"]


def test_keywords_are_upper_cased() -> None:
    assert list(keywords("select * where {}")) == ["SELECT", "WHERE"]


def test_less_than_after_an_operand_in_an_expression_compares() -> None:
    assert texts("ASK { FILTER(1<'>') }") == ["ASK", "{", "FILTER", "(", "1", "<", "'>'", ")", "}"]


def test_less_than_or_equal_is_one_operator() -> None:
    assert texts("ASK { FILTER(?x<=2) }")[4:7] == ["?x", "<=", "2"]


def test_iri_after_an_operator_in_an_expression_is_an_iri() -> None:
    assert texts("ASK { FILTER(?x != <http://e/a>) }")[5:7] == ["!=", "<http://e/a>"]


def test_iris_in_a_collection_are_iris() -> None:
    assert texts("ASK { ?s ?p (<a#b> <c>) }")[5:7] == ["<a#b>", "<c>"]


def test_iri_in_a_triple_pattern_is_an_iri_even_with_a_hash() -> None:
    tokens = tokenize("SELECT * { ?s <http://a#> ?o . SERVICE <x> {} }")
    assert [t.kind for t in tokens[4:6]] == [Kind.IRI, Kind.VAR]
    assert "SERVICE" in [t.word for t in tokens]


def test_rdf_1_2_triple_terms_are_read() -> None:
    query = "VERSION '1.2' SELECT * { <<( ?s ?p ?o )>> ?q ?r . << ?a ?b ?c ~ ?t >> ?d ?e }"
    assert "<<(" not in texts(query) and texts(query).count("<<") == 2


def test_prefixed_names_and_blank_nodes() -> None:
    tokens = tokenize("SELECT * { _:b aia:service ex:a.b :c }")
    assert [(t.kind, t.text) for t in tokens[3:7]] == [
        (Kind.BNODE, "_:b"),
        (Kind.PNAME, "aia:service"),
        (Kind.PNAME, "ex:a.b"),
        (Kind.PNAME, ":c"),
    ]


def test_numbers_and_the_dot_that_ends_a_triple() -> None:
    assert texts("ASK { ?s ?p 1. ?s ?p 1.5e3 }")[4:6] == ["1", "."]


def test_long_strings_hide_their_content() -> None:
    tokens = tokenize('ASK { ?s ?p """a " } SERVICE <x> {""" }')
    kinds = [Kind.KEYWORD, Kind.PUNCT, Kind.VAR, Kind.VAR, Kind.STRING, Kind.PUNCT]
    assert [t.kind for t in tokens] == kinds


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ASK { ?s ?p 'open }", 'cannot read the query at character 13: "\'"'),
        ("ASK { ?s ?p \\ }", "cannot read the query at character 13: '\\\\'"),
        ("ASK { ?s ?p ?o ", "unclosed '{' in the query"),
        ("ASK { ?s ?p ?o ) }", "unmatched ')' at character 16"),
    ],
)
def test_unreadable_text_is_an_error(query: str, message: str) -> None:
    with pytest.raises(UnreadableQuery) as caught:
        tokenize(query)
    assert str(caught.value) == message


def test_other_readings_only_where_less_than_is_ambiguous() -> None:
    assert len(readings("SELECT * { ?s <p> ?o }")) == 1
    positional, iri_first, operator_first = readings("ASK { FILTER(?x<a>) }")
    assert [t.text for t in positional][4:7] == ["?x", "<", "a"]
    assert [t.text for t in iri_first][4:6] == ["?x", "<a>"]
    assert [t.text for t in operator_first] == [t.text for t in positional]


def test_where_clauses_skip_strings_and_comments() -> None:
    text = "SELECT * WHERE { ?s ?p 'WHERE {' } # WHERE {\n"
    assert where_clauses(text) == [16]


def test_every_canned_query_can_be_read() -> None:
    for query in catalog().values():
        assert "SELECT" in keywords(query.text) or "ASK" in keywords(query.text), query.name
