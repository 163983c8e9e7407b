"""The README's quick start works as written: its first command installs into a fresh
virtual environment, and its second serves the pages.

pip reads the machine's own configuration (a local mirror where there is one), so
the test needs no more network than the quick start itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import httpx

from tests.server.helpers import serving

ROOT = Path(__file__).parents[1]
LEFT_OUT = shutil.ignore_patterns(
    ".git", ".venv", "dist", "build", "test-artifacts", "__pycache__", "*_cache", "*.egg-info"
)


def quick_start() -> list[str]:
    """Return the commands of the README's first shell block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start\n.*?```sh\n(.*?)```", readme, re.S)
    assert block, "the README has no quick start"
    return [line for line in block[1].splitlines() if line.strip()]


def test_quick_start_is_two_commands_in_a_virtual_environment() -> None:
    install, serve = quick_start()
    assert install == "python3 -m venv .venv && .venv/bin/pip install ."
    assert serve == ".venv/bin/aiaccess serve"
    assert "keeps the terminal" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_installs_and_serves(tmp_path: Path) -> None:
    install, serve = quick_start()
    clone = tmp_path / "aiaccess"
    shutil.copytree(ROOT, clone, ignore=LEFT_OUT)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    done = subprocess.run(
        ["bash", "-c", install], cwd=clone, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-2000:]
    with serving(["bash", "-c", f'exec {serve} "$@"', serve], cwd=clone, env=env) as (_, url):
        page = httpx.get(url, headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 200 and "SHA256SUMS" in page.text
