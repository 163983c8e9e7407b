"""OpenLink Virtuoso (Debian's ``virtuoso-opensource``) on loopback, with its own config.

The test copies the packaged ``virtuoso.ini`` and changes only what
docs/engines.md lists: both ports bound to 127.0.0.1, the database files in a
temporary folder that ``DirsAllowed`` includes, ``[Zero Config] ServerName``
commented out, and ``VADInstallDir`` emptied (a fresh database then gets no
Conductor admin pages, which the tests never use: about 2 s less to start), and
bounds the optimizer's search for a plan (``StopCompilerWhenXOverRunTime``,
``MaxOptimizeLayouts``): most of Virtuoso's CPU went into searching plans for
the canned queries (20 s, against 8 s with the bound, for the parity test's 52
runs). A plan changes how fast an answer comes, not what it is; the cost limit
that refuses a query (``[SPARQL] MaxQueryCostEstimationTime``, V11) is kept.
Then it runs ``virtuoso-t +foreground +configfile FILE``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.engines.process import LOOPBACK, free_ports, running

PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
PACKAGED_DB = "/var/lib/virtuoso-opensource-7/db"
INSTALL_HINT = (
    "Virtuoso is not installed: run `apt-get install -y virtuoso-opensource` "
    "(Debian/Ubuntu), which provides virtuoso-t and {ini}"
)
START_TIMEOUT_S = 90.0
USER = PASSWORD = "dba"
"""The credentials of a freshly created Virtuoso database."""


@dataclass(frozen=True)
class VirtuosoServer:
    """A running Virtuoso and its protocol URLs."""

    base: str

    @property
    def store(self) -> str:
        """The authenticated Graph Store Protocol URL (parameter ``graph-uri``, digest auth)."""
        return self.base + "/sparql-graph-crud-auth"

    @property
    def query(self) -> str:
        """The SPARQL query endpoint."""
        return self.base + "/sparql"


def executable() -> str:
    """Return the ``virtuoso-t`` command.

    :raises RuntimeError: with the install command, if Virtuoso is not installed.
    """
    found = shutil.which("virtuoso-t")
    if found is None or not PACKAGED_INI.is_file():
        raise RuntimeError(INSTALL_HINT.format(ini=PACKAGED_INI))
    return found


def configure(template: str, data: Path, sql_port: int, http_port: int) -> str:
    """Return ``virtuoso.ini`` text for a private server on loopback storing into ``data``."""
    changes = {
        ("Parameters", "ServerPort"): f"{LOOPBACK}:{sql_port}",
        ("HTTPServer", "ServerPort"): f"{LOOPBACK}:{http_port}",
        ("URIQA", "DefaultHost"): f"{LOOPBACK}:{http_port}",
        ("Parameters", "VADInstallDir"): "",
    }
    added = {"Parameters": ["StopCompilerWhenXOverRunTime = 1", "MaxOptimizeLayouts = 50"]}
    section, lines = "", []
    for line in template.replace(PACKAGED_DB, str(data)).splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped.strip("[]")
        key, _, value = stripped.partition("=")
        key = key.strip()
        if (section, key) in changes:
            line = f"{key} = {changes[section, key]}"
        elif section == "Parameters" and key == "DirsAllowed":
            line = f"{key} = {value.strip()}, {data}"
        elif section == "Zero Config" and key == "ServerName":
            line = ";" + line
        lines.append(line)
        if stripped.startswith("["):
            lines.extend(added.pop(section, []))
    return "\n".join(lines) + "\n"


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[VirtuosoServer]:
    """Run a fresh Virtuoso with its database in ``folder`` until the block ends."""
    command = executable()
    data = folder / "db"
    data.mkdir(parents=True)
    sql_port, http_port = free_ports(2)
    ini = folder / "virtuoso.ini"
    ini.write_text(configure(PACKAGED_INI.read_text(), data, sql_port, http_port))
    base = f"http://{LOOPBACK}:{http_port}"
    argv = [command, "+foreground", "+configfile", str(ini)]
    with running(argv, folder / "virtuoso.out", base + "/sparql", START_TIMEOUT_S):
        yield VirtuosoServer(base)
