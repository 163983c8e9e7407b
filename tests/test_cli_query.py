"""``aiaccess queries`` and ``aiaccess query`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from aiaccess.catalog import catalog
from aiaccess.cli import main
from aiaccess.querydocs import markdown
from tests.test_queries import endpoint, shipped  # noqa: F401  (fixtures)

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def run(*args: str) -> Result:
    """Run the CLI in-process."""
    return CliRunner().invoke(main, list(args))


def assert_one_line_error(result: Result, message: str) -> None:
    """The command failed with exit 1 and exactly one line, ``Error: …``, on stderr."""
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""


def test_queries_lists_every_canned_query() -> None:
    result = run("queries")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "access-restrictions  [lang=en]"
    assert "entity-profile  [entity=https://w3id.org/aiaccess/id/org/microsoft, lang=en]" in lines
    for name, query in catalog().items():
        assert f"    {query.question}" in lines, name


def test_queries_markdown_is_the_docs_page() -> None:
    result = run("queries", "--markdown")
    assert result.exit_code == 0
    assert result.stdout == markdown()


def test_query_prints_a_table_by_default() -> None:
    result = run("query", "migration-offers", "--wide")
    assert result.exit_code == 0
    header, rule, first, *_ = result.stdout.splitlines()
    assert header.split() == [
        "offer",
        "provider",
        "free_tokens",
        "amount",
        "unit",
        "terms",
        "amount_from",
        "sources",
    ]
    assert set(rule) <= {"-", " "}
    assert first.startswith("offer/zhipu-ai   Zhipu AI")
    assert "150000000" in first


def test_query_json_is_standard_sparql_results() -> None:
    result = run("query", "migration-offers", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["head"]["vars"][:3] == ["offer", "provider", "free_tokens"]
    first = document["results"]["bindings"][0]
    assert first["free_tokens"] == {
        "type": "literal",
        "value": "150000000",
        "datatype": XSD_INTEGER,
    }
    # read to the end, and not kept: the CLI runner's traceback keeps this frame in a cycle,
    # and pyoxigraph's results must not be freed by the garbage collector on another thread
    rows = list(ox.parse_query_results(result.stdout_bytes, ox.QueryResultsFormat.JSON))
    assert len(rows) == len(document["results"]["bindings"])


@pytest.mark.parametrize(
    ("fmt", "first_line"),
    [("csv", "offer,provider,free_tokens"), ("tsv", "?offer\t?provider\t?free_tokens")],
)
def test_query_csv_and_tsv(fmt: str, first_line: str) -> None:
    result = run("query", "migration-offers", "--format", fmt)
    assert result.exit_code == 0
    assert result.stdout.startswith(first_line)


def test_query_takes_parameters_and_a_language() -> None:
    result = run(
        "query",
        "evidence-for",
        "--param",
        "resource=relation/microsoft-openai-revenue-share",
        "--lang",
        "he",
        "--format",
        "csv",
    )
    assert result.exit_code == 0
    assert "OpenAI מקבלת 20%" in result.stdout
    short = run("query", "entity-profile", "-p", "entity=org/21vianet")
    assert short.exit_code == 0
    assert "relation/21vianet-operates-azure-china" in short.stdout


def test_query_runs_a_file(tmp_path: Path) -> None:
    path = tmp_path / "count.rq"
    path.write_text(
        "SELECT (COUNT(*) AS ?articles) "
        "WHERE { GRAPH ?g { ?a a <https://w3id.org/aiaccess/ontology#Article> } }"
    )
    result = run("query", str(path))
    assert (result.exit_code, result.stdout) == (0, "articles\n--------\n5\n")


def test_query_asks_a_remote_endpoint(endpoint: str) -> None:  # noqa: F811
    remote = run("query", "migration-offers", "--format", "json", "--endpoint", endpoint + "/query")
    local = run("query", "migration-offers", "--format", "json")
    assert remote.exit_code == 0
    assert json.loads(remote.stdout) == json.loads(local.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["timelines"],
            "no canned query 'timelines' (did you mean timeline?); see: aiaccess queries",
        ),
        (
            ["timeline", "--param", "year=2024"],
            "query timeline has no parameter 'year'; its parameters: lang",
        ),
        (["timeline", "--param", "lang"], "--param 'lang' is not NAME=VALUE"),
        (["timeline", "-p", "lang=en", "-p", "lang=fr"], "parameter 'lang' is given twice"),
        (
            ["timeline", "-p", "lang=en", "--lang", "fr"],
            "give the language with --lang or --param lang=…, not both",
        ),
        (
            ["timeline", "--lang", "english please"],
            "no article is in language 'english please'; the languages: en, fr, he, vi, zh",
        ),
        (["missing.rq"], "cannot read missing.rq: No such file or directory"),
    ],
)
def test_query_errors_are_one_line(args: list[str], message: str) -> None:
    assert_one_line_error(run("query", *args), message)


def test_malformed_sparql_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("SELECT * WHERE { ?s ?p }\n")
    result = run("query", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: bad: SPARQL syntax error: error at ")
    assert result.stderr.count("\n") == 1


def test_unreachable_endpoint_is_one_line() -> None:
    result = run("query", "timeline", "--endpoint", "http://127.0.0.1:9/sparql")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: cannot reach SPARQL endpoint http://127.0.0.1:9/sparql: "
    )
    assert result.stderr.count("\n") == 1


def test_unknown_format_is_a_usage_error() -> None:
    result = run("query", "timeline", "--format", "yaml")
    assert result.exit_code == 2
    assert "'yaml' is not one of" in result.stderr


def test_help_shows_examples() -> None:
    for command in ("queries", "query"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "aiaccess " + command in result.stdout
