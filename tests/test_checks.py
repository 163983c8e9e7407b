"""The SPARQL checks of ``queries/checks/`` against their example files.

Every check ``<name>-violation.rq`` has examples in ``tests/checks/``:
``<name>-valid.trig`` passes every check, and ``<name>-invalid.trig`` (which
opens with ``# Invalid: <why>`` and ``# Focus: <IRI>``) fails on that check
only, for that resource, with the rule as its message.
"""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest

from aiaccess import checks
from aiaccess.catalog import parse
from aiaccess.dataset import Assembled, assemble
from aiaccess.errors import QueryError
from aiaccess.namespaces import REGISTRY_GRAPH
from aiaccess.resources import Resources
from aiaccess.validate import check as check_all
from tests.conftest import SHIPPED
from tests.test_generate import _generator

EXAMPLES = Path(__file__).resolve().parent / "checks"
REGISTRY = EXAMPLES / "registry.ttl"
"""The registry entries the examples refer to, loaded with each of them."""
CHECKS = {c.name.removesuffix("-violation"): c for c in checks.checks(SHIPPED)}


def _findings(example: Path) -> list[checks.Finding]:
    """Run every check on one example file."""
    store = ox.Store()
    store.load(path=example, format=ox.RdfFormat.TRIG)
    store.load(path=REGISTRY, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(REGISTRY_GRAPH))
    return checks.run(store, SHIPPED)


def test_every_check_has_both_examples() -> None:
    assert len(CHECKS) >= 3
    named = {p.stem.rsplit("-", 1)[0] for p in EXAMPLES.glob("*.trig")}
    assert named == set(CHECKS)
    for name in CHECKS:
        assert (EXAMPLES / f"{name}-valid.trig").is_file(), name
        assert (EXAMPLES / f"{name}-invalid.trig").is_file(), name


def test_every_check_states_its_rule() -> None:
    for name, check in CHECKS.items():
        assert check.question.endswith("."), name
        assert [c.name for c in check.columns][:1] == ["focus"], name


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_valid_example_passes(name: str) -> None:
    example = EXAMPLES / f"{name}-valid.trig"
    assert example.read_text(encoding="utf-8").startswith("# Valid: ")
    assert _findings(example) == []


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_invalid_example_fails_on_its_check(name: str) -> None:
    example = EXAMPLES / f"{name}-invalid.trig"
    why, focus = example.read_text(encoding="utf-8").splitlines()[:2]
    assert why.startswith("# Invalid: ") and focus.startswith("# Focus: ")
    found = _findings(example)
    assert {(f.check, f.focus, f.message) for f in found} == {
        (checks.CHECK_IRI + name, focus.removeprefix("# Focus: "), CHECKS[name].question)
    }


def test_shipped_data_passes_every_check(assembled: Assembled) -> None:
    store = ox.Store()
    store.bulk_extend(assembled.quads)
    assert checks.run(store, SHIPPED) == []


def test_a_check_that_is_not_a_select_of_focus_is_refused(resources: Resources) -> None:
    (resources.queries / "checks" / "bad-violation.rq").write_text(
        "SELECT ?x WHERE { ?x ?p ?o }", encoding="utf-8"
    )
    with pytest.raises(QueryError, match=r"bad-violation.rq: a check must be a SELECT of \?focus"):
        checks.run(ox.Store(), resources)


def test_a_refused_check_frees_its_rows_on_the_thread_that_ran_it(resources: Resources) -> None:
    # pyoxigraph's results may only be freed on the thread that made them; the error's
    # traceback, handed to this thread by the Future, must not keep them alive
    (resources.queries / "checks" / "bad-violation.rq").write_text(
        "SELECT ?x WHERE { VALUES ?x { 1 } }", encoding="utf-8"
    )
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(checks.run, ox.Store(), resources)
        with pytest.raises(QueryError, match=r"a check must be a SELECT of \?focus"):
            running.result()
    del running
    gc.collect()  # under pytest's unraisable-exception check: nothing is freed on this thread


def test_a_malformed_check_names_its_file(resources: Resources) -> None:
    (resources.queries / "checks" / "broken-violation.rq").write_text(
        "SELECT ?focus WHERE {", encoding="utf-8"
    )
    with pytest.raises(QueryError, match=r"broken-violation.rq: "):
        checks.run(ox.Store(), resources)


def test_parse_reads_the_rule_from_the_summary() -> None:
    check = parse("#+ summary: Nothing is orphaned.\nSELECT ?focus WHERE {}", "x-violation")
    assert check.question == "Nothing is orphaned."


INJECTED = """
<https://w3id.org/aiaccess/id/policy/injected-restriction> a aia:AccessRestriction ;
    rdfs:label "An injected restriction"@en ;
    aia:certainty aia:Reported ;
    aia:service <https://w3id.org/aiaccess/id/product/injected-nowhere> ;
    schema:startDate "2024-07-13"^^xsd:date ;
    schema:endDate "2024-07-01"^^xsd:date .
<https://w3id.org/aiaccess/id/policy/injected-restriction-2> a aia:AccessRestriction ;
    rdfs:label "Another injected restriction"@en ;
    aia:actor <https://w3id.org/aiaccess/id/org/openai> .
"""
"""Appended to one generated article: no actor or service, no evidence, dates reversed, a
dangling IRI."""
UNMENTIONED = '<https://w3id.org/aiaccess/id/org/openai> aia:surfaceForm "Zzyzx Unmentioned"@en .\n'
"""Appended to the generated registry: a surface form no article contains."""


def _whole_store_findings(data: Assembled, resources: Resources) -> set[tuple[str, ...]]:
    """Run every check once on a store holding every quad (the reference)."""
    store = ox.Store()
    store.bulk_extend(data.quads)
    found = checks.run(store, resources)
    return {(f.focus, f.path or "", f.message, f.check) for f in found}


def _grouped_findings(data: Assembled, resources: Resources) -> set[tuple[str, ...]]:
    """Return what validation reports from the checks, run on the base and per group."""
    report = check_all(data, resources)
    prefix = checks.CHECK_IRI
    found = [v for v in report.violations if v.shape.startswith(prefix)]
    return {(v.focus, v.path or "", v.message, v.shape) for v in found}


def test_checks_per_group_find_what_one_run_on_every_quad_finds(assembled: Assembled) -> None:
    assert (
        _grouped_findings(assembled, SHIPPED) == _whole_store_findings(assembled, SHIPPED) == set()
    )


def test_checks_per_group_find_injected_violations_as_one_run_does(tmp_path: Path) -> None:
    """Twelve generated articles in three groups, with a violation of every check injected."""
    root = tmp_path / "corpus"
    _generator().generate(12, root, seed=3)
    article = next((root / "data" / "articles").glob("*-00006.ttl"))
    article.write_text(article.read_text(encoding="utf-8") + INJECTED, encoding="utf-8")
    registry = root / "data" / "registry.ttl"
    registry.write_text(registry.read_text(encoding="utf-8") + UNMENTIONED, encoding="utf-8")
    resources = Resources(root)
    data = assemble(resources)
    assert len(data.groups) == 3
    whole = _whole_store_findings(data, resources)
    assert _grouped_findings(data, resources) == whole
    assert {f[3].removeprefix(checks.CHECK_IRI) for f in whole} == set(CHECKS)
