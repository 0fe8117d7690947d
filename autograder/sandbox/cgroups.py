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
per-process ``setrlimit`` limits of :mod:`autograder.sandbox.child.worker` are all there is.
"""

from __future__ import annotations

import collections
import itertools
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.i18n import _

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

    Groups are made once and used again: removing one costs the kernel about a
    millisecond and holds its cgroup lock, which every process joining a group
    waits for.  The group of an ended submission is used again once its
    processes are gone; each group's counters of limits hit are read when it
    is handed out, so that its verdict is about its current submission alone.
    """

    def __init__(self, folders: dict[str, Path], version: int) -> None:
        self.folders = folders
        self.version = version
        self._names = itertools.count()
        self._prepared: dict[str, Group] = {}  # made for processes not handed over yet
        self._retired: collections.deque[Group] = collections.deque()  # oldest first
        self._lock = threading.Lock()

    def prepare(self, limits: GroupLimits) -> Group:
        """An empty group with ``limits``, for a process that will join it itself
        (through :meth:`Group.entries`); :meth:`claim` gives it back by name."""
        with self._lock:
            group = self._retired.popleft() if self._retired else None
            if group is not None and (group.limits != limits or group.busy()):
                self._retired.appendleft(group)  # its processes are still dying
                group = None
        if group is None:
            group = self._make(limits)
        group.seen = group.counts()
        self._prepared[group.name] = group
        return group

    def claim(self, name: str) -> Group:
        """The prepared group called ``name``, now a submission's."""
        return self._prepared.pop(name)

    def retire(self, group: Group) -> None:
        """Kill what is left in an ended submission's group, to use it again later."""
        group.kill()
        with self._lock:
            self._retired.append(group)

    def _make(self, limits: GroupLimits) -> Group:
        name = f"s{next(self._names)}"
        group = Group(name, {c: f"{folder}/{name}" for c, folder in self.folders.items()},
                      self, limits)
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

    def close(self, wait: float = 2.0) -> None:
        """Remove every group, the run's own folders last (waits for dying processes)."""
        groups = [*self._retired, *self._prepared.values()]
        self._retired, self._prepared = collections.deque(), {}
        deadline = time.monotonic() + wait
        for group in groups:
            group.kill()
            while group.busy() and time.monotonic() < deadline:
                time.sleep(0.005)
            group.remove()
        for folder in set(self.folders.values()):
            try:
                folder.rmdir()
            except OSError:
                pass  # a process that would not die: the folder stays, empty of limits


class Group:
    """One submission's control group (a folder per controller)."""

    def __init__(self, name: str, folders: dict[str, str], owner: Controllers,
                 limits: GroupLimits) -> None:
        self.name = name
        self.folders = folders
        self.limits = limits
        self._owner = owner
        self.seen = (0, 0)  # the counts of limits hit before its current submission

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

    def counts(self) -> tuple[int, int]:
        """How many times so far a process was killed for memory, and a fork refused."""
        memory = self.read("memory", "memory.oom_control" if self._owner.version == 1
                           else "memory.events")
        return _counter(memory, "oom_kill"), _counter(self.read("pids", "pids.events"), "max")

    def verdict(self) -> str | None:
        """Which of the group's limits stopped the submission, if one did, as a sentence."""
        killed, refused = (now - before for now, before in zip(self.counts(), self.seen))
        if killed:
            # Translators: what a student's process did ("Your file could not be loaded: it …").
            return _("was killed for using more memory than allowed (all its processes and "
                     "its /tmp together)")
        if refused:
            return _("tried to start more processes or threads than allowed")
        return None

    def busy(self) -> bool:
        """Whether a process is still in the group."""
        return bool(self.read("pids", "cgroup.procs").strip())

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
        """Kill what is left; the group is used again once its processes are gone."""
        self._owner.retire(self)

    def remove(self) -> None:
        """Remove the group's folders (kept if a process is still in them)."""
        for folder in set(self.folders.values()):
            try:
                os.rmdir(folder)
            except OSError:
                pass


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
        key, _sep, value = line.partition(" ")
        if key == name and value.strip().isdigit():
            return int(value)
    return 0


def open_controllers(root: Path = ROOT) -> Controllers | None:
    """This run's control groups below the grader's own, or ``None`` where they
    cannot be had (not root, not Linux, a controller missing or not writable)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    found = _run_folders(root, f"backprop-{os.getpid()}-{next(_runs)}")
    if found is None:
        return None
    folders, version = found
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


def _run_folders(root: Path, run: str) -> tuple[dict[str, Path], int] | None:
    """Where this run's groups go, per controller, below the grader's own groups, and the
    version of cgroups that holds every controller (``None`` if none does)."""
    try:
        own = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    paths = {}
    for line in own:  # "4:memory:/some/path", or "0::/path" for version 2
        _hierarchy, names, path = line.split(":", 2)
        for name in names.split(",") if names else [""]:
            paths[name] = path.lstrip("/")
    if all((root / c / "cgroup.procs").exists() and c in paths for c in CONTROLLERS):
        return {c: root / c / paths[c] / run for c in CONTROLLERS}, 1
    if "" in paths and set(CONTROLLERS) <= set(
            _words(root / paths[""] / "cgroup.subtree_control")):
        return dict.fromkeys(CONTROLLERS, root / paths[""] / run), 2
    return None


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
