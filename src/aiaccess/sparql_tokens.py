"""Reading SPARQL text as tokens, the one way the package looks inside a query without running it.

The server's screening finds ``SERVICE`` clauses and ``FROM`` clauses with it,
and :func:`aiaccess.sparql.bind` finds where each ``WHERE {`` opens. A token is a
keyword (any bare word), an IRI, a prefixed name, a variable, a string, a
number, a language tag, a blank node label or punctuation; comments and white
space are skipped. So the word "service" in a string, an IRI, a comment, a
variable or a prefixed name is never mistaken for the keyword.

SPARQL's ``<`` is both the less-than operator and the start of an IRI. Like a
parser, the tokenizer decides by position: inside an expression, after an
operand, ``<`` is the operator; elsewhere it opens an IRI. Keywords are read
literally (Oxigraph, like the grammar, has no escapes outside IRIs and strings).

>>> [t.text for t in tokenize("SELECT ?s { ?s <p> 'a' } # done")]
['SELECT', '?s', '{', '?s', '<p>', "'a'", '}']
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from enum import Enum
from typing import NamedTuple
from urllib.parse import urljoin

from aiaccess.errors import QueryError


class Kind(Enum):
    """What a token is."""

    KEYWORD = "keyword"
    IRI = "iri"
    PNAME = "prefixed name"
    VAR = "variable"
    STRING = "string"
    NUMBER = "number"
    LANG = "language tag"
    BNODE = "blank node"
    PUNCT = "punctuation"


class Reading(Enum):
    """How an ambiguous ``<`` is read: by position (as a parser does), or always one way."""

    POSITION = "position"
    IRI_FIRST = "iri-first"
    OPERATOR_FIRST = "operator-first"


class Token(NamedTuple):
    """One token: its kind, its text as written, and where it starts in the query."""

    kind: Kind
    text: str
    start: int
    word: str
    """A keyword's text upper-cased; any other token's text as written."""


class UnreadableQuery(QueryError):
    """The text is not SPARQL the tokenizer can read (an unclosed string, a stray character)."""


_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRI = rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>"
_NAME = r"\w\-\u00B7\u0300-\u036F\u203F\u2040"
"""Characters that may continue a name (PN_CHARS), as a character-class body."""
_PREFIX = rf"[^\W\d_](?:[{_NAME}.]*[{_NAME}])?"
_LOCAL_CHAR = rf"(?:[{_NAME}:]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PNAME = rf"(?:{_PREFIX})?:(?:{_LOCAL_CHAR}|\.(?=(?:{_LOCAL_CHAR}|\.)*{_LOCAL_CHAR}))*"
_TOKEN = re.compile(
    r"""
    (?:[ \t\r\n]++|\#[^\r\n]*+)*+
    (?:(?P<end>\Z)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<var>[?$][%NAME%]+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<bnode>_:\w(?:[%NAME%.]*[%NAME%])?)
    | (?P<number>(?:\d+\.\d*[eE][+-]?\d+|\.\d+[eE][+-]?\d+|\d+[eE][+-]?\d+|\d*\.\d+|\d+))
    | (?P<iri>%IRI%)
    | (?P<pname>%PNAME%)
    | (?P<keyword>[^\W\d_]\w*)
    | (?P<punct>\^\^|&&|\|\||!=|<=|>=|<<|>>|\{\||\|\}|[{}()\[\];,.*=<>!+\-/|^~?]))
    """.replace("%NAME%", _NAME)
    .replace("%IRI%", _IRI)
    .replace("%PNAME%", _PNAME),
    re.VERBOSE | re.DOTALL,
)


def _OPERATOR_END(text: str, at: int) -> int:
    """Return where the operator ``<`` or ``<=`` at ``at`` ends."""
    return at + 2 if text.startswith("<=", at) else at + 1


_KINDS = {
    "string": Kind.STRING,
    "var": Kind.VAR,
    "lang": Kind.LANG,
    "bnode": Kind.BNODE,
    "number": Kind.NUMBER,
    "punct": Kind.PUNCT,
    "iri": Kind.IRI,
    "pname": Kind.PNAME,
    "keyword": Kind.KEYWORD,
}
_OPERANDS = frozenset({Kind.VAR, Kind.STRING, Kind.NUMBER, Kind.IRI, Kind.PNAME, Kind.LANG})
_TERM_WORDS = frozenset({"A", "TRUE", "FALSE"})
_CLOSERS = {"}": "{", ")": "(", "]": "["}


def tokenize(text: str, reading: Reading = Reading.POSITION) -> list[Token]:
    """Return the tokens of ``text``, comments and white space left out.

    :param reading: how to read a ``<`` that could be an operator or an IRI.
    :raises UnreadableQuery: if some text is no SPARQL token, or brackets do not match.

    >>> [t.kind.value for t in tokenize("ASK { FILTER(1<'>') }")]
    ['keyword', 'punctuation', 'keyword', 'punctuation', 'number', 'punctuation', \
'string', 'punctuation', 'punctuation']
    """
    return list(_Scanner(text, reading).tokens())


def scan(text: str) -> Iterator[Token]:
    """Yield the tokens of ``text`` one at a time, as :func:`tokenize` returns them,
    so that a caller looking for something near the start may stop early.

    :raises UnreadableQuery: while iterating, where the text cannot be read.

    >>> next(scan("SELECT ?s { ?s ?p ?o }")).word
    'SELECT'
    """
    return _Scanner(text, Reading.POSITION).tokens()


@functools.lru_cache(maxsize=16)
def readings(text: str) -> tuple[tuple[Token, ...], ...]:
    """Return every plausible reading of ``text``: the positional one, then the others.

    The others (``<`` always an IRI, ``<`` always an operator in expressions) are
    added only when the text has a ``<`` in an expression, where they could
    differ, and only if they can be read at all. The last few texts' readings
    are kept, so checks of the same query read it once.

    :raises UnreadableQuery: if the positional reading fails.

    >>> len(readings("SELECT * { ?s ?p ?o }")), len(readings("ASK { FILTER(?x<a>) }"))
    (1, 3)
    """
    scanner = _Scanner(text, Reading.POSITION)
    found = [tuple(scanner.tokens())]
    if scanner.ambiguous:
        for reading in (Reading.IRI_FIRST, Reading.OPERATOR_FIRST):
            try:
                found.append(tuple(tokenize(text, reading)))
            except UnreadableQuery:
                continue
    return tuple(found)


class _Scanner:
    """The tokenizer's state: the position, the open brackets and the previous tokens."""

    def __init__(self, text: str, reading: Reading) -> None:
        self.text = text
        self.reading = reading
        self.at = 0
        self.contexts: list[tuple[str, bool]] = []
        """Each open bracket, and whether it opened an expression."""
        self.previous: list[Token] = []
        self.ambiguous = False
        """Whether a ``<`` was met that another reading could take the other way."""

    def tokens(self) -> Iterator[Token]:
        """Yield every token in order.

        One pass of the compiled pattern reads every token; it restarts only
        where a ``<`` turns out to be an operator.
        """
        text, at = self.text, 0
        while at < len(text):
            at = len(text)
            for match in _TOKEN.finditer(text, self.at):
                group = match.lastgroup
                if group is None or match.start() != self.at:
                    break
                if group == "end":
                    self.at = len(text)
                    break
                start = match.start(group)
                if (group == "iri" or text.startswith("<<", start)) and not self._iri_expected():
                    at = self.at = _OPERATOR_END(text, start)
                    yield self._add(Token(Kind.PUNCT, text[start:at], start, text[start:at]))
                    break  # read on from just after the operator
                piece = match.group(group)
                kind = _KINDS[group]
                word = piece.upper() if kind is Kind.KEYWORD else piece
                self.at = match.end()
                yield self._add(Token(kind, piece, start, word))
            else:
                if self.at < len(text):
                    self._unreadable()
            if at == len(text) and self.at < len(text):
                self._unreadable()
            at = self.at
        if self.contexts:
            raise UnreadableQuery(f"unclosed {self.contexts[-1][0]!r} in the query")

    def _unreadable(self) -> None:
        """Raise the error for the first character no token starts at."""
        at = self.at + len(self.text[self.at :]) - len(self.text[self.at :].lstrip(" \t\r\n"))
        raise UnreadableQuery(f"cannot read the query at character {at + 1}: {self.text[at]!r}")

    def _add(self, token: Token) -> Token:
        """Follow brackets, remember ``token`` as the previous one, and return it."""
        if token.kind is Kind.PUNCT:
            self._track(token)
        self.previous.append(token)
        return token

    def _iri_expected(self) -> bool:
        """Tell whether a ``<`` here opens an IRI rather than compares."""
        if self.reading is Reading.IRI_FIRST:
            return True
        if not (self.contexts and self.contexts[-1][1]):
            return True  # outside expressions, "<" only opens IRIs and triple terms
        self.ambiguous = True
        if self.reading is Reading.OPERATOR_FIRST:
            return False
        return not self.previous or not _is_operand(self.previous[-1])

    def _track(self, token: Token) -> None:
        """Follow brackets, noting whether each opens an expression."""
        if token.kind is not Kind.PUNCT:
            return
        if token.text in ("{", "{|", "["):
            self.contexts.append((token.text[0], False))
        elif token.text == "(":
            self.contexts.append(("(", self._opens_expression()))
        elif token.text in ("}", "|}", ")", "]"):
            closes = _CLOSERS[token.text[-1]]
            if not self.contexts or self.contexts.pop()[0] != closes:
                raise UnreadableQuery(f"unmatched {token.text!r} at character {token.start + 1}")

    def _opens_expression(self) -> bool:
        """Tell whether a ``(`` opens an expression, not a collection or a row of terms."""
        if not self.contexts or self.contexts[-1][1]:
            return True  # top level (SELECT, GROUP BY …) or inside an expression
        before = self.previous[-1] if self.previous else None
        if before is None or before.text in ("<<", "<<("):
            return False
        if before.kind is Kind.KEYWORD:
            return before.word not in _TERM_WORDS  # FILTER (, BIND (, REGEX (, VALUES (…
        earlier = self.previous[-2] if len(self.previous) > 1 else None
        called = before.kind in (Kind.IRI, Kind.PNAME)
        return called and earlier is not None and earlier.word == "FILTER"


def _is_operand(token: Token) -> bool:
    """Tell whether ``token`` ends an operand, so that a ``<`` after it compares."""
    if token.kind in _OPERANDS:
        return True
    if token.kind is Kind.KEYWORD:
        return token.word in ("TRUE", "FALSE")
    return token.text in (")", "]")


def keywords(text: str) -> Iterator[str]:
    """Yield the query's keywords (bare words), upper-cased.

    :raises UnreadableQuery: if the text cannot be tokenized.

    >>> list(keywords('SELECT ?from FROM <http://g> { ?s ?p "FROM" } # FROM'))
    ['SELECT', 'FROM']
    """
    return (t.word for t in tokenize(text) if t.kind is Kind.KEYWORD)


def where_clauses(text: str) -> list[int]:
    """Return the offset just after each ``WHERE {`` (the brace included).

    :raises UnreadableQuery: if the text cannot be tokenized.

    >>> where_clauses("SELECT * WHERE { ?s ?p 'WHERE {' }")
    [16]
    """
    tokens = tokenize(text)
    return [
        after.start + 1
        for token, after in itertools.pairwise(tokens)
        if token.word == "WHERE" and after.text == "{"
    ]


class Prologue:
    """The base IRI and prefixes in force, to resolve IRIs and prefixed names as the engine does."""

    def __init__(self, base: str | None, prefixes: dict[str, str]) -> None:
        self.base = base
        self.prefixes = dict(prefixes)

    def declare(self, tokens: Sequence[Token], index: int) -> None:
        """Apply a ``BASE`` or ``PREFIX`` declaration starting at ``tokens[index]``, if any."""
        word = tokens[index].word
        if word == "BASE" and index + 1 < len(tokens) and tokens[index + 1].kind is Kind.IRI:
            self.base = self.iri(tokens[index + 1].text)
        elif word == "PREFIX" and index + 2 < len(tokens):
            name, iri = tokens[index + 1], tokens[index + 2]
            if name.kind is Kind.PNAME and name.text.endswith(":") and iri.kind is Kind.IRI:
                self.prefixes[name.text[:-1]] = self.iri(iri.text)

    def iri(self, written: str) -> str:
        """Return the absolute IRI of an IRI token (``<…>``), escapes decoded."""
        value = _unescape(written[1:-1])
        return urljoin(self.base, value) if self.base else value

    def resolve(self, token: Token) -> str | None:
        """Return the IRI an IRI or prefixed name stands for (None: an undeclared prefix)."""
        if token.kind is Kind.IRI:
            return self.iri(token.text)
        prefix, _, local = token.text.partition(":")
        namespace = self.prefixes.get(prefix)
        if namespace is None:
            return None
        return namespace + re.sub(r"\\(.)", r"\1", local)


def _unescape(value: str) -> str:
    r"""Decode ``\u`` and ``\U`` escapes in an IRI.

    >>> _unescape(r"http://e/\u0073")
    'http://e/s'
    """
    return re.sub(_UCHAR, lambda m: chr(int(m.group()[2:], 16)), value)
