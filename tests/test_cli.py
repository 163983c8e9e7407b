"""``aiaccess build`` and ``aiaccess validate`` from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from aiaccess.resources import Resources

AIACCESS = str(Path(sys.executable).with_name("aiaccess"))
"""The installed command, beside the interpreter running the tests."""


def run(
    *args: str, cwd: Path | None = None, root: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed CLI, optionally over another data folder (``--root``)."""
    options = ["--root", str(root)] if root is not None else []
    return subprocess.run(
        [AIACCESS, *options, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_validate_reports_conformance() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Conforms: ") and result.stdout.endswith(" 0 violations.\n")


def test_build_lists_written_files(tmp_path: Path) -> None:
    result = run("build", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"wrote {tmp_path / 'out' / 'SHA256SUMS'}"


def test_validate_groups_violations_by_resource_and_file(resources: Resources) -> None:
    registry = resources.registry
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            'rdfs:label "21Vianet"@en', 'rdfs:label "21Vianet"'
        ),
        encoding="utf-8",
    )
    result = run("validate", root=resources.root)
    assert result.returncode == 1
    assert "<https://w3id.org/aiaccess/id/org/21vianet>  [data/registry.ttl]" in result.stdout
    assert "label: An entity needs" in result.stdout or "label:" in result.stdout
    assert "Traceback" not in result.stderr


def test_bad_quote_is_one_line_error_and_exit_1(resources: Resources, tmp_path: Path) -> None:
    path = resources.root / "data/articles/fr-azure-openai-individual-developers.ttl"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "à compter du 21 octobre", "à compter du 22 octobre"
        ),
        encoding="utf-8",
    )
    result = run("build", "--out", str(tmp_path / "out"), root=resources.root)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: data/articles/fr-azure-openai-individual-developers.ttl: ")
    assert "22 octobre" in lines[0]
    assert not (tmp_path / "out").exists()


def test_syntax_error_names_file_and_line(resources: Resources) -> None:
    resources.registry.write_text(
        "@prefix x: <http://x/> .\nx:a x:b x:c .\nx:d x:e x:f x:g .\nx:h x:i x:j .\n",
        encoding="utf-8",
    )
    result = run("validate", root=resources.root)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: data/registry.ttl:3:")
    assert "Turtle syntax error" in result.stderr


def test_closed_pipe_stops_quietly() -> None:
    result = subprocess.run(
        f"{sys.executable} -c 'from aiaccess.cli import main; main()' queries | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.startswith("access-restrictions")
    assert result.stderr == ""


def test_unwritable_output_folder_is_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("build", "--out", str(blocker / "dist"))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    assert blocker.read_text() == "not a folder"


def test_root_from_the_environment_is_used(resources: Resources) -> None:
    resources.registry.write_text("@prefix x: <http://x/> .\nx:a x:b .\n", encoding="utf-8")
    result = run("validate", env={"AIACCESS_ROOT": str(resources.root)})
    assert result.returncode == 1
    assert result.stderr.startswith("Error: data/registry.ttl:2:")


def test_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", root=tmp_path / "nowhere")
    assert result.returncode == 2
    assert "'--root'" in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_root_without_seeds_is_one_line_error(tmp_path: Path) -> None:
    result = run("build", "--out", str(tmp_path / "out"), root=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "SHA256SUMS" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()
