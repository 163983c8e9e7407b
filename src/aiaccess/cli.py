"""The ``aiaccess`` command line: a thin shell over the library.

Each command calls one library function and prints its result. Errors the
user can cause (:class:`AiaccessError`) become one line, ``Error: …``, and
exit status 1; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import click

from aiaccess import __version__
from aiaccess.errors import AiaccessError

P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn library errors into ``Error: …`` on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except AiaccessError as error:
            raise click.ClickException(str(error)) from None
        except OSError as error:
            raise click.ClickException(f"{error.filename or ''}: {error.strerror}") from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aiaccess")
def main() -> None:
    """aiaccess: how access to American AI services in China was cut, rerouted
    and restricted in 2024, as a linked-data knowledge graph."""


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Folder to write the artifacts to (replaced atomically).",
)
@reports_errors
def build(out: Path) -> None:
    """Assemble the dataset and write dist/: TriG, N-Quads, Turtle, JSON-LD,
    ontology, shapes, VoID/DCAT and SHA256SUMS.

    Two builds are byte-identical; a failed build leaves the old folder as it was.

    Example: aiaccess build --out dist
    """
    from aiaccess.build import build as run_build

    for path in run_build(out):
        click.echo(f"wrote {path}")


@main.command()
@reports_errors
def validate() -> None:
    """Check the dataset: every quote verbatim in its seed, and the SHACL shapes.

    Prints the violations grouped by resource, with the data file that
    describes each; exits 1 if there is any.

    Example: aiaccess validate
    """
    from aiaccess.validate import validate as run_validate

    report = run_validate()
    click.echo(report.text())
    if not report.conforms:
        raise SystemExit(1)
