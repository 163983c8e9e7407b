"""Cutting a query worker off the network, so no query can make it fetch anything.

Oxigraph evaluates ``SERVICE`` by sending an HTTP request. The server refuses
such queries before running them (:mod:`aiaccess.server.screening`); as a
second wall, a worker that needs no remote endpoint installs a seccomp filter
that lets it create only Unix-domain sockets. The filter is a few classic-BPF
instructions installed with ``prctl``, so nothing needs to be installed and
no privilege is needed. It is Linux-only; elsewhere :func:`deny_network`
returns False and the screening alone applies.
"""

from __future__ import annotations

import ctypes
import platform
import sys

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_EACCES = 0x00050000 | 13
_X32_BIT = 0x40000000
_AF_UNIX = 1

_LOAD = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET = 0x06  # BPF_RET | BPF_K

_ARCH, _NR, _ARG0 = 4, 0, 16
"""Offsets in ``struct seccomp_data``: syscall number, audit arch, first argument."""

_MACHINES = {
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}
"""Machine -> (audit arch, ``socket`` syscall number, ``io_uring_setup`` syscall number)."""


class _Instruction(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint),
    ]


class _Program(ctypes.Structure):
    _fields_ = [
        ("len", ctypes.c_ushort),
        ("filter", ctypes.POINTER(_Instruction)),
    ]


def program(arch: int, socket_nr: int, io_uring_nr: int) -> list[tuple[int, int, int, int]]:
    """Return the filter: deny foreign ABIs, io_uring and non-Unix sockets; allow the rest.

    Each instruction is ``(code, jump if true, jump if false, constant)``; jumps
    count the instructions skipped.
    """
    return [
        (_LOAD, 0, 0, _ARCH),
        (_JEQ, 0, 7, arch),  # another ABI (i386, x32 via arch): deny
        (_LOAD, 0, 0, _NR),
        (_JGE, 5, 0, _X32_BIT),  # x32 system calls: deny
        (_JEQ, 4, 0, io_uring_nr),  # io_uring would bypass the filter: deny
        (_JEQ, 0, 2, socket_nr),  # not socket(): allow
        (_LOAD, 0, 0, _ARG0),
        (_JEQ, 0, 1, _AF_UNIX),  # socket(AF_UNIX, ...): allow; any other family: deny
        (_RET, 0, 0, _RET_ALLOW),
        (_RET, 0, 0, _RET_EACCES),
    ]


def deny_network() -> bool:
    """Forbid this process, irrevocably, to open any socket but a Unix-domain one.

    :returns: True if the filter is in place, False where it is not supported.
    """
    machine = _MACHINES.get(platform.machine())
    if not sys.platform.startswith("linux") or machine is None:
        return False
    steps = program(*machine)
    instructions = (_Instruction * len(steps))(*[_Instruction(*step) for step in steps])
    prog = _Program(len(steps), instructions)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, ctypes.c_ulong(1), 0, 0, 0) != 0:
        return False
    mode = ctypes.c_ulong(_SECCOMP_MODE_FILTER)
    return bool(libc.prctl(_PR_SET_SECCOMP, mode, ctypes.byref(prog), 0, 0) == 0)
