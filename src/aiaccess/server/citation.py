"""How to cite the dataset: the BibTeX entry the home page shows.

It says what ``CITATION.cff`` at the repository's root says (a test keeps the
two in step): the title, the authors, the version, the URL and the licence.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from aiaccess.namespaces import BASE
from aiaccess.void import TITLE

AUTHORS = "aiaccess developers"
"""The authors, as a group (CITATION.cff's ``authors[0].name``)."""


def package_version() -> str:
    """Return the installed version of aiaccess."""
    try:
        return version("aiaccess")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def bibtex(year: int) -> str:
    """Return the BibTeX entry of the dataset as released in ``year``.

    >>> print(bibtex(2026).splitlines()[0])
    @misc{aiaccess2026,
    """
    return (
        f"@misc{{aiaccess{year},\n"
        f"  title        = {{{{{TITLE}}}}},\n"
        f"  author       = {{{{{AUTHORS}}}}},\n"
        f"  year         = {{{year}}},\n"
        f"  version      = {{{package_version()}}},\n"
        f"  howpublished = {{\\url{{{BASE}}}}},\n"
        "  note         = {Dataset, CC BY 4.0; code, MIT}\n"
        "}"
    )
