"""aiaccess: a linked-data knowledge graph of access to American AI services in China, 2024.

The library in a few calls::

    >>> import aiaccess
    >>> sorted(aiaccess.catalog())[:3]
    ['access-restrictions', 'articles', 'attribution']
    >>> offers = aiaccess.query("migration-offers")
    >>> offers.rows[0]["provider"], offers.rows[0]["free_tokens"]
    ('Zhipu AI', 150000000)
    >>> dataset = aiaccess.load()          # an rdflib Dataset over Oxigraph
    >>> aiaccess.validate().conforms       # the SHACL and evidence checks
    True

``import aiaccess`` stays cheap: rdflib, pyshacl and httpx are imported only
by the calls that need them.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from aiaccess.catalog import CannedQuery, Column, Parameter, catalog
from aiaccess.errors import AiaccessError, ParameterError, QueryError, UnknownQueryError
from aiaccess.load import load

if TYPE_CHECKING:
    from aiaccess.resources import Resources
    from aiaccess.sparql import Results, run_query, serialize_query
    from aiaccess.validate import Report

    query = run_query

__version__ = "0.1.0"

__all__ = [
    "AiaccessError",
    "CannedQuery",
    "Column",
    "Parameter",
    "ParameterError",
    "QueryError",
    "Report",
    "Results",
    "UnknownQueryError",
    "catalog",
    "load",
    "query",
    "run_query",
    "serialize_query",
    "validate",
]

_LAZY = {
    "query": ("aiaccess.sparql", "run_query"),
    "run_query": ("aiaccess.sparql", "run_query"),
    "serialize_query": ("aiaccess.sparql", "serialize_query"),
    "Results": ("aiaccess.sparql", "Results"),
    "Report": ("aiaccess.validate", "Report"),
}


def __getattr__(name: str) -> Any:
    """Import the query runner and the validator's types on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module 'aiaccess' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(module), attribute)


def validate(resources: Resources | None = None) -> Report:
    """Assemble the dataset and check it: quotes verbatim in their seeds, then SHACL.

    See :func:`aiaccess.validate.validate`.

    :returns: the report; ``report.conforms`` is True when there is no violation.
    :raises DataSyntaxError: if a Turtle file is malformed.
    :raises EvidenceError: if a quote is not verbatim in its seed.
    """
    result: Report = importlib.import_module("aiaccess.validate").validate(resources)
    return result


class _Package(types.ModuleType):
    """The package, whose ``load``, ``catalog`` and ``validate`` stay the functions.

    They share their names with submodules, and importing a submodule binds its
    name on the package; this keeps the function instead. The submodules are
    still imported as usual (``from aiaccess.validate import Report``).
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


_SHADOWED = frozenset({"catalog", "load", "validate"})
sys.modules[__name__].__class__ = _Package
