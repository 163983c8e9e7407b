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
    where = folder()
    if where is None:
        return None
    try:
        return (where / kind / name).read_bytes()
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
    where = folder()
    return where is not None and (where / kind / name).is_file()
