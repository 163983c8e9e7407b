"""``aiaccess publish``: the Graph Store Protocol client and its command."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from aiaccess.catalog import get
from aiaccess.cli import main
from aiaccess.dataset import Assembled
from aiaccess.errors import PublishError
from aiaccess.namespaces import MENTIONS_GRAPH, ONTOLOGY_GRAPH, REGISTRY_GRAPH
from aiaccess.publish import Credentials, Published, Target, publish, split_graphs
from tests.engines.fake_store import FakeStore, fake_store
from tests.engines.oxigraph_server import OxigraphServer, oxigraph_server
from tests.engines.process import LOOPBACK, free_port
from tests.engines.results import Table, differences, table

EX = "http://example.org/"
UNREACHABLE = f"http://{LOOPBACK}:{free_port()}/store"
"""A loopback port nothing listens on (free when the module was imported)."""


def no_sleep(_seconds: float) -> None:
    """Retry at once."""


def quad(graph: str, n: int = 0) -> ox.Quad:
    """Return a distinct quad in ``graph``."""
    return ox.Quad(
        ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal(n), ox.NamedNode(graph)
    )


def sample() -> list[ox.Quad]:
    """Three graphs of 1, 2 and 3 triples."""
    return [quad(EX + f"g{g}", n) for g in range(1, 4) for n in range(g)]


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run ``aiaccess`` in-process, with stdout and stderr kept apart."""
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """An Oxigraph server for this module, killed afterwards."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


# --- the library ------------------------------------------------------------------


def test_split_graphs_groups_and_sorts() -> None:
    graphs = split_graphs(reversed(sample()))
    assert {g: len(t) for g, t in graphs.items()} == {EX + "g1": 1, EX + "g2": 2, EX + "g3": 3}


def test_split_graphs_refuses_the_default_graph() -> None:
    triple = quad(EX + "g").triple
    with pytest.raises(PublishError, match="only named graphs"):
        split_graphs([ox.Quad(triple.subject, triple.predicate, triple.object)])


def test_publish_puts_each_graph_once_and_reports_it() -> None:
    seen: list[Published] = []
    with fake_store(FakeStore()) as store:
        report = publish(sample(), Target(store.url), seen.append, no_sleep)
    assert [(p.graph, p.triples) for p in seen] == [(EX + "g1", 1), (EX + "g2", 2), (EX + "g3", 3)]
    assert report.graphs == seen and report.triples == 6
    assert [m for m, _ in store.requests] == ["PUT"] * 3 + ["GET"] * 3
    assert len(list(ox.parse(store.graphs[EX + "g3"], format=ox.RdfFormat.N_TRIPLES))) == 3


def test_publish_sends_turtle_when_asked() -> None:
    with fake_store(FakeStore()) as store:
        publish(sample(), Target(store.url, rdf_format="turtle"), sleep=no_sleep)
    parsed = list(ox.parse(store.graphs[EX + "g3"], format=ox.RdfFormat.TURTLE))
    assert len(parsed) == 3


def test_graph_param_names_the_graph_in_the_url() -> None:
    target = Target("http://h/crud", graph_param="graph-uri")
    assert str(target.graph_url(EX + "g")) == "http://h/crud?graph-uri=http%3A%2F%2Fexample.org%2Fg"


def test_transient_failures_are_retried_with_backoff() -> None:
    waits: list[float] = []
    with fake_store(FakeStore(transient=2)) as store:
        publish(sample(), Target(store.url, retries=2), sleep=waits.append)
    assert waits == [0.5, 1.0]
    assert store.requests[:3] == [("PUT", EX + "g1")] * 3


def test_retries_are_bounded() -> None:
    waits: list[float] = []
    with (
        fake_store(FakeStore(transient=10)) as store,
        pytest.raises(PublishError, match=r"rejected graph <http://example.org/g1>: HTTP 503"),
    ):
        publish(sample(), Target(store.url, retries=3), sleep=waits.append)
    assert waits == [0.5, 1.0, 2.0] and len(store.requests) == 4


def test_an_unreachable_store_is_named() -> None:
    waits: list[float] = []
    with pytest.raises(PublishError, match=r"^cannot reach .*/store: .* \(2 attempts\)$"):
        publish(sample(), Target(UNREACHABLE, retries=1), sleep=waits.append)
    assert waits == [0.5]


def test_an_unreachable_store_is_named_without_its_password() -> None:
    url = UNREACHABLE.replace("http://", "http://user:secret@")
    with pytest.raises(PublishError) as caught:
        publish(sample(), Target(url, retries=0), sleep=no_sleep)
    assert "secret" not in str(caught.value) and UNREACHABLE in str(caught.value)


def test_a_401_without_credentials_asks_for_them() -> None:
    with (
        fake_store(FakeStore(user="u", password="p")) as store,
        pytest.raises(PublishError, match=r"HTTP 401 Unauthorized; it needs credentials"),
    ):
        publish(sample(), Target(store.url), sleep=no_sleep)


def test_a_401_with_wrong_credentials_says_so() -> None:
    target_auth = Credentials("u", "wrong")
    with (
        fake_store(FakeStore(user="u", password="p")) as store,
        pytest.raises(PublishError, match=r"HTTP 401 Unauthorized; check the credentials"),
    ):
        publish(sample(), Target(store.url, credentials=target_auth), sleep=no_sleep)


def test_basic_auth_is_sent() -> None:
    with fake_store(FakeStore(user="u", password="p")) as store:
        report = publish(
            sample(), Target(store.url, credentials=Credentials("u", "p")), None, no_sleep
        )
    assert report.triples == 6


def test_a_rejected_graph_stops_the_upload_after_the_confirmed_ones() -> None:
    seen: list[Published] = []
    with (
        fake_store(FakeStore(reject={EX + "g2": 400})) as store,
        pytest.raises(PublishError) as caught,
    ):
        publish(sample(), Target(store.url), seen.append, no_sleep)
    assert str(caught.value) == (
        f"the store rejected graph <{EX}g2>: HTTP 400 Bad Request: fake store says 400"
    )
    assert [p.graph for p in seen] == [EX + "g1"]
    assert EX + "g3" not in store.graphs


def test_a_count_mismatch_fails_the_verification() -> None:
    with (
        fake_store(FakeStore(drop=frozenset({EX + "g3"}))) as store,
        pytest.raises(
            PublishError,
            match=r"^graph <http://example.org/g3> has 0 triples on the store but 3 here$",
        ),
    ):
        publish(sample(), Target(store.url), sleep=no_sleep)


def test_a_graph_read_back_cut_short_points_to_the_count_by_query() -> None:
    with (
        fake_store(FakeStore(cut=2)) as store,
        pytest.raises(PublishError) as caught,
    ):
        publish(sample(), Target(store.url), sleep=no_sleep)
    assert str(caught.value) == (
        "graph <http://example.org/g3> has 2 triples on the store but 3 here (read back by GET,"
        " which some stores cut short, such as Virtuoso past its ResultSetMaxRows:"
        " give --query-endpoint to count by SPARQL)"
    )


def test_a_failing_count_query_is_named() -> None:
    with (
        fake_store(FakeStore()) as store,
        pytest.raises(PublishError, match=r"^the count check failed: cannot reach SPARQL endpoint"),
    ):
        publish(sample(), Target(store.url, query_endpoint=UNREACHABLE), sleep=no_sleep)


def test_publish_to_oxigraph_replaces_graphs(
    oxigraph: OxigraphServer, assembled: Assembled
) -> None:
    target = Target(oxigraph.store, query_endpoint=oxigraph.query)
    first = publish(assembled.quads, target, sleep=no_sleep)
    again = publish(assembled.quads, target, sleep=no_sleep)
    assert first == again
    assert first.triples == len(assembled.quads)
    names = {p.graph for p in first.graphs}
    assert {ONTOLOGY_GRAPH, REGISTRY_GRAPH, MENTIONS_GRAPH} <= names


# --- the command ------------------------------------------------------------------


def published_lines(result: Result) -> list[str]:
    """Return the graphs the command reported as published."""
    return [line for line in result.stdout.splitlines() if line.startswith("published ")]


def test_cli_publishes_and_verifies(oxigraph: OxigraphServer, assembled: Assembled) -> None:
    result = run("publish", "--to", oxigraph.store)
    assert result.exit_code == 0, result.output
    assert len(published_lines(result)) == len(split_graphs(assembled.quads))
    assert f"published <{REGISTRY_GRAPH}>: " in result.stdout
    assert result.stdout.endswith(f"the store holds {len(assembled.quads)} triples in 10 graphs\n")


def test_cli_unreachable_url_is_one_line() -> None:
    result = run("publish", "--to", UNREACHABLE, "--retries", "0")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot reach ") and result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_cli_401_is_one_line() -> None:
    with fake_store(FakeStore(user="u", password="p")) as store:
        result = run("publish", "--to", store.url, "--retries", "0")
    assert result.exit_code == 1
    assert "HTTP 401 Unauthorized; it needs credentials" in result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_cli_takes_credentials_from_the_environment() -> None:
    env = {"AIACCESS_USER": "u", "AIACCESS_PASSWORD": "p"}
    with fake_store(FakeStore(user="u", password="p")) as store:
        result = run("publish", "--to", store.url, env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("published <")


def test_cli_user_without_password_is_refused() -> None:
    result = run("publish", "--to", UNREACHABLE, "--user", "u", env={"AIACCESS_PASSWORD": ""})
    assert result.exit_code == 1
    assert result.stderr == "Error: a user name needs a password and a password a user name\n"


@pytest.mark.parametrize("status", [400, 403])
def test_cli_rejected_graph_lists_only_confirmed_graphs(status: int) -> None:
    with fake_store(FakeStore(reject={MENTIONS_GRAPH: status})) as store:
        result = run("publish", "--to", store.url, "--retries", "0")
        accepted = set(store.graphs)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: the store rejected graph <{MENTIONS_GRAPH}>: HTTP {status}"
    )
    assert result.stderr.count("\n") == 1
    listed = {line.split("<")[1].split(">")[0] for line in published_lines(result)}
    assert listed == accepted and MENTIONS_GRAPH not in listed
    assert "verified" not in result.stdout


def timeline_table(*endpoint: str) -> Table:
    """Run ``aiaccess query timeline --format json`` (on ``--endpoint`` if given)."""
    result = run("query", "timeline", "--format", "json", *endpoint)
    assert result.exit_code == 0, result.output
    return json_table(result.stdout_bytes)


def json_table(results: bytes) -> Table:
    """Return the table of SPARQL JSON results.

    Read in a frame of its own: the CLI runner's traceback keeps its caller's frame
    in a cycle, and pyoxigraph's results must not be freed by the garbage collector
    on another thread (a server test's).
    """
    solutions = ox.parse_query_results(results, format=ox.QueryResultsFormat.JSON)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return table(names, [[s[n] for n in names] for s in solutions])


def test_published_dataset_answers_the_timeline_like_the_embedded_store(
    oxigraph: OxigraphServer,
) -> None:
    assert run("publish", "--to", oxigraph.store).exit_code == 0
    here = timeline_table()
    there = timeline_table("--endpoint", oxigraph.query)
    assert len(here.rows) > 5
    assert differences(get("timeline").text, here, there) == []
