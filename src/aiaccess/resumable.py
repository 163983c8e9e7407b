"""A SHA-256 whose running state can be saved as bytes and taken up again in a later run.

A rebuild writes each dump again from the first fragment that changed
(:mod:`aiaccess.dumpfiles`), but its checksum covers the whole file; with the
hash's state at that fragment saved by the last build, the bytes before it are
not hashed again. hashlib's hashes can be copied, not saved. OpenSSL's
``SHA256_Init``/``SHA256_Update``/``SHA256_Final`` (the code hashlib runs) keep
their state in a plain structure, ``SHA256_CTX``, of fixed size and without
pointers, so its bytes can be saved and restored. They are called through
ctypes, which releases the GIL during the call as hashlib does. Where the
library or the functions are missing, or a saved state does not resume to
hashlib's digest (checked once, on a known text), :func:`new` returns
hashlib's SHA-256, whose :meth:`Hash.saved` cannot be kept across runs.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import mmap
import sys
from typing import Any, Protocol

STATE_SIZE = 112
"""``sizeof(SHA256_CTX)``: eight state words, the length (two words), a 64-byte block, two words."""
_ROOM = 256
"""The bytes given to OpenSSL for a state: more than it needs, should a build's be larger."""

Data = bytes | mmap.mmap
"""What a hash can be given: bytes, or a memory map opened with ``ACCESS_COPY`` (writable)."""


class Hash(Protocol):
    """What the writers need of a SHA-256: hashlib's interface, and a state to restore."""

    def update(self, data: Data) -> None:
        """Add ``data`` to the hash."""

    def hexdigest(self) -> str:
        """Return the digest of what was added, in hex."""

    def saved(self) -> Any:
        """Return the state, for :func:`new`: bytes if it can be kept across runs."""


def new(saved: Any = None) -> Hash:
    """Return a SHA-256, taken up from ``saved`` (what :meth:`Hash.saved` returned) if given.

    >>> first = new()
    >>> first.update(b"ab")
    >>> later = new(first.saved())
    >>> later.update(b"c")
    >>> later.hexdigest() == hashlib.sha256(b"abc").hexdigest()
    True
    """
    library = _library()
    if library is None:
        return _Hashlib(saved.copy() if saved is not None else hashlib.sha256())
    return _OpenSSL(library, saved)


def keepable(saved: Any) -> bytes | None:
    """Return a saved state as bytes that a later run can give to :func:`new`, if it is such."""
    return saved if isinstance(saved, bytes) and len(saved) == STATE_SIZE else None


class _OpenSSL:
    """OpenSSL's SHA-256, its state in a ctypes buffer."""

    def __init__(self, library: ctypes.CDLL, saved: bytes | None) -> None:
        self.library = library
        self.state = ctypes.create_string_buffer(_ROOM)
        if saved is None:
            library.SHA256_Init(self.state)
        else:
            ctypes.memmove(self.state, saved, STATE_SIZE)

    def update(self, data: Data) -> None:
        """Add ``data`` (a writable memory map is passed by address, not copied)."""
        if isinstance(data, bytes):
            self.library.SHA256_Update(self.state, data, len(data))
            return
        if len(data):
            first = ctypes.c_char.from_buffer(data)  # its first byte: no array type made per size
            try:
                self.library.SHA256_Update(self.state, ctypes.addressof(first), len(data))
            finally:
                del first  # releases the map, which can then be closed

    def hexdigest(self) -> str:
        """Return the digest, leaving the state as it was."""
        final = ctypes.create_string_buffer(self.state.raw, _ROOM)
        out = ctypes.create_string_buffer(32)
        self.library.SHA256_Final(out, final)
        return out.raw.hex()

    def saved(self) -> bytes:
        """Return the state's bytes."""
        return self.state.raw[:STATE_SIZE]


class _Hashlib:
    """hashlib's SHA-256, where OpenSSL's cannot be called: its state is a copy."""

    def __init__(self, digest: Any) -> None:
        self.digest = digest

    def update(self, data: Data) -> None:
        """Add ``data``."""
        self.digest.update(data)

    def hexdigest(self) -> str:
        """Return the digest."""
        return str(self.digest.hexdigest())

    def saved(self) -> Any:
        """Return a copy of the hash (not bytes: it cannot be kept across runs)."""
        return self.digest.copy()


_NAMES = ("libcrypto.so.3", "libcrypto.so.1.1")
"""OpenSSL's library as Linux names it (hashlib's is one of these). Elsewhere it is not
looked for: macOS aborts a process that loads its unversioned libcrypto."""


@functools.cache
def _library() -> ctypes.CDLL | None:
    """Return libcrypto with its SHA-256 functions typed, if found and resuming correctly."""
    if not sys.platform.startswith("linux"):
        return None
    for name in _NAMES:
        try:
            library = ctypes.CDLL(name)
            for function in ("SHA256_Init", "SHA256_Update", "SHA256_Final"):
                getattr(library, function).restype = ctypes.c_int
        except (OSError, AttributeError):
            continue
        library.SHA256_Init.argtypes = [ctypes.c_void_p]
        library.SHA256_Update.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
        library.SHA256_Final.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        return library if _resumes(library) else None
    return None


def _resumes(library: ctypes.CDLL) -> bool:
    """Tell whether a state saved in mid-block resumes to hashlib's digest of a known text."""
    text = bytes(range(256)) * 3
    first = _OpenSSL(library, None)
    first.update(text[:100])
    later = _OpenSSL(library, first.saved())
    later.update(text[100:])
    return later.hexdigest() == hashlib.sha256(text).hexdigest()
