"""The Oxigraph server (``oxigraph serve`` from the ``oxigraph`` PyPI package) on loopback.

The command is the one docs/engines.md shows::

    oxigraph serve --location DIR --bind 127.0.0.1:PORT
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.engines.process import LOOPBACK, free_port, running

START_TIMEOUT_S = 30.0
INSTALL_HINT = (
    "the oxigraph server is missing: pip install 'oxigraph>=0.5,<0.6' (in the test extras)"
)


@dataclass(frozen=True)
class OxigraphServer:
    """A running Oxigraph server and its protocol URLs."""

    base: str

    @property
    def store(self) -> str:
        """The Graph Store Protocol URL."""
        return self.base + "/store"

    @property
    def query(self) -> str:
        """The SPARQL query endpoint."""
        return self.base + "/query"


def executable() -> str:
    """Return the ``oxigraph`` command next to this Python, or on the PATH.

    :raises RuntimeError: with the install command, if there is none.
    """
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    if found is None:
        raise RuntimeError(INSTALL_HINT)
    return found


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[OxigraphServer]:
    """Run an empty Oxigraph server storing into ``folder`` until the block ends."""
    base = f"http://{LOOPBACK}:{free_port()}"
    command = [executable(), "serve", "--location", str(folder / "store"), "--bind", base[7:]]
    with running(command, folder / "oxigraph.log", base + "/", START_TIMEOUT_S):
        yield OxigraphServer(base)
