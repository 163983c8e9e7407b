"""The catalog: every shipped query is described by its header, and headers are read strictly."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from aiaccess.catalog import KINDS, CannedQuery, Column, Parameter, catalog, get, parse, read
from aiaccess.dataset import Assembled
from aiaccess.errors import QueryError, UnknownQueryError
from aiaccess.resources import Resources, default_resources
from aiaccess.sparql import run_query

ISSUE_QUESTIONS = {
    "timeline",
    "access-restrictions",
    "continued-access-routes",
    "migration-offers",
    "corroboration",
    "source-disagreements",
    "relationships",
    "people-and-roles",
    "government-actions",
    "coverage-by-source",
    "entity-profile",
    "evidence-for",
    "predictions-and-opinions",
    "quantities",
}
SHIPPED = catalog()
HEADER = """#+ title: Everything
#+ summary: What is there?
#+ description: All the triples,
#+   of every graph.
#+ params:
#+   - lang (language, default en): labels
#+   - entity (iri, default org/openai): the entity,
#+     continued
#+ columns:
#+   - s: a subject
#+ tags: demo, all
SELECT ?s WHERE { ?s ?p ?o }
"""


@pytest.fixture(scope="module")
def shipped(assembled: Assembled) -> ox.Store:
    """The shipped dataset in one store."""
    store = ox.Store()
    store.bulk_extend(assembled.quads)
    return store


def test_every_question_of_the_issue_is_a_query() -> None:
    assert set(SHIPPED) >= ISSUE_QUESTIONS


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_header_is_complete(name: str) -> None:
    query = SHIPPED[name]
    assert query.title and query.question.endswith("?") and query.description
    assert query.tags and query.columns
    assert query.parameter("lang") == Parameter(
        "lang",
        "language",
        "en",
        query.parameter("lang").description,  # type: ignore[union-attr]
    )


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_columns_are_what_the_query_returns(name: str, shipped: ox.Store) -> None:
    assert run_query(name, store=shipped).variables == tuple(c.name for c in SHIPPED[name].columns)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_parameters_are_variables_of_the_query(name: str) -> None:
    for parameter in SHIPPED[name].parameters:
        assert f"?{parameter.name}" in SHIPPED[name].text
        assert parameter.kind in KINDS


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_queries_use_only_standard_sparql(name: str) -> None:
    body = "\n".join(line for line in SHIPPED[name].text.splitlines() if not line.startswith("#"))
    assert not re.search(
        r"(?<![:\w?$])SERVICE\s*(<|\?|SILENT)|\bDEFINE\b|\b(bif|sql|ofn|spif):", body, re.I
    )


def test_header_fields_and_continuations() -> None:
    query = parse(HEADER, "everything")
    assert query == CannedQuery(
        name="everything",
        text=HEADER,
        title="Everything",
        question="What is there?",
        description="All the triples, of every graph.",
        parameters=(
            Parameter("lang", "language", "en", "labels"),
            Parameter("entity", "iri", "org/openai", "the entity, continued"),
        ),
        columns=(Column("s", "a subject"),),
        tags=("demo", "all"),
    )


def test_a_query_without_header_has_an_empty_description() -> None:
    query = parse("ASK { ?s ?p ?o }")
    assert (query.name, query.title, query.parameters, query.columns) == ("query", "", (), ())


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("#+ colour: blue\n", "f.rq:1: unknown header key 'colour'"),
        (
            "#+ params:\n#+   - lang: labels\n",
            "f.rq:2: parameter 'lang: labels' is not 'name (kind, default value): description'",
        ),
        (
            "#+ params:\n#+   - n (number, default 1): n\n",
            "f.rq:2: parameter kind 'number' is not one of",
        ),
        (
            "#+ columns:\n#+   - just words\n",
            "f.rq:2: column 'just words' is not 'name: description'",
        ),
        ("#+ title: x\n#+what\n", "f.rq:2: cannot read header line '#+what'"),
    ],
)
def test_malformed_headers_name_file_and_line(header: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(header + "ASK {}", "f", Path("f.rq"))
    assert str(caught.value).startswith(message)


def test_read_names_the_query_after_its_file(tmp_path: Path) -> None:
    path = tmp_path / "my-question.rq"
    path.write_text(HEADER)
    assert (read(path).name, read(path).path) == ("my-question", path)


def test_get_reads_one_query(resources: Resources) -> None:
    assert get("timeline", resources).title == "Timeline"


def test_get_refuses_names_outside_the_folder(resources: Resources) -> None:
    with pytest.raises(UnknownQueryError, match=r"no canned query '\.\./queries/timeline'"):
        get("../queries/timeline", resources)


def test_get_suggests_close_names() -> None:
    with pytest.raises(UnknownQueryError, match=r"\(did you mean migration-offers\?\)"):
        get("migration-offer")
    with pytest.raises(UnknownQueryError) as caught:
        get("zzz")
    assert str(caught.value) == "no canned query 'zzz'; see: aiaccess queries"


def test_a_new_file_joins_the_catalog(resources: Resources) -> None:
    (resources.queries / "everything.rq").write_text(HEADER)
    assert catalog(resources)["everything"].question == "What is there?"


def test_catalog_is_in_name_order() -> None:
    assert list(SHIPPED) == sorted(SHIPPED)
    assert default_resources().queries.is_dir()
