"""Starting a server process on a free loopback port, waiting for it, and stopping it."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

LOOPBACK = "127.0.0.1"
STOP_TIMEOUT_S = 15.0
_POLL_S = 0.1


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on right now."""
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """Return ``count`` distinct free TCP ports on loopback."""
    with ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind((LOOPBACK, 0))
        return [int(sock.getsockname()[1]) for sock in sockets]


@contextmanager
def running(command: list[str], log: Path, ready_url: str, timeout_s: float) -> Iterator[None]:
    """Run ``command`` until the block ends, once ``ready_url`` answers HTTP.

    The process's output goes to ``log``, which is quoted when it fails to start.
    """
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for_http(process, ready_url, timeout_s, log)
        yield
    finally:
        stop(process)


def wait_for_http(process: subprocess.Popen[bytes], url: str, timeout_s: float, log: Path) -> None:
    """Poll ``url`` until it answers, failing if the process exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    with httpx.Client(timeout=1.0) as client:  # one client: each new one loads the CA bundle
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args} exited with {process.returncode}:\n{tail(log)}")
            try:
                client.get(url)
            except httpx.TransportError:
                time.sleep(_POLL_S)
            else:
                return
    raise RuntimeError(f"{url} did not answer within {timeout_s} s:\n{tail(log)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate ``process`` (and only it), killing it if it does not exit in time."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT_S)


def tail(log: Path, lines: int = 20) -> str:
    """Return the last lines of a log file, for failure messages."""
    if not log.is_file():
        return "(no output)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
