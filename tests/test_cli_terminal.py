"""``aiaccess query`` for people at a terminal: widths, languages and entity names."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner, Result

from aiaccess.cli import main
from aiaccess.tables import width
from tests.test_queries import endpoint, shipped  # noqa: F401  (fixtures)

LANGUAGES = "en, fr, he, vi, zh"


def run(*args: str, columns: int = 100) -> Result:
    """Run the CLI in-process in a terminal ``columns`` wide."""
    return CliRunner(env={"COLUMNS": str(columns)}).invoke(main, list(args))


def assert_one_line_error(result: Result, message: str) -> None:
    """The command failed with exit 1 and exactly one line, ``Error: …``, on stderr."""
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""


def test_table_fits_the_terminal_and_keeps_iris_whole() -> None:
    result = run("query", "access-restrictions", "--lang", "zh", columns=200)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(width(line) for line in lines) <= 200
    assert lines[0].split() == [
        "restriction", "label", "actor", "service", "jurisdictions", "audiences", "spared",
        "start", "language", "source",
    ]  # fmt: skip
    # fr: "Microsoft mettra fin à l'accès … aux développeurs individuels"; the IRI is never cut
    assert any(line.startswith("policy/azure-openai-individual-developers-end  ") for line in lines)
    assert "article/fr-azure-openai-individual-developers" in result.stdout
    assert "个人开发者" in result.stdout and "…" not in result.stdout


def test_a_narrow_terminal_gets_one_block_per_row() -> None:
    result = run("query", "access-restrictions", "--lang", "zh", columns=80)
    blocks = result.stdout.split("\n\n")
    assert len(blocks) == 9
    first = blocks[0].splitlines()
    assert first[0] == "restriction    policy/azure-openai-individual-developers-end"
    assert "audiences      个人开发者" in first and "spared         企业客户" in first
    assert max(width(line) for line in result.stdout.splitlines()) <= 80


def test_columns_line_up_with_chinese_names() -> None:
    result = run("query", "people-and-roles", "--lang", "zh", "--wide")
    header, _, *rows = result.stdout.splitlines()
    where = width(header[: header.index("role")])
    chinese = [row for row in rows if "保罗·中曾根" in row]
    assert len(chinese) == 6  # zh: Nakasone's six roles (a retired army general among them)
    for row in chinese:
        _, _, role, *_ = re.split(r"  +", row)
        assert width(row[: row.index(f"  {role}  ") + 2]) == where


def test_wide_keeps_every_row_on_one_line() -> None:
    wide = run("query", "access-restrictions", "--wide", columns=60)
    wrapped = run("query", "access-restrictions", columns=60)
    assert len(wide.stdout.splitlines()) == 2 + 9  # header, rule and the nine rows
    assert max(width(line) for line in wide.stdout.splitlines()) > 60
    assert len(wrapped.stdout.splitlines()) > len(wide.stdout.splitlines())


@pytest.mark.parametrize("args", [["--lang", "de"], ["-p", "lang=de"], ["--lang", "zh-Hant"]])
def test_languages_the_data_lacks_are_refused_with_the_list(args: list[str]) -> None:
    tag = args[1].removeprefix("lang=")
    result = run("query", "timeline", *args)
    assert_one_line_error(result, f"no article is in language {tag!r}; the languages: {LANGUAGES}")


def test_language_tags_ignore_case() -> None:
    assert (
        run("query", "timeline", "--lang", "ZH", "--format", "csv").stdout
        == run("query", "timeline", "--lang", "zh", "--format", "csv").stdout
    )


@pytest.mark.parametrize("typed", ["微软", "Microsoft", "microsoft", "מיקרוסופט"])
def test_entities_by_name_in_any_language(typed: str) -> None:
    by_name = run("query", "entity-profile", "-p", f"entity={typed}", "--format", "csv")
    by_slug = run("query", "entity-profile", "-p", "entity=org/microsoft", "--format", "csv")
    assert by_name.exit_code == 0, by_name.output
    assert by_name.stdout == by_slug.stdout


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "opnai",
            "parameter entity: no entity 'opnai' in the dataset (did you mean org/openai "
            "(OpenAI) or product/openai-models (OpenAI models)?)",
        ),
        (
            "zhipu-ai",
            "parameter entity: 'zhipu-ai' is ambiguous (did you mean offer/zhipu-ai or "
            "org/zhipu-ai (Zhipu AI)?)",
        ),
        ("org/nobody", "parameter entity: no entity 'org/nobody' in the dataset"),
    ],
)
def test_unknown_or_ambiguous_entities_are_one_line_errors(typed: str, message: str) -> None:
    assert_one_line_error(run("query", "entity-profile", "-p", f"entity={typed}"), message)


def test_names_resolve_for_a_remote_endpoint_too(endpoint: str) -> None:  # noqa: F811
    remote = run(
        "query", "entity-profile", "-p", "entity=微软", "--format", "csv", "--endpoint",
        endpoint + "/query",
    )  # fmt: skip
    local = run("query", "entity-profile", "-p", "entity=org/microsoft", "--format", "csv")
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout
