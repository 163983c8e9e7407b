"""Comparing SPARQL results from different engines: terms by value, rows as multisets.

Engines may write the same value differently (Virtuoso answers
``"20"^^xsd:decimal`` where Oxigraph answers ``"20.0"``, and lower-cases
language tags), so every term becomes a key that is equal exactly when the
values are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC_NAMES = """integer decimal double float long int short byte nonNegativeInteger
positiveInteger nonPositiveInteger negativeInteger unsignedLong unsignedInt unsignedShort
unsignedByte"""
NUMERIC = frozenset(XSD + name for name in _NUMERIC_NAMES.split())
STRING = XSD + "string"
BOOLEAN = XSD + "boolean"

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Key = tuple[str, ...] | tuple[str, Decimal] | None
Row = tuple[Key, ...]

_COMMENT = re.compile(r"^\s*#.*$", re.MULTILINE)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_END_OF_ORDER = re.compile(r"\b(?:LIMIT|OFFSET|VALUES)\b|}", re.IGNORECASE)
_SIMPLE_CONDITION = re.compile(r"(?:(?:ASC|DESC)\s*\(\s*)?\?(\w+)\s*\)?", re.IGNORECASE)


@dataclass(frozen=True)
class Table:
    """A query's columns and its rows as value keys, in the order the engine gave."""

    names: list[str]
    rows: list[Row]


def term_key(term: Term | None) -> Key:
    """Return a key equal for two terms exactly when their values are equal.

    >>> d = ox.NamedNode(XSD + "decimal")
    >>> term_key(ox.Literal("20", datatype=d)) == term_key(ox.Literal("20.0", datatype=d))
    True
    >>> term_key(ox.Literal("a", language="zh-Hans")) == term_key(ox.Literal("a", language="zh"))
    False
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("blank",)
    if isinstance(term, ox.Literal):
        return literal_key(term)
    return ("triple", str(term))


def literal_key(literal: ox.Literal) -> Key:
    """Return the value key of a literal: numbers by value, strings with their language."""
    datatype = literal.datatype.value
    if literal.language:
        return ("string", literal.value, literal.language.lower())
    if datatype == STRING:
        return ("string", literal.value, "")
    if datatype == BOOLEAN:
        return ("boolean", str(literal.value in ("true", "1")))
    if datatype in NUMERIC:
        try:
            return ("number", Decimal(literal.value))
        except InvalidOperation:
            pass
    return ("typed", literal.value, datatype)


def table(variables: Sequence[str], terms: Iterable[Sequence[Term | None]]) -> Table:
    """Return the columns and the value keys of every row of a query's results.

    Cells are compared whole: a list in a cell must be the same text on every
    engine (the canned queries read lists the build sorted, never ``GROUP_CONCAT``,
    whose order SPARQL leaves to the engine).
    """
    keyed = [tuple(term_key(t) for t in row) for row in terms]
    return Table(list(variables), keyed)


def order_variables(query: str) -> list[str]:
    """Return the projected-looking variables of the outer ``ORDER BY``, in order.

    Conditions that are expressions other than ``?v``, ``ASC(?v)`` or ``DESC(?v)``
    are left out: the comparison then checks a coarser order, never a wrong one.

    >>> order_variables("SELECT * { { SELECT ?a {} ORDER BY ?a } } ORDER BY DESC(?n) LCASE(?x) ?y")
    ['n', 'y']
    """
    text = _COMMENT.sub("", query)
    clauses = list(_ORDER_BY.finditer(text))
    if not clauses:
        return []
    tail = _END_OF_ORDER.split(text[clauses[-1].end() :])[0]
    return [m.group(1) for c in _conditions(tail) if (m := _SIMPLE_CONDITION.fullmatch(c))]


def _conditions(clause: str) -> list[str]:
    """Split an ``ORDER BY`` clause into its top-level conditions."""
    parts, depth, current = [], 0, ""
    for char in clause.strip():
        if char.isspace() and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
    parts.append(current)
    return [p for p in (x.strip() for x in parts) if p]


def differences(query: str, expected: Table, actual: Table) -> list[str]:
    """Describe how ``actual`` differs from ``expected`` (empty when they agree).

    Rows are compared as multisets; when the query has an ``ORDER BY``, the
    sequence of their order keys must be the same too.
    """
    if actual.names != expected.names:
        return [f"columns {actual.names}, expected {expected.names}"]
    missing = Counter(expected.rows) - Counter(actual.rows)
    extra = Counter(actual.rows) - Counter(expected.rows)
    found = [f"missing {r}" for r in missing][:5] + [f"unexpected {r}" for r in extra][:5]
    if found:
        return found
    keys = [expected.names.index(v) for v in order_variables(query) if v in expected.names]
    for i, (e, a) in enumerate(zip(expected.rows, actual.rows, strict=True)):
        if [e[k] for k in keys] != [a[k] for k in keys]:
            return [f"row {i} out of order: expected {e}, got {a}"]
    return []
