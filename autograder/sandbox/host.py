"""The grader's side of the trust boundary: warm workers, limits, requests.

One :class:`Zygote` per grading run keeps a Python process with NumPy
imported; :meth:`Zygote.spawn` forks a fresh :class:`Child` from it for each
submission in a few milliseconds.  A child answers requests (see
:mod:`autograder.sandbox.child.worker`) with plain data only; a child that overruns its time,
dies, or answers with anything but well-formed plain data is killed and
reported as such — it can never take the grader down with it.

Every byte that comes from a child is hostile, whoever wrote it: the
submission's code can write to its own socket at any moment.  A reply must
arrive whole within the time left (a length is read, never trusted: at most
:data:`MAX_REPLY_BYTES`), decode as plain data, have the shape of a reply
(:mod:`autograder.sandbox.replies`) and answer the request that is due; anything else
costs the submission the part concerned, with a message.

Where the grader runs as root, each child is put into control groups of its
own before it runs anything of the submission (:mod:`autograder.sandbox.cgroups`):
its processes, memory and CPU are limited for all its processes together.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from autograder.i18n import N_, _
from autograder.sandbox import cgroups, protocol
from autograder.sandbox.channel import Child, ChildLost, SandboxError
from autograder.sandbox.child.worker import SPARES, Rlimits

_PACKAGE = Path(__file__).resolve().parents[1]
#: What a submission's process gets of the package: the folder ``sandbox/child``
#: and the protocol, with the packages' ``__init__`` files. Nothing else goes
#: into the sandbox (not the exercise declarations, not the grading code).
CHILD_FILES = ("__init__.py", "sandbox/__init__.py", "sandbox/protocol.py",
               *(f"sandbox/child/{p.name}" for p in sorted(
                   (_PACKAGE / "sandbox" / "child").glob("*.py"))))
# Started with -I -S: no user site, no .pth files (an editable install's finder would
# let a submission import the whole package); the packages' folders come as argv[4:].
_BOOT = (
    "import sys; sys.path += sys.argv[4:]; import {preload}; sys.path.insert(0, sys.argv[1]); "
    "import autograder.sandbox.child.worker as c; sys.path.remove(sys.argv[1]); "
    "c.zygote(int(sys.argv[2]), sys.argv[3] == 'confined')"
)
#: Standard modules imported before any submission, so that a child running as
#: ``nobody`` can use them even where the interpreter's files are not readable.
_PRELOAD = ", ".join((
    "math cmath random statistics functools itertools operator collections dataclasses "
    "typing numbers fractions decimal copy warnings encodings.idna numpy numpy.random "
    "numpy.linalg numpy.fft").split())  # NumPy imports these on first use
_SINGLE_THREADED = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                     "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")}

#: The levels of isolation, strongest first, with what each gives (marked for translation:
#: translate a description with ``_()`` where it is shown).
LEVELS = {
    "namespaces": N_("private filesystem view (bubblewrap), no network, a PID namespace per "
                     "submission, runs as nobody"),
    "user": N_("runs as nobody, a PID namespace per submission; sees the machine's files and "
               "network"),
    "process": N_("a separate process with time and memory limits; sees what the grader "
                  "sees"),
}


@dataclass(frozen=True)
class Limits:
    """What one submission may use.

    * ``seconds_per_part``: wall time for one graded function's checks;
      loading a file may take twice that (it runs all its top-level code);
    * ``memory_mb``: memory, all its processes and its private /tmp together
      where control groups are used, each process's address space otherwise;
    * ``processes``: processes and threads, all together (per user without
      control groups);
    * ``file_mb``: the largest file it may write; ``tmp_mb``: its /tmp;
    * ``cpus``: cores it may keep busy at once (control groups);
      ``cpu_seconds``: CPU time of any one of its processes.
    """

    seconds_per_part: float = 4.0
    memory_mb: int = 1024
    processes: int = 64
    file_mb: int = 64
    tmp_mb: int = 64
    cpus: float = 1.0
    cpu_seconds: int = 300

    @property
    def seconds_to_load(self) -> float:
        return 2 * self.seconds_per_part

    def rlimits(self, counted_by_group: bool) -> Rlimits:
        """The per-process limits a child sets itself
        (:class:`autograder.sandbox.child.worker.Rlimits`)."""
        return Rlimits(self.memory_mb * 2**20, self.file_mb * 2**20, self.cpu_seconds,
                       0 if counted_by_group else self.processes, self.tmp_mb)

    def group(self) -> cgroups.GroupLimits:
        return cgroups.GroupLimits(self.processes, self.memory_mb * 2**20, self.cpus)


def best_level() -> str:
    """The strongest isolation this machine allows (namespaces need root and bubblewrap)."""
    if os.geteuid() != 0:
        return "process"
    if shutil.which("bwrap") and subprocess.run(
            ["bwrap", "--ro-bind", "/", "/", "--unshare-all", "true"],
            capture_output=True).returncode == 0:
        return "namespaces"
    return "user"


def resolve_level(requested: str) -> str:
    """``requested`` (or the best one for ``"auto"``), checked against what is possible."""
    if requested == "auto":
        return best_level()
    if requested not in LEVELS:
        raise SandboxError(_("unknown sandbox level {level}; use auto, {levels}").format(
            level=repr(requested), levels=", ".join(LEVELS)))
    order = list(LEVELS)
    if order.index(requested) < order.index(best_level()):
        raise SandboxError(_("sandbox level {level} is not available here (it needs root, and "
                             "bubblewrap for namespaces); the best is {best}").format(
            level=repr(requested), best=repr(best_level())))
    return requested


def _site_packages() -> list[str]:
    """The folders third-party packages (NumPy) are imported from."""
    return [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))
            and os.path.isdir(p)]


def _bwrap(code_dir: str, tmp_mb: int) -> list[str]:
    """bubblewrap's arguments: the system's and Python's files read-only, nothing else
    (its /tmp is sized: each child mounts a private one over it anyway)."""
    args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net",
            "--unshare-ipc", "--unshare-uts", "--proc", "/proc", "--dev", "/dev",
            "--size", str(tmp_mb * 2**20), "--tmpfs", "/tmp", "--ro-bind", code_dir,
            "/sandbox"]
    for system in ("/usr", "/bin", "/lib", "/lib64", "/etc/alternatives", "/etc/ld.so.cache"):
        args += ["--ro-bind-try", system, system]
    python = sorted(p for p in {sys.base_prefix, sys.prefix,
                                *(p for p in sys.path if "-packages" in p)} if os.path.exists(p))
    # Folders above Python's (under /root, say) are created traversable by nobody.
    parents = sorted({str(a) for p in python for a in Path(p).parents if str(a) != "/"})
    for folder in parents:
        args += ["--perms", "0755", "--dir", folder]
    for path in python:
        args += ["--ro-bind", path, path]
    return args + ["--chdir", "/tmp"]


class Zygote:
    """A warm Python process with NumPy imported that forks children on request.

    ``level`` is one of :data:`LEVELS` (or ``"auto"``): what confines the
    children.  The warm worker sees only the child-side modules of the
    package, copied to a private folder.  ``controllers`` are the control
    groups of this run (``None`` where there are none: see :attr:`limited_by`).
    """

    def __init__(self, level: str = "auto") -> None:
        self.level = resolve_level(level)
        self.controllers = cgroups.open_controllers()
        self._workdir = tempfile.TemporaryDirectory(prefix="backprop-sandbox-")
        code = Path(self._workdir.name) / "code"
        (code / "autograder" / "sandbox" / "child").mkdir(parents=True)
        for name in CHILD_FILES:
            shutil.copy(_PACKAGE / name, code / "autograder" / name)
        os.chmod(self._workdir.name, 0o755)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        code_dir = "/sandbox" if self.level == "namespaces" else str(code)
        # The interpreter itself, not a virtual environment's link to it (which the
        # namespaces level does not mount): the packages' folders are passed anyway.
        python = os.path.realpath(sys.executable)
        argv = [python, "-I", "-S", "-c", _BOOT.format(preload=_PRELOAD), code_dir,
                str(theirs.fileno()), "open" if self.level == "process" else "confined",
                *_site_packages()]
        if self.level == "namespaces":
            argv = _bwrap(str(code), Limits.tmp_mb) + argv
        with (Path(self._workdir.name) / "errors").open("wb") as errors:
            self._process = subprocess.Popen(
                argv, pass_fds=[theirs.fileno()], cwd=self._workdir.name,
                env={**os.environ, **_SINGLE_THREADED}, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=errors)
        theirs.close()
        self._control = ours
        self._lock = threading.Lock()
        self._spawning = threading.Lock()
        self._groups_held = 0  # by the warm worker, for its spare children (and theirs)
        self._tested = False
        self._testing = threading.RLock()

    def _self_test(self) -> None:
        """Fork and load a trivial child once, before the first real one (the worker
        boots meanwhile: the grader prepares its answer keys while NumPy imports)."""
        try:
            child = self.spawn(Limits(seconds_per_part=30))
            reply = child.request(protocol.load("probe", "probe.py", ["x = 1"]), 30)
            child.kill()
        except (ChildLost, RuntimeError, OSError) as exc:
            raise SandboxError(self._failure(str(exc))) from None
        if not reply.get("ok"):
            raise SandboxError(self._failure(_("the probe did not load")))

    def _failure(self, what: str) -> str:
        """Why the warm worker did not start, with the last thing it printed."""
        self.close(keep_files=True)  # waits for the worker: its error output is complete
        said = (Path(self._workdir.name) / "errors").read_text(errors="replace").split("\n")
        self._workdir.cleanup()
        last = [line for line in said if line.strip()][-1:]
        if last:
            # Translators: {said} is the last line the sandbox's process wrote (in English).
            return _("the {level} sandbox does not start here: {problem} ({said})").format(
                level=self.level, problem=what, said=last[0].strip())
        return _("the {level} sandbox does not start here: {problem}").format(
            level=self.level, problem=what)

    def _ask(self, message: bytes, fds: list[int] = ()) -> tuple[str, list[int]]:
        """Send a request (with ``fds``) to the warm worker; its one-line answer and
        the file descriptors that came with it."""
        with self._lock:
            socket.send_fds(self._control, [message], list(fds))
            reply, fds = b"", []
            while not reply.endswith(b"\n"):
                chunk, more, _flags, _address = socket.recv_fds(self._control, 32, 1)
                if not chunk:
                    raise RuntimeError(_("the sandbox's warm worker has stopped"))
                reply += chunk
                fds += more
        return reply.decode().strip(), fds

    @property
    def limited_by(self) -> str:
        """What limits a submission's processes, memory and CPU as a whole: the
        kernel's control groups (``"cgroups v1"``, ``"cgroups v2"``) or, each
        process on its own, ``"setrlimit"``."""
        if self.controllers is None:
            return "setrlimit"
        return f"cgroups v{self.controllers.version}"

    def spawn(self, limits: Limits) -> Child:
        """A new child with ``limits`` applied, ready for requests (forked in advance).

        Raises :class:`ChildLost` if it did not start.
        """
        with self._testing:
            if not self._tested:
                self._tested = True
                self._self_test()
        request, entries = b"S" + limits.rlimits(self.controllers is not None).text(), []
        with self._spawning:
            if self.controllers is not None:  # groups for the spare children to come
                try:
                    upcoming = [self.controllers.prepare(limits.group())
                                for _i in range(max(1, SPARES + 1 - self._groups_held))]
                    entries = [entry for group in upcoming for entry in group.entries()]
                except OSError as exc:
                    raise SandboxError(_("could not make a control group ({problem})").format(
                        problem=exc)) from None
                request += b"|" + b",".join(group.name.encode() for group in upcoming)
            try:
                answer, fds = self._ask(request, entries)
            finally:
                for entry in entries:
                    os.close(entry)
            pid, group, held = answer.split(" ")
            self._groups_held = int(held)
        child = Child(int(pid), socket.socket(fileno=fds[0]), self)
        if group:
            child.group = self.controllers.claim(group)
        child.greet()
        return child

    def kill(self, pid: int) -> None:
        """Kill a child and everything it started."""
        try:
            self._ask(f"K{pid}".encode())
        except (RuntimeError, OSError):
            pass  # the warm worker is gone, and its children with it

    def close(self, keep_files: bool = False) -> None:
        self._control.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
        if self.controllers is not None:
            self.controllers.close()
        if not keep_files:
            self._workdir.cleanup()

    def __enter__(self) -> Zygote:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


