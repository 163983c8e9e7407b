"""The errors the core raises for problems a user can cause.

Every one is an :class:`AiaccessError`, so the CLI and the server can turn
them into a one-line message (and an exit code or HTTP status) while anything
else is treated as a bug.
"""

from __future__ import annotations

from pathlib import Path


class AiaccessError(Exception):
    """Base of every error caused by input (data files, queries, options)."""


class DataSyntaxError(AiaccessError):
    """A data, ontology or shapes file is not valid Turtle.

    >>> str(DataSyntaxError(Path("data/x.ttl"), 3, 9, "Unexpected end of file"))
    'data/x.ttl:3:9: Turtle syntax error: Unexpected end of file'
    """

    def __init__(self, path: Path, line: int, column: int, message: str) -> None:
        self.path, self.line, self.column, self.detail = path, line, column, message
        super().__init__(f"{path}:{line}:{column}: Turtle syntax error: {message}")

    def __reduce__(self) -> tuple[type, tuple[Path, int, int, str]]:
        """Pickle with the constructor's arguments (errors cross process boundaries)."""
        return (type(self), (self.path, self.line, self.column, self.detail))


class DataError(AiaccessError):
    """A data file is well-formed Turtle but breaks the modelling contract."""

    def __init__(self, path: Path, message: str) -> None:
        self.path, self.detail = path, message
        super().__init__(f"{path}: {message}")

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        """Pickle with the constructor's arguments (errors cross process boundaries)."""
        return (type(self), (self.path, self.detail))


class EvidenceError(DataError):
    """A quote is missing from its seed, or its language tag is wrong."""

    def __init__(self, path: Path, quote: str, message: str) -> None:
        self.quote, self.reason = quote, message
        super().__init__(path, f"{message}: {quote!r}")

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        """Pickle with the constructor's arguments (errors cross process boundaries)."""
        return (type(self), (self.path, self.quote, self.reason))


class SeedError(AiaccessError):
    """A seed file is missing or differs from its recorded checksum."""


class ValidationFailed(AiaccessError):
    """The assembled dataset violates the SHACL shapes."""


class QueryError(AiaccessError):
    """A SPARQL query is malformed or cannot be evaluated."""


class UnknownQueryError(AiaccessError):
    """No canned query has the requested name."""


class ParameterError(AiaccessError):
    """A query parameter is unknown or has a value of the wrong kind."""


class EntityError(ParameterError):
    """An entity parameter names nothing in the dataset, or several things."""


class PublishError(AiaccessError):
    """A triple store could not be reached, refused a graph, or disagrees on the counts."""
