"""The examples in the docstrings of every aiaccess module run, and give what they show.

As Oxigraph's ``python/tests/test_doc.py`` does: documentation that is code is
tested code. The examples use the test run's cache folder (tests/conftest.py), so
the dataset that several modules' examples load is assembled once: the cache is
content-addressed, so what it holds cannot change what an example shows.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import aiaccess

MODULES = sorted(
    ["aiaccess", *(m.name for m in pkgutil.walk_packages(aiaccess.__path__, "aiaccess."))]
)


def test_every_module_is_found() -> None:
    assert {"aiaccess.catalog", "aiaccess.load", "aiaccess.sparql", "aiaccess.dataset"} <= set(
        MODULES
    )


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name, globs=vars(module).copy()):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
