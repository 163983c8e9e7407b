"""The seed texts: the five articles, checked against their checksum manifest."""

from __future__ import annotations

import hashlib
from pathlib import Path

from aiaccess.errors import SeedError

MANIFEST = "SHA256SUMS"


def sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(folder: Path) -> dict[str, str]:
    """Return ``{file name: sha256}`` from ``folder/SHA256SUMS`` (``sha256sum`` format).

    :raises SeedError: if the manifest is missing or a line is malformed.
    """
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise SeedError(f"{manifest}: checksum manifest is missing")
    sums: dict[str, str] = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            raise SeedError(f"{manifest}:{number}: expected '<sha256>  <file name>'")
        sums[name] = digest
    return sums


def verify(folder: Path) -> dict[str, str]:
    """Check every seed against the manifest and return the manifest.

    :raises SeedError: if a seed is missing, unlisted or has changed.
    """
    sums = read_manifest(folder)
    present = {p.name for p in folder.glob("*.txt")}
    for name in sorted(present - sums.keys()):
        raise SeedError(f"{folder / name}: seed is not listed in {MANIFEST}")
    for name, digest in sorted(sums.items()):
        path = folder / name
        if not path.is_file():
            raise SeedError(f"{path}: seed listed in {MANIFEST} is missing")
        if sha256(path) != digest:
            raise SeedError(f"{path}: seed differs from its checksum in {MANIFEST}")
    return sums


def read_text(folder: Path, name: str) -> str:
    """Return a seed's text, decoded as UTF-8.

    :raises SeedError: if the file does not exist.
    """
    path = folder / name
    if not path.is_file():
        raise SeedError(f"{path}: seed file does not exist")
    return path.read_text(encoding="utf-8")
