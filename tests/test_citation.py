"""CITATION.cff and the home page's BibTeX say the same: title, authors, version, URL."""

from __future__ import annotations

import re
from pathlib import Path

from aiaccess.namespaces import BASE
from aiaccess.server.citation import AUTHORS, bibtex, package_version
from aiaccess.void import LICENSE, TITLE

CFF = Path(__file__).parents[1] / "CITATION.cff"


def field(name: str) -> str:
    """Return a top-level scalar of CITATION.cff (quoted or not)."""
    found = re.search(rf'^{name}: "?([^"\n]+)"?$', CFF.read_text(encoding="utf-8"), re.M)
    assert found, f"CITATION.cff has no {name}"
    return found[1]


def test_citation_file_matches_the_dataset() -> None:
    text = CFF.read_text(encoding="utf-8")
    assert field("cff-version") == "1.2.0"
    assert field("title") == TITLE
    assert field("version") == package_version()
    assert field("url") == BASE
    assert f'  - name: "{AUTHORS}"' in text
    assert "CC-BY-4.0" in text and LICENSE.endswith("/by/4.0/")


def test_bibtex_names_the_dataset_its_version_and_url() -> None:
    entry = bibtex(2024)
    assert entry.startswith("@misc{aiaccess2024,")
    assert f"title        = {{{{{TITLE}}}}}," in entry
    assert f"version      = {{{package_version()}}}," in entry
    assert BASE in entry and entry.endswith("}")
