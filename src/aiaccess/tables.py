"""Plain-text tables for people at a terminal.

Columns are as wide as their widest cell, counted in terminal columns (a Chinese
character takes two; :mod:`wcwidth` knows which), and when the table is wider
than the terminal the longest columns wrap: at spaces where there are some,
between characters in text without spaces (Chinese). An IRI or a URL is never
wrapped or cut, since someone may need to copy it: its column keeps its full
width. When the IRIs alone leave too little room, each row becomes a block of
``column  value`` lines instead, as ``psql``'s expanded display does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wcwidth import wcswidth, wcwidth

GAP = "  "
"""What separates two columns."""

NARROWEST = 12
"""Wrapped text keeps at least this many columns (or its full width, if less)."""

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")


@dataclass(frozen=True)
class Cell:
    """One cell's text, and whether it must stay whole (an IRI, a URL)."""

    text: str
    whole: bool = False

    @classmethod
    def of(cls, text: str, iri: bool = False) -> Cell:
        """Return a cell; it stays whole when it is an IRI, or text that is one URL."""
        return cls(text, iri or bool(_URL.match(text)))


def width(text: str) -> int:
    """Return how many terminal columns ``text`` takes.

    >>> width("微软"), width("OpenAI"), width("Hồng Kông")
    (4, 6, 9)
    """
    size = wcswidth(text)
    return size if size >= 0 else sum(max(wcwidth(c), 0) for c in text)


def render(header: Sequence[str], rows: Sequence[Sequence[Cell]], columns: int | None) -> str:
    """Return the table as lines of text, fitted into ``columns`` (``None``: no limit).

    >>> rows = [[Cell("org/microsoft", True), Cell("微软 announces that Azure stays")]]
    >>> print(render(["entity", "said"], rows, 30))
    entity         said
    -------------  ---------------
    org/microsoft  微软 announces
                   that Azure
                   stays
    """
    sizes = _fit(header, rows, columns)
    if columns is not None and sum(sizes) + len(GAP) * (len(sizes) - 1) > columns:
        return _records(header, rows, columns)
    lines = [[header[i] for i in range(len(sizes))], ["-" * size for size in sizes]]
    out = [_line(line, sizes) for line in lines]
    for row in rows:
        wrapped = [_wrap(cell, size) for cell, size in zip(row, sizes, strict=True)]
        height = max((len(parts) for parts in wrapped), default=1)
        for n in range(height):
            out.append(_line([parts[n] if n < len(parts) else "" for parts in wrapped], sizes))
    return "\n".join(out)


def _records(header: Sequence[str], rows: Sequence[Sequence[Cell]], columns: int) -> str:
    """Return one block per row, a line per column (``name  value``), for narrow terminals."""
    key = max(width(name) for name in header)
    room = max(columns - key - len(GAP), NARROWEST)
    blocks = []
    for row in rows:
        lines = [
            _line([name if n == 0 else "", part], [key, room])
            for name, cell in zip(header, row, strict=True)
            for n, part in enumerate(_wrap(cell, room))
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _fit(header: Sequence[str], rows: Sequence[Sequence[Cell]], columns: int | None) -> list[int]:
    """Return each column's width: its widest cell, narrowed until the table fits."""
    natural = [max([width(h), *(width(r[i].text) for r in rows)]) for i, h in enumerate(header)]
    floors = [
        max([width(h), min(natural[i], NARROWEST), *(width(r[i].text) for r in rows if r[i].whole)])
        for i, h in enumerate(header)
    ]
    # The column with the most text gives up room first, down to its floor, then the next.
    text = [sum(width(r[i].text) for r in rows) for i in range(len(header))]
    sizes = list(natural)
    excess = sum(sizes) + len(GAP) * (len(sizes) - 1) - (columns or 0)
    for i in sorted(range(len(sizes)), key=lambda i: -text[i]):
        if columns is None or excess <= 0:
            break
        given = min(excess, sizes[i] - floors[i])
        sizes[i] -= given
        excess -= given
    return sizes


def _wrap(cell: Cell, size: int) -> list[str]:
    """Return the cell's text as lines at most ``size`` columns wide (whole cells: one line)."""
    if cell.whole or width(cell.text) <= size:
        return [cell.text]
    lines: list[str] = []
    current = ""
    for word in cell.text.split(" "):
        candidate = f"{current} {word}" if current else word
        if width(candidate) <= size:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while width(current) > size and not _URL.match(current):
            head, current = _split(current, size)
            lines.append(head)
    return [*lines, current] if current else lines


def _split(word: str, size: int) -> tuple[str, str]:
    """Split a word too long for its column after as many characters as fit."""
    used = 0
    for index, char in enumerate(word):
        used += max(wcwidth(char), 0)
        if used > size:
            return word[: max(index, 1)], word[max(index, 1) :]
    return word, ""


def _line(cells: Sequence[str], sizes: Sequence[int]) -> str:
    """Return one line: the cells padded to their columns' widths, trailing space removed."""
    padded = (cell + " " * (size - width(cell)) for cell, size in zip(cells, sizes, strict=True))
    return GAP.join(padded).rstrip()
