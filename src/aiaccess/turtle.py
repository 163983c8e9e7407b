"""Parsing the curated Turtle files with Oxigraph, with errors that name the file."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from aiaccess.errors import DataSyntaxError


def parse_file(path: Path, shown: Path | None = None) -> list[ox.Triple]:
    """Parse a Turtle file into triples.

    :param path: the file to read.
    :param shown: the path to name in error messages (defaults to ``path``).
    :raises DataSyntaxError: with file, line and column if the Turtle is malformed.
    """
    try:
        return [q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)]
    except SyntaxError as error:
        line, column = _position(error)
        message = str(error.msg).split(": ", 1)[-1]
        raise DataSyntaxError(shown or path, line, column, message) from None


def _position(error: SyntaxError) -> tuple[int, int]:
    """Return the 1-based line and column Oxigraph reports for a syntax error."""
    return (error.lineno or 0, error.offset or 0)
