"""Every canned query answers the same on real SPARQL engines as on the embedded store.

The dataset is published with ``aiaccess publish``'s library call to an
Oxigraph server (always) and to Virtuoso (marked ``engines``), both started
on loopback by the tests; each canned query runs there with its default
parameters, and again with ``lang=zh``, through
``aiaccess.sparql.run_query(..., endpoint=…)``. Results
are compared by value (see :mod:`tests.engines.results`): as multisets of
rows, in order where the query has an ``ORDER BY``.

How to load each engine, and the differences found, are in docs/engines.md.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from aiaccess.catalog import catalog
from aiaccess.dataset import Assembled
from aiaccess.errors import QueryError
from aiaccess.namespaces import ID, RDFS
from aiaccess.publish import Credentials, Target, publish
from aiaccess.sparql import Results, run_query
from tests.engines.oxigraph_server import oxigraph_server
from tests.engines.results import Table, differences, table
from tests.engines.virtuoso_server import PASSWORD, USER, virtuoso_server
from tests.engines.virtuoso_server import executable as virtuoso_executable

QUERIES = sorted(catalog())
LANGUAGES = ("en", "zh")
"""Every canned query runs with its defaults, and again with Chinese names (``--lang zh``)."""
QUERY_TIMEOUT_S = 30.0


Rows = list[dict[str, object]]
RESTRICTION = ID + "policy/openai-api-restriction-china"
BLOCKS = "OpenAI blocks API access from China"
"""The smallest of the restriction's labels (the Chinese article's), by value."""

ENGINE_BUGS: dict[str, tuple[str, Rows, Rows | str]] = {
    "V2": (
        """SELECT ?k (GROUP_CONCAT(?v; separator=", ") AS ?c)
        WHERE { VALUES (?k ?v) { (1 UNDEF) (2 UNDEF) (2 "a") } } GROUP BY ?k ORDER BY ?k""",
        [{"k": 1, "c": None}, {"k": 2, "c": None}],
        [{"k": 1, "c": ""}, {"k": 2, "c": "a"}],
    ),
    "V3": (
        """SELECT (CONCAT("a", ?unbound) AS ?x) (IF(?unbound = 1, "yes", "no") AS ?y) WHERE {}""",
        [{"x": None, "y": None}],
        [{"x": "a", "y": "no"}],
    ),
    "V5": (
        """SELECT ?lang ?y ?x WHERE {
          VALUES ?lang { "en" }
          OPTIONAL {
            VALUES ?y { 1 }
            OPTIONAL { VALUES ?x { "a"@en } FILTER(LANGMATCHES(LANG(?x), ?lang)) }
          }
        }""",
        [{"lang": "en", "y": 1, "x": None}],
        [{"lang": "en", "y": None, "x": None}],
    ),
    "V6": (
        """SELECT (GROUP_CONCAT(?v) AS ?c) WHERE { VALUES ?v { "a" } }""",
        [{"c": "a"}],
        "SR183",
    ),
    "V4": (
        f"""SELECT (MIN(?label) AS ?min) (MIN(STR(?label)) AS ?text)
        WHERE {{ VALUES ?s {{ <{RESTRICTION}> }} GRAPH ?g {{ ?s <{RDFS}label> ?label }} }}
        GROUP BY ?s""",
        [{"min": BLOCKS, "text": BLOCKS}],
        [{"min": "OpenAI restricts API access from China", "text": BLOCKS}],
    ),
    "V10": (
        f"""SELECT ?name WHERE {{
          VALUES ?lang {{ "zh" }}
          OPTIONAL {{
            GRAPH ?g {{ <{ID}org/microsoft> <{RDFS}label> ?name }}
            FILTER(LANG(?name) = ?lang)
          }}
        }}""",
        [{"name": "微软"}],
        [{"name": None}],
    ),
}
"""Bugs of docs/engines.md: query, SPARQL 1.1's answer, Virtuoso's answer or error.

All but V4 and V10 are data-free; those two read the dataset, which both stores hold.
"""


def expected_table(name: str, results: Results) -> Table:
    """Return results as a comparable table for the canned query ``name``."""
    return table(results.variables, results.terms)


@pytest.fixture(scope="session")
def dataset(assembled: Assembled) -> ox.Store:
    """The shipped dataset in an embedded store."""
    store = ox.Store()
    store.bulk_extend(assembled.quads)
    return store


@pytest.fixture(scope="session")
def embedded(dataset: ox.Store) -> dict[tuple[str, str], Table]:
    """Every canned query's answer on the embedded store, by name and language."""
    return {
        (name, lang): expected_table(name, run_query(name, store=dataset, lang=lang))
        for name in QUERIES
        for lang in LANGUAGES
    }


@pytest.fixture(scope="module")
def oxigraph_endpoint(
    tmp_path_factory: pytest.TempPathFactory, assembled: Assembled
) -> Iterator[str]:
    """The query URL of an Oxigraph server holding the published dataset."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        publish(assembled.quads, Target(server.store, query_endpoint=server.query))
        yield server.query


@pytest.fixture(scope="module")
def virtuoso_endpoint(
    tmp_path_factory: pytest.TempPathFactory, assembled: Assembled
) -> Iterator[str]:
    """The query URL of a Virtuoso holding the published dataset (digest auth, graph-uri).

    The upload is checked by a SPARQL count: Virtuoso's Graph Store ``GET`` sends
    at most ``ResultSetMaxRows`` triples of a graph (V13 of docs/engines.md).
    """
    try:
        virtuoso_executable()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        credentials = Credentials(USER, PASSWORD, "digest")
        target = Target(
            server.store,
            graph_param="graph-uri",
            credentials=credentials,
            query_endpoint=server.query,
        )
        publish(assembled.quads, target)
        yield server.query


def assert_same(name: str, lang: str, expected: Table, endpoint: str) -> None:
    """Run the canned query ``name`` in ``lang`` on ``endpoint`` and compare with ``expected``."""
    results = run_query(name, endpoint=endpoint, timeout=QUERY_TIMEOUT_S, lang=lang)
    found = differences(catalog()[name].text, expected, expected_table(name, results))
    assert not found, f"{name} --lang {lang} differs on {endpoint}:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", QUERIES)
def test_oxigraph_server_answers_like_the_embedded_store(
    name: str, lang: str, oxigraph_endpoint: str, embedded: dict[tuple[str, str], Table]
) -> None:
    assert_same(name, lang, embedded[name, lang], oxigraph_endpoint)


@pytest.mark.engines
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", QUERIES)
def test_virtuoso_answers_like_the_embedded_store(
    name: str, lang: str, virtuoso_endpoint: str, embedded: dict[tuple[str, str], Table]
) -> None:
    assert_same(name, lang, embedded[name, lang], virtuoso_endpoint)


@pytest.mark.parametrize("bug", sorted(ENGINE_BUGS))
def test_documented_virtuoso_bug_query_answers_per_sparql_on_oxigraph(
    bug: str, dataset: ox.Store
) -> None:
    query, expected, _ = ENGINE_BUGS[bug]
    assert run_query(query, store=dataset).rows == expected


@pytest.mark.engines
@pytest.mark.parametrize("bug", sorted(ENGINE_BUGS))
def test_documented_virtuoso_bug_still_shows(bug: str, virtuoso_endpoint: str) -> None:
    query, _, virtuoso = ENGINE_BUGS[bug]
    if isinstance(virtuoso, str):
        with pytest.raises(QueryError, match=virtuoso):
            run_query(query, endpoint=virtuoso_endpoint, timeout=QUERY_TIMEOUT_S)
    else:
        assert (
            run_query(query, endpoint=virtuoso_endpoint, timeout=QUERY_TIMEOUT_S).rows == virtuoso
        )


@pytest.mark.parametrize("name", QUERIES)
def test_canned_query_leaves_no_list_order_to_the_engine(name: str) -> None:
    text = "\n".join(line.split("#", 1)[0] for line in catalog()[name].text.splitlines())
    assert "GROUP_CONCAT" not in text.upper()
