"""Where the seeds, ontology, curated data and canned queries live.

In a checkout they are the top-level folders; in an installed wheel they are
packaged under ``aiaccess/resources``. Everything else asks this module.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Resources:
    """The folders the dataset is built from, below one root."""

    root: Path

    @property
    def seeds(self) -> Path:
        """Folder of the article texts, byte-identical to the originals."""
        return self.root / "seeds"

    @property
    def ontology(self) -> Path:
        """The OWL ontology file."""
        return self.root / "ontology" / "aiaccess.ttl"

    @property
    def shapes(self) -> Path:
        """The SHACL shapes file."""
        return self.root / "ontology" / "shapes.ttl"

    @property
    def registry(self) -> Path:
        """The entity registry file."""
        return self.root / "data" / "registry.ttl"

    @property
    def queries(self) -> Path:
        """Folder of the canned ``.rq`` queries."""
        return self.root / "queries"

    def article_files(self) -> list[Path]:
        """Return the curated article files, sorted by name (= slug)."""
        return sorted((self.root / "data" / "articles").glob("*.ttl"))

    def relative(self, path: Path) -> Path:
        """Return ``path`` relative to the root when it is below it, for messages."""
        try:
            return path.relative_to(self.root)
        except ValueError:
            return path


@functools.cache
def default_resources() -> Resources:
    """Return the packaged resources, or the checkout's when running from source.

    Found once per process: the package does not move while it runs.

    >>> (default_resources().seeds / "SHA256SUMS").is_file()
    True
    """
    packaged = Path(__file__).resolve().parent / "resources"
    if (packaged / "seeds").is_dir():
        return Resources(packaged)
    return Resources(Path(__file__).resolve().parents[2])
