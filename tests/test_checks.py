"""The SPARQL checks of ``queries/checks/`` against their example files.

Every check ``<name>-violation.rq`` has examples in ``tests/checks/``:
``<name>-valid.trig`` passes every check, and ``<name>-invalid.trig`` (which
opens with ``# Invalid: <why>`` and ``# Focus: <IRI>``) fails on that check
only, for that resource, with the rule as its message.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from aiaccess import checks
from aiaccess.catalog import parse
from aiaccess.errors import QueryError
from aiaccess.namespaces import REGISTRY_GRAPH
from aiaccess.resources import Resources
from tests.conftest import SHIPPED

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


def test_shipped_data_passes_every_check(assembled: object) -> None:
    from aiaccess.dataset import Assembled

    assert isinstance(assembled, Assembled)
    store = ox.Store()
    store.bulk_extend(assembled.quads)
    assert checks.run(store, SHIPPED) == []


def test_a_check_that_is_not_a_select_of_focus_is_refused(resources: Resources) -> None:
    (resources.queries / "checks" / "bad-violation.rq").write_text(
        "SELECT ?x WHERE { ?x ?p ?o }", encoding="utf-8"
    )
    with pytest.raises(QueryError, match=r"bad-violation.rq: a check must be a SELECT of \?focus"):
        checks.run(ox.Store(), resources)


def test_a_malformed_check_names_its_file(resources: Resources) -> None:
    (resources.queries / "checks" / "broken-violation.rq").write_text(
        "SELECT ?focus WHERE {", encoding="utf-8"
    )
    with pytest.raises(QueryError, match=r"broken-violation.rq: "):
        checks.run(ox.Store(), resources)


def test_parse_reads_the_rule_from_the_summary() -> None:
    check = parse("#+ summary: Nothing is orphaned.\nSELECT ?focus WHERE {}", "x-violation")
    assert check.question == "Nothing is orphaned."
