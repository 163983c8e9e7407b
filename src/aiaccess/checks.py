"""Data-quality checks written as data: ``queries/checks/*-violation.rq``.

Each file is a SPARQL SELECT that must return zero rows (as in the OBO
ontology development kit's ``src/sparql/*-violation.rq``). Its header says the
rule in ``summary``; each row names the offending resource as ``?focus`` and
may name the property as ``?path``. ``aiaccess validate`` and ``build`` run
every check on the assembled dataset and report each row like a SHACL
violation whose message is the rule. Rules that are about several articles at
once (a shape sees one article at a time) belong here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from aiaccess.catalog import CannedQuery, read
from aiaccess.errors import QueryError
from aiaccess.resources import Resources

SUFFIX = "-violation.rq"
CHECK_IRI = "https://w3id.org/aiaccess/checks#"
"""Checks are named ``checks#<file name without -violation.rq>`` in reports."""


@dataclass(frozen=True)
class Finding:
    """One row of a check: the resource that breaks the rule, and where."""

    check: str
    focus: str
    path: str | None
    message: str


def checks(resources: Resources) -> list[CannedQuery]:
    """Return the checks in ``queries/checks/``, in name order.

    :raises QueryError: if a header is malformed.
    """
    folder = resources.queries / "checks"
    return [read(path) for path in sorted(folder.glob("*" + SUFFIX))]


def run(store: ox.Store, resources: Resources) -> list[Finding]:
    """Run every check on ``store``; return one finding per row.

    :raises QueryError: if a check is not a valid SELECT query.
    """
    return [finding for check in checks(resources) for finding in _run_one(store, check)]


def _variables(rows: ox.QuerySolutions) -> set[str]:
    """Return the names of the variables a SELECT's rows bind."""
    return {v.value for v in rows.variables}


def _run_one(store: ox.Store, check: CannedQuery) -> list[Finding]:
    """Run one check and read its rows."""
    name = CHECK_IRI + check.name.removesuffix(SUFFIX.removesuffix(".rq"))
    try:
        rows = store.query(check.text)
    except SyntaxError as error:
        raise QueryError(f"{_where(check)}: {error}") from None
    if not isinstance(rows, ox.QuerySolutions) or "focus" not in _variables(rows):
        del rows  # freed on this thread: a kept traceback would hold it in this frame
        raise QueryError(f"{_where(check)}: a check must be a SELECT of ?focus (and ?path)")
    names = _variables(rows)
    found = []
    for row in rows:
        focus, path = row["focus"], row["path"] if "path" in names else None
        found.append(
            Finding(
                check=name,
                focus=focus.value if focus is not None else "",
                path=path.value if path is not None else None,
                message=check.question,
            )
        )
    return found


def _where(check: CannedQuery) -> Path | str:
    """Return the check's file for messages."""
    return check.path or check.name
