"""Limits for a whole submission, all its processes together: the kernel's control groups.

Where the grader runs as root on Linux, each submission's process is put in
a control group of its own as soon as it exists, before any of the
submission's code runs; everything it starts stays in that group.  The group
caps, for the submission as a whole:

* the number of processes and threads (``pids``);
* memory, the pages of its private ``/tmp`` included (``memory``; a tmpfs
  page is charged to the group of the process that writes it);
* CPU: the cores it may keep busy at once (``cpu``).

Version 1 (one hierarchy per controller) and version 2 (one unified
hierarchy) are both handled, whichever has the controllers.  Without root,
or without the controllers, :func:`open_controllers` gives ``None`` and the
per-process ``setrlimit`` limits of :mod:`autograder.child` are all there is.
"""

from __future__ import annotations

import itertools
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
CONTROLLERS = ("pids", "memory", "cpu")
PERIOD_US = 100_000  # CPU time is shared out per period of 0.1 s
_runs = itertools.count()  # a process may have several runs open (a warm worker each)


@dataclass(frozen=True)
class GroupLimits:
    """What one submission may use, all its processes together."""

    processes: int
    memory_bytes: int
    cpus: float


class Controllers:
    """This grading run's own control groups, one folder per submission below them.

    ``folders`` maps each controller to the run's folder in its hierarchy
    (version 1: a folder per controller; version 2: one folder for all).
    """

    def __init__(self, folders: dict[str, Path], version: int) -> None:
        self.folders = folders
        self.version = version
        self._names = itertools.count()
        self._leftovers: list[Group] = []
        self._prepared: dict[str, Group] = {}  # made for processes not handed over yet

    def prepare(self, limits: GroupLimits) -> Group:
        """A new, empty group with ``limits``, for a process that will join it itself
        (through :meth:`Group.entries`); :meth:`claim` gives it back by name."""
        self.tidy()
        name = f"s{next(self._names)}"
        group = Group(name, {c: f"{folder}/{name}" for c, folder in self.folders.items()},
                      self)
        self._prepared[name] = group
        for folder in set(group.folders.values()):
            os.mkdir(folder)
        v1 = self.version == 1
        group.write("pids", "pids.max", str(limits.processes))
        group.write("memory", "memory.limit_in_bytes" if v1 else "memory.max",
                    str(limits.memory_bytes))
        swap = "memory.memsw.limit_in_bytes" if v1 else "memory.swap.max"
        if os.path.exists(f"{group.folders['memory']}/{swap}"):  # swap, where there is any
            group.write("memory", swap, str(limits.memory_bytes) if v1 else "0")
        quota = str(int(limits.cpus * PERIOD_US))
        if v1:
            group.write("cpu", "cpu.cfs_period_us", str(PERIOD_US))
            group.write("cpu", "cpu.cfs_quota_us", quota)
        else:
            group.write("cpu", "cpu.max", f"{quota} {PERIOD_US}")
        return group

    def claim(self, name: str) -> Group:
        """The prepared group called ``name``, now a submission's."""
        return self._prepared.pop(name)

    def tidy(self) -> None:
        """Remove the groups of ended submissions whose processes are all gone."""
        self._leftovers = [g for g in self._leftovers if not g.remove()]

    def close(self, wait: float = 2.0) -> None:
        """Remove every group, the run's own folders last (waits for dying processes)."""
        deadline = time.monotonic() + wait
        self._leftovers += self._prepared.values()
        self._prepared = {}
        while self._leftovers and time.monotonic() < deadline:
            for group in self._leftovers:
                group.kill()
            self.tidy()
            if self._leftovers:
                time.sleep(0.01)
        for folder in set(self.folders.values()):
            try:
                folder.rmdir()
            except OSError:
                pass  # a process that would not die: the folder stays, empty of limits


class Group:
    """One submission's control group (a folder per controller)."""

    def __init__(self, name: str, folders: dict[str, str], owner: Controllers) -> None:
        self.name = name
        self.folders = folders
        self._owner = owner

    def entries(self) -> list[int]:
        """Descriptors of the group's ``cgroup.procs`` files, open for writing: a
        process given them joins the group by writing ``0`` to each."""
        return [os.open(f"{folder}/cgroup.procs", os.O_WRONLY)
                for folder in sorted(set(self.folders.values()))]

    def write(self, controller: str, name: str, value: str) -> None:
        _write(f"{self.folders[controller]}/{name}", value)

    def read(self, controller: str, name: str) -> str:
        try:
            with open(f"{self.folders[controller]}/{name}") as f:
                return f.read()
        except OSError:
            return ""

    def verdict(self) -> str | None:
        """Which of the group's limits stopped the submission, if one did, as a sentence."""
        memory = self.read("memory", "memory.oom_control" if self._owner.version == 1
                           else "memory.events")
        if _counter(memory, "oom_kill"):
            return "was killed for using more memory than allowed (all its processes " \
                   "and its /tmp together)"
        if _counter(self.read("pids", "pids.events"), "max"):
            return "tried to start more processes or threads than allowed"
        return None

    def kill(self) -> None:
        """Kill every process in the group (a PID namespace usually has done it already)."""
        if self._owner.version == 2 and os.path.exists(f"{self.folders['pids']}/cgroup.kill"):
            self.write("pids", "cgroup.kill", "1")
            return
        killed: set[str] = set()
        while True:  # until a round finds only what was killed already (dying, not forking)
            pids = set(self.read("pids", "cgroup.procs").split()) - killed
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
            killed |= pids

    def close(self) -> None:
        """Kill what is left and remove the group, now or, while processes die, later."""
        self.kill()
        if not self.remove():
            self._owner._leftovers.append(self)

    def remove(self) -> bool:
        """Remove the group's folders; False while a process is still in them."""
        for folder in set(self.folders.values()):
            try:
                os.rmdir(folder)
            except FileNotFoundError:
                pass
            except OSError:
                return False
        return True


def _write(path: str, value: str) -> None:
    """Write a control file in one system call (as the kernel expects them written)."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, value.encode())
    finally:
        os.close(fd)


def _counter(text: str, name: str) -> int:
    """A named counter of a ``name value`` per line file (0 when absent)."""
    for line in text.splitlines():
        key, _, value = line.partition(" ")
        if key == name and value.strip().isdigit():
            return int(value)
    return 0


def open_controllers(root: Path = ROOT) -> Controllers | None:
    """This run's control groups below the grader's own, or ``None`` where they
    cannot be had (not root, not Linux, a controller missing or not writable)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    try:
        own = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    paths = {}
    for line in own:  # "4:memory:/some/path", or "0::/path" for version 2
        _, names, path = line.split(":", 2)
        for name in names.split(",") if names else [""]:
            paths[name] = path.lstrip("/")
    run = f"backprop-{os.getpid()}-{next(_runs)}"
    if all((root / c / "cgroup.procs").exists() and c in paths for c in CONTROLLERS):
        folders = {c: root / c / paths[c] / run for c in CONTROLLERS}
        version = 1
    elif "" in paths and set(CONTROLLERS) <= set(
            _words(root / paths[""] / "cgroup.subtree_control")):
        folders = dict.fromkeys(CONTROLLERS, root / paths[""] / run)
        version = 2
    else:
        return None
    _remove_stale(folders)
    made = []
    try:
        for folder in set(folders.values()):
            folder.mkdir()
            made.append(folder)
        if version == 2:
            (folders["pids"] / "cgroup.subtree_control").write_text(
                " ".join(f"+{c}" for c in CONTROLLERS))
    except OSError:
        for folder in made:
            folder.rmdir()
        return None
    return Controllers(folders, version)


def _words(path: Path) -> list[str]:
    try:
        return path.read_text().split()
    except OSError:
        return []


def _remove_stale(folders: dict[str, Path]) -> None:
    """Empty groups left by grading runs that were killed (their process is gone)."""
    for parent in {f.parent for f in folders.values()}:
        for old in parent.glob("backprop-*"):
            pid = old.name.split("-")[1]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                for folder in sorted(old.glob("*/"), reverse=True):
                    try:
                        folder.rmdir()
                    except OSError:
                        pass
                try:
                    old.rmdir()
                except OSError:
                    pass
