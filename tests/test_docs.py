"""The docs cannot drift: the query page is generated, and every command is documented.

As in sqlite-utils, a command without an example in its ``--help`` or without a
mention in the README or ``docs/`` fails the tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from aiaccess.catalog import catalog
from aiaccess.cli import main
from aiaccess.querydocs import markdown

ROOT = Path(__file__).resolve().parents[1]
"""The checkout: the docs live beside the tests, not in the installed package."""
QUERIES_PAGE = ROOT / "docs" / "queries.md"
REGENERATE = "aiaccess queries --markdown > docs/queries.md"


def written_docs() -> str:
    """The README and every page under docs/."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def test_query_page_is_generated_from_the_queries() -> None:
    assert QUERIES_PAGE.read_text(encoding="utf-8") == markdown(), f"run: {REGENERATE}"


@pytest.mark.parametrize("name", sorted(catalog()))
def test_every_query_has_a_section_with_its_question(name: str) -> None:
    page = QUERIES_PAGE.read_text(encoding="utf-8")
    assert f"\n## {name}\n" in page
    assert catalog()[name].question in page
    assert f"Sample answer (`aiaccess query {name}`" in page


def test_readme_links_the_query_page() -> None:
    assert "docs/queries.md" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_an_example_in_its_help(name: str) -> None:
    command = main.commands[name]
    assert isinstance(command, click.Command)
    assert re.search(rf"aiaccess {name}\b", command.help or ""), f"{name}: no example in --help"


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented(name: str) -> None:
    assert re.search(rf"aiaccess {name}\b", written_docs()), f"{name}: not in README.md or docs/"
