"""What a freshly forked child does to itself before it runs a submission.

Used inside the sandbox's warm worker (see :mod:`autograder.sandbox.child.worker`):

* :func:`new_pid_namespace` — the next fork starts a new PID namespace (its
  process is PID 1: when it dies, the kernel kills every process the
  submission started, even one that escaped into a new session);
* :func:`private_mounts` — a private mount namespace with a fresh ``/proc``
  (showing only the submission's processes) and a private, size-limited
  ``/tmp``;
* :func:`drop_privileges` — from root to ``nobody``, no new privileges ever.

Each needs root; without it they fail and grading falls back to what the
process level offers.  Linux only; ctypes and the C library, nothing else.
"""

from __future__ import annotations

import ctypes
import os
import sys

CLONE_NEWNS, CLONE_NEWPID = 0x00020000, 0x20000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE = 2, 4, 8, 4096, 16384, 1 << 18
PR_SET_NO_NEW_PRIVS = 38
NOBODY = 65534

_libc = ctypes.CDLL(None, use_errno=True)
_own_pid_namespace: int | None = None  # a descriptor of the warm worker's PID namespace


def _mount(source: str | None, target: str, kind: str | None, flags: int,
           options: str | None = None) -> None:
    args = [s.encode() if s is not None else None for s in (source, target, kind, options)]
    if _libc.mount(args[0], args[1], args[2], ctypes.c_ulong(flags), args[3]) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {target}: {os.strerror(errno)}")


def new_pid_namespace() -> bool:
    """The next fork starts a new PID namespace; False if not allowed.

    A process may ask for a new namespace for its children only while they
    would be in its own, so it goes back to its own first.
    """
    global _own_pid_namespace
    if _own_pid_namespace is None:
        _own_pid_namespace = os.open("/proc/self/ns/pid", os.O_RDONLY)
    if _libc.setns(_own_pid_namespace, CLONE_NEWPID) != 0:
        return False
    return _libc.unshare(CLONE_NEWPID) == 0


def private_mounts(tmp_megabytes: int) -> None:
    """In the new PID namespace's first process: a mount namespace of its own, with
    its own /proc (showing only the submission's processes) and a private /tmp of
    ``tmp_megabytes`` (its pages count in the submission's memory where a control
    group is used).

    Where Python itself lives under /tmp (a virtual environment in a temporary
    checkout), the folders of /tmp that hold it are mounted again inside the
    private /tmp: NumPy imports some of its modules lazily.
    """
    if _libc.unshare(CLONE_NEWNS) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"unshare: {os.strerror(errno)}")
    # Nothing mounted from here on may propagate back to the grader's view of the disk.
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    python = {path.split("/")[2] for path in (sys.prefix, sys.base_prefix, *sys.path)
              if path.startswith("/tmp/")}
    old_tmp = os.open("/tmp", os.O_PATH | os.O_DIRECTORY)
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_megabytes}m,mode=1777")
    for name in sorted(python):
        os.mkdir(f"/tmp/{name}", 0o755)
        _mount(f"/proc/self/fd/{old_tmp}/{name}", f"/tmp/{name}", None, MS_BIND | MS_REC)
    os.close(old_tmp)
    os.chdir("/tmp")


def drop_privileges() -> None:
    """Become ``nobody`` (when root) and forbid gaining privileges again (setuid files)."""
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
