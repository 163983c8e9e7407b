"""What the library remembers between runs: content-addressed files in a cache folder.

``load()`` keeps the assembled dataset there, and the build keeps each
article's computed quads and each validation unit's result, all named after a
SHA-256 of everything they were computed from: a changed input gives a new
name, so nothing stale is ever read.

The folder is ``$AIACCESS_CACHE``, else ``$XDG_CACHE_HOME/aiaccess``, else
``~/.cache/aiaccess``; set ``AIACCESS_CACHE`` to an empty string to turn the
cache off. A folder that cannot be written is simply not used.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

CACHE_ENV = "AIACCESS_CACHE"
_PACKAGE = Path(__file__).resolve().parent


def folder() -> Path | None:
    """Return the cache folder the environment asks for, or None if caching is off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "aiaccess"


@functools.cache
def code_digest() -> str:
    """Return the SHA-256 of the package's own modules: new code, new cache names."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.glob("*.py")):
        digest.update(f"{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(*parts: bytes | str) -> str:
    """Return the SHA-256 naming a result computed from ``parts`` (and this code)."""
    digest = hashlib.sha256(code_digest().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def get(kind: str, name: str) -> bytes | None:
    """Return what was remembered as ``kind/name``, or None."""
    where = _where(kind)
    if where is None:
        return None
    try:
        with open(os.path.join(where, name), "rb") as remembered:
            return remembered.read()
    except OSError:
        return None


def put(kind: str, name: str, data: bytes) -> bool:
    """Remember ``data`` as ``kind/name``, atomically; tell whether it was remembered.

    Errors are not raised: the caller keeps ``data`` itself when this returns False.
    """
    where = folder()
    if where is None:
        return False
    try:
        (where / kind).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=where / kind, suffix=".tmp", delete=False) as out:
            out.write(data)
        os.replace(out.name, where / kind / name)
    except OSError:
        return False
    return True


def has(kind: str, name: str) -> bool:
    """Tell whether ``kind/name`` is remembered (without reading it)."""
    where = _where(kind)
    return where is not None and os.path.isfile(os.path.join(where, name))


def _where(kind: str) -> str | None:
    """Return the folder of ``kind`` as a string (looked up often: kept per environment)."""
    chosen = os.environ.get(CACHE_ENV)
    return _kind_folder(kind, chosen, os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))


@functools.lru_cache(maxsize=64)
def _kind_folder(kind: str, *environment: str | None) -> str | None:
    """Return the folder of ``kind`` for one state of the environment (see :func:`folder`)."""
    where = folder()
    return None if where is None else os.path.join(where, kind)


@dataclass(frozen=True)
class Piece:
    """Bytes remembered as ``kind/name`` and read when asked, or held here if not remembered."""

    kind: str
    name: str
    held: bytes | None = None

    def read(self) -> bytes:
        """Return the bytes.

        :raises OSError: if the cache lost them since they were remembered.
        """
        if self.held is not None:
            return self.held
        with open(self.path(), "rb") as remembered:
            return remembered.read()

    def path(self) -> str:
        """Return the file holding the bytes (when not held here).

        :raises OSError: if the cache is off or lost them.
        """
        where = _where(self.kind)
        found = None if where is None else os.path.join(where, self.name)
        if found is None or not os.path.isfile(found):
            raise OSError(f"the cache lost {self.kind}/{self.name}; build again")
        return found

    @classmethod
    def keep(cls, kind: str, name: str, data: bytes) -> Piece:
        """Remember ``data``; hold it here if the cache is off or cannot be written."""
        return cls(kind, name, None if put(kind, name, data) else data)
