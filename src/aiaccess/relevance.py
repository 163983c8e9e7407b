"""Which quads of a validation unit the shapes can read: the rest is left out before checking.

A SHACL run starts from its *focus nodes* (the shapes' targets) and reads
from there: each focus node's values along the shapes' paths, their values in
turn (nested shapes, ``sh:class`` reading types and superclasses), and, for an
inverse path, the subjects pointing at a node. So a resource that no shape
targets and that no such reading reaches is never looked at: leaving its
statements out of the unit changes no result. The computed graphs are mostly
such resources (the source comparison and its value lists have no shape),
and they are most of a derived unit.

The rule, derived from the shapes themselves (:func:`reads`):

* *roots*: every resource a target can select — an instance of a target
  class or of a subclass of one (the unit's ``rdfs:subClassOf`` triples
  followed, as the engine does), a subject of a ``sh:targetSubjectsOf``
  property, an object of a ``sh:targetObjectsOf`` property, a
  ``sh:targetNode``; a SPARQL target counts only if its query selects
  instances of one class (``?this a <C>`` in its top-level pattern) and reads
  nothing but what is reachable forward from ``?this`` (and from constant
  IRIs, which become roots) — :func:`_sparql_target` checks this on the query's tokens;
* *kept*: the roots, every object of a kept resource's statements (any
  property: a conservative superset of the shapes' paths), and every subject of
  a statement with a property the shapes read backwards (``sh:inversePath``)
  whose object is kept — transitively;
* the unit is the statements whose subject is kept.

Shapes the rule cannot vouch for (SPARQL constraints, a SPARQL target of
another form, any SHACL term outside the core it knows) give no rule, and
units are then checked whole. pySHACL on the whole dataset stays the
reference (tests/test_validate.py).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from aiaccess.namespaces import OWL, RDF, RDFS, SH
from aiaccess.sparql_tokens import Kind, Token, UnreadableQuery, tokenize

_TYPE = ox.NamedNode(RDF + "type")
_SUBCLASS = ox.NamedNode(RDFS + "subClassOf")

_TERMS = """
    targetClass targetNode targetSubjectsOf targetObjectsOf target select SPARQLTarget
    NodeShape PropertyShape path inversePath alternativePath zeroOrMorePath oneOrMorePath
    zeroOrOnePath property node class datatype nodeKind minCount maxCount minLength
    maxLength pattern flags languageIn uniqueLang in hasValue equals disjoint lessThan
    lessThanOrEquals minInclusive maxInclusive minExclusive maxExclusive or and not xone
    qualifiedValueShape qualifiedMinCount qualifiedMaxCount qualifiedValueShapesDisjoint
    message severity name description deactivated order group closed ignoredProperties
    defaultValue IRI BlankNode Literal BlankNodeOrIRI BlankNodeOrLiteral IRIOrLiteral
    Violation Warning Info
"""
_KNOWN = frozenset(SH + name for name in _TERMS.split())
"""The SHACL terms the rule understands; shapes using any other give no rule."""


@dataclass(frozen=True)
class Reads:
    """Where the shapes start reading a unit, and what they read backwards."""

    classes: frozenset[ox.NamedNode]
    """Target classes (instances of their subclasses are targets too)."""
    subjects_of: frozenset[ox.NamedNode]
    objects_of: frozenset[ox.NamedNode]
    nodes: frozenset[ox.NamedNode | ox.BlankNode | ox.Literal]
    """Target nodes, and constant IRIs a SPARQL target reads from."""
    inverse: frozenset[ox.NamedNode]
    """Every property that appears under a ``sh:inversePath``."""


@functools.cache
def reads(shapes: str) -> Reads | None:
    """Return where the shapes in ``shapes`` (Turtle) start reading, or None if unsure.

    >>> sh = "@prefix sh: <http://www.w3.org/ns/shacl#> . "
    >>> reads(sh + "<http://e/s> sh:targetClass <http://e/C> .").classes
    frozenset({<NamedNode value=http://e/C>})
    >>> reads(sh + "<http://e/s> sh:sparql [] .") is None
    True
    """
    triples = [q.triple for q in ox.parse(shapes, format=ox.RdfFormat.TURTLE)]
    if any(_unknown(t.predicate) or _unknown(t.object) for t in triples):
        return None
    found: dict[str, set[ox.NamedNode]] = defaultdict(set)
    nodes: set[ox.NamedNode | ox.BlankNode | ox.Literal] = set()
    for triple in triples:
        name = triple.predicate.value.removeprefix(SH)
        obj = triple.object
        if name in ("targetClass", "targetSubjectsOf", "targetObjectsOf") and isinstance(
            obj, ox.NamedNode
        ):
            found[name].add(obj)
        elif name == "targetNode":
            nodes.add(obj)
    classes = found["targetClass"] | _implicit_class_targets(triples)
    for target in (t.object for t in triples if t.predicate.value == SH + "target"):
        anchored = _sparql_target(triples, target)
        if anchored is None:
            return None
        classes.add(anchored[0])
        nodes.update(anchored[1])
    return Reads(
        frozenset(classes),
        frozenset(found["targetSubjectsOf"]),
        frozenset(found["targetObjectsOf"]),
        frozenset(nodes),
        frozenset(_under_inverse_paths(triples)),
    )


def _unknown(term: object) -> bool:
    """Tell whether ``term`` is a SHACL term the rule does not understand."""
    return isinstance(term, ox.NamedNode) and term.value.startswith(SH) and term.value not in _KNOWN


def _implicit_class_targets(triples: list[ox.Triple]) -> set[ox.NamedNode]:
    """Return the shapes that are also classes (a shape then targets its instances)."""
    classes = {ox.NamedNode(RDFS + "Class"), ox.NamedNode(OWL + "Class")}
    return {
        t.subject
        for t in triples
        if t.predicate == _TYPE and t.object in classes and isinstance(t.subject, ox.NamedNode)
    }


def _under_inverse_paths(triples: list[ox.Triple]) -> set[ox.NamedNode]:
    """Return every IRI reachable in the shapes graph from the object of a ``sh:inversePath``."""
    by_subject: dict[object, list[object]] = defaultdict(list)
    for triple in triples:
        by_subject[triple.subject].append(triple.object)
    todo: list[object] = [t.object for t in triples if t.predicate.value == SH + "inversePath"]
    seen: set[object] = set()
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(by_subject.get(node, []))
    return {node for node in seen if isinstance(node, ox.NamedNode)}


def _sparql_target(
    triples: list[ox.Triple], target: object
) -> tuple[ox.NamedNode, set[ox.NamedNode]] | None:
    """Return the class a SPARQL target selects instances of and the constant IRIs it reads.

    None if the target is not a ``sh:SPARQLTarget`` whose query the rule can vouch for.
    """
    about = [t for t in triples if t.subject == target]
    kinds = {t.object for t in about if t.predicate == _TYPE}
    selects = [t.object for t in about if t.predicate.value == SH + "select"]
    if kinds != {ox.NamedNode(SH + "SPARQLTarget")} or len(selects) != 1:
        return None
    if len(about) != 2 or not isinstance(selects[0], ox.Literal):
        return None
    try:
        return _Query(tokenize(selects[0].value)).anchored()
    except (UnreadableQuery, _Unsure, ValueError):
        return None


class _Unsure(Exception):
    """The query uses something the rule does not analyse."""


_Pattern = tuple[str, str | None]
"""A triple pattern: its subject (a variable ``?x`` or an IRI) and its object variable, if any."""


class _Query:
    """A SPARQL target's SELECT read as triple patterns (a small subset of the grammar).

    Basic graph patterns, ``FILTER`` (with ``EXISTS``/``NOT EXISTS`` patterns,
    read like the others) and ``VALUES``; property paths of IRIs with ``/``,
    ``|``, ``*``, ``+`` and ``?``. Anything else raises :class:`_Unsure`.
    """

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self.at = 0
        self.top: list[_Pattern] = []
        self.nested: list[_Pattern] = []
        self.anchors: list[str] = []

    def anchored(self) -> tuple[ox.NamedNode, set[ox.NamedNode]]:
        """Return the class ``?this`` is an instance of and the constant subjects read.

        :raises _Unsure: unless ``?this`` is typed at the top level and every
            pattern's subject is a constant or reachable from ``?this``.
        """
        self._expect("SELECT")
        if self._peek().word in ("DISTINCT", "REDUCED"):
            self.at += 1
        if self._next().text not in ("?this", "$this"):
            raise _Unsure
        if self._peek().word == "WHERE":
            self.at += 1
        self._group(self.top)
        if self.at != len(self.tokens) or not self.anchors:
            raise _Unsure
        patterns = self.top + self.nested
        reached, constants = {"this"}, set()
        for _ in patterns:
            for subject, obj in patterns:
                if subject.startswith("?") and subject[1:] in reached and obj is not None:
                    reached.add(obj)
        for subject, _obj in patterns:
            if not subject.startswith("?"):
                constants.add(ox.NamedNode(subject))
            elif subject[1:] not in reached:
                raise _Unsure
        return ox.NamedNode(self.anchors[0]), constants

    def _group(self, into: list[_Pattern]) -> None:
        """Read ``{ … }`` into ``into``."""
        self._expect("{")
        while self._peek().text != "}":
            token = self._peek()
            if token.word == "FILTER":
                self.at += 1
                self._filter()
            elif token.word == "VALUES":
                self.at += 1
                self._skip_values()
            elif token.text == ".":
                self.at += 1
            else:
                self._triples(into)
        self.at += 1

    def _triples(self, into: list[_Pattern]) -> None:
        """Read a subject and its predicate-object list."""
        subject = self._term()
        while True:
            verb = self._verb()
            while True:
                obj = self._object()
                into.append((subject, obj))
                if into is self.top and subject == "?this" and verb == RDF + "type" and obj is None:
                    self.anchors += [self._last_iri] if self._last_iri else []
                if self._peek().text != ",":
                    break
                self.at += 1
            if self._peek().text != ";":
                return
            self.at += 1
            if self._peek().text in (".", "}"):
                return

    def _term(self) -> str:
        """Read a subject: a variable (``?name``) or an IRI."""
        token = self._next()
        if token.kind is Kind.VAR:
            return "?" + token.text[1:]
        if token.kind is Kind.IRI:
            return token.text[1:-1]
        raise _Unsure

    def _verb(self) -> str | None:
        """Read a predicate (a variable, ``a``, an IRI or a path of IRIs); return ``a``'s IRI."""
        token = self._next()
        if token.kind is Kind.VAR:
            return None
        single = self._path_element(token)
        while self._peek().text in ("/", "|"):
            self.at += 1
            self._path_element(self._next())
            single = None
        return single

    def _path_element(self, token: Token) -> str | None:
        """Read one IRI (or ``a``) of a path and its ``*``, ``+`` or ``?``."""
        if token.word == "A":
            iri = RDF + "type"
        elif token.kind is Kind.IRI:
            iri = token.text[1:-1]
        else:
            raise _Unsure
        if self._peek().text in ("*", "+", "?"):
            self.at += 1
            return None
        return iri

    def _object(self) -> str | None:
        """Read an object: its variable's name, or None for a constant (IRI in ``_last_iri``)."""
        token = self._next()
        if token.kind is Kind.VAR:
            return token.text[1:]
        if token.kind is Kind.IRI:
            self._last_iri = token.text[1:-1]
            return None
        if token.kind in (Kind.STRING, Kind.NUMBER) or token.word in ("TRUE", "FALSE"):
            if self._peek().kind is Kind.LANG:
                self.at += 1
            elif self._peek().text == "^^":
                self.at += 2
            self._last_iri = ""
            return None
        raise _Unsure

    _last_iri = ""

    def _filter(self) -> None:
        """Read a filter: ``(NOT) EXISTS { … }`` or a built-in call or bracketed expression.

        ``EXISTS`` patterns are read like the others; any other part of an
        expression reads no data (a call of an IRI, which could, is refused).
        """
        if self._peek().word == "NOT":
            self.at += 1
        if self._peek().word == "EXISTS":
            self.at += 1
            self._group(self.nested)
            return
        if self._peek().kind is Kind.KEYWORD:
            self.at += 1
        depth = 0
        while True:
            token = self._next()
            if token.word == "EXISTS":
                self._group(self.nested)
            elif token.text == "{" or (token.kind is Kind.IRI and self._peek().text == "("):
                raise _Unsure
            elif token.text == "(":
                depth += 1
            elif token.text == ")":
                depth -= 1
            if depth == 0:
                return

    def _skip_values(self) -> None:
        """Skip a ``VALUES`` block (its variables' values are constants)."""
        while self._next().text != "{":
            pass
        while self._next().text != "}":
            pass

    def _expect(self, word: str) -> None:
        """Read one token that must be ``word``."""
        if self._next().word != word:
            raise _Unsure

    def _peek(self) -> Token:
        """Return the next token without reading it."""
        if self.at >= len(self.tokens):
            raise _Unsure
        return self.tokens[self.at]

    def _next(self) -> Token:
        """Read the next token."""
        token = self._peek()
        self.at += 1
        return token


def relevant(quads: list[ox.Quad], rule: Reads) -> list[ox.Quad]:
    """Return the quads of a unit whose subject the shapes can read (see the module's rule).

    The kept quads keep their order.
    """
    by_subject: dict[object, list[ox.Quad]] = defaultdict(list)
    pointing: dict[object, list[object]] = defaultdict(list)
    subclasses: dict[object, list[object]] = defaultdict(list)
    roots: list[object] = [*rule.nodes]
    for quad in quads:
        subject, predicate, obj = quad.subject, quad.predicate, quad.object
        by_subject[subject].append(quad)
        if predicate == _SUBCLASS:
            subclasses[obj].append(subject)
        if predicate in rule.subjects_of:
            roots.append(subject)
        if predicate in rule.objects_of:
            roots.append(obj)
        if predicate in rule.inverse:
            pointing[obj].append(subject)
    classes = set(_closure(list(rule.classes), subclasses))
    roots += [q.subject for q in quads if q.predicate == _TYPE and q.object in classes]
    kept = set(_kept(roots, by_subject, pointing))
    return [quad for quad in quads if quad.subject in kept]


def _closure(todo: list[object], edges: dict[object, list[object]]) -> Iterator[object]:
    """Yield each node reachable from ``todo`` along ``edges``, once."""
    seen = set(todo)
    yield from seen
    while todo:
        for node in edges.get(todo.pop(), ()):
            if node not in seen:
                seen.add(node)
                todo.append(node)
                yield node


def _kept(
    roots: list[object],
    by_subject: dict[object, list[ox.Quad]],
    pointing: dict[object, list[object]],
) -> Iterator[object]:
    """Yield the roots and everything read from them: objects, and inverse-path subjects."""
    seen = set(roots)
    todo = list(seen)
    yield from seen
    while todo:
        node = todo.pop()
        nexts = [q.object for q in by_subject.get(node, ())]
        for found in [*nexts, *pointing.get(node, ())]:
            if found not in seen:  # a literal too: an inverse path may read back from it
                seen.add(found)
                todo.append(found)
                yield found
