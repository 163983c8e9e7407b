"""The seeds are the evidence base: byte-identical, listed, verified."""

from __future__ import annotations

import pytest

from aiaccess import seeds
from aiaccess.errors import SeedError
from aiaccess.resources import Resources
from tests.conftest import SHIPPED

SEED_NAMES = [
    "000_b6cc69f0c4440825.txt",
    "001_3dd36336cd19a7fe.txt",
    "002_4e34bc0a721c555f.txt",
    "003_4cf94626ceaffd92.txt",
    "004_ebfed251716e06e4.txt",
]


def test_manifest_lists_the_five_seeds() -> None:
    assert sorted(seeds.read_manifest(SHIPPED.seeds)) == SEED_NAMES


def test_shipped_seeds_match_their_checksums() -> None:
    assert seeds.verify(SHIPPED.seeds)["001_3dd36336cd19a7fe.txt"] == (
        "5ea8deed451f864aee82758566151018c6f5a12b83b69f449a37153c75af306c"
    )


def test_edited_seed_is_refused(resources: Resources) -> None:
    path = resources.seeds / SEED_NAMES[3]
    path.write_bytes(path.read_bytes().replace(b"21 octobre", b"22 octobre"))
    message = r"003_4cf94626ceaffd92\.txt: seed differs from its checksum"
    with pytest.raises(SeedError, match=message):
        seeds.verify(resources.seeds)


def test_unlisted_seed_is_refused(resources: Resources) -> None:
    (resources.seeds / "005_extra.txt").write_text("new", encoding="utf-8")
    with pytest.raises(SeedError, match=r"005_extra\.txt: seed is not listed"):
        seeds.verify(resources.seeds)


def test_missing_seed_is_refused(resources: Resources) -> None:
    (resources.seeds / SEED_NAMES[0]).unlink()
    with pytest.raises(SeedError, match="listed in SHA256SUMS is missing"):
        seeds.verify(resources.seeds)
