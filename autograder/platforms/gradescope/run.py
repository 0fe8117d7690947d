"""Gradescope autograder: the course's grading, one submission per container.

Two halves, one module:

* **Building** (``backprop gradescope EXERCISE -o autograder.zip``, on the
  instructor's machine): :func:`build` writes the zip Gradescope asks for.
  At its root: ``setup.sh`` (run once, as root, when Gradescope builds the
  image), ``run_autograder`` (run for every submission), this package's
  source, ``solutions/<exercise>.py`` (the hidden checks need it), the
  course's ``backprop.toml`` (seed and limits), ``requirements.txt``, a
  manifest naming the exercise, and optionally ``wheels/`` for an install
  without a package registry.  Students never see the zip.
* **Grading** (``python -m autograder.platforms.gradescope.run``, which ``run_autograder``
  calls): :func:`main` finds the student's file in ``<root>/submission``
  leniently (:func:`find_submission`), grades it with the same engine and
  settings as ``backprop grade``, and writes ``<root>/results/results.json``
  in Gradescope's format (:func:`results_json`): one test per check, public
  checks visible at once, hidden ones after the due date.  Whatever happens —
  no file, a misnamed one, a file that does not run, a broken autograder — a
  ``results.json`` is written, with a score of 0 and an explanation when
  nothing could be graded.

The root is ``/autograder`` unless the environment variable
``AUTOGRADER_ROOT`` says otherwise, so the bundle runs anywhere (the tests
unpack it into a temporary folder).  Only the standard library is imported
at the top: an autograder whose NumPy is missing still writes its result.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

ROOT_VARIABLE = "AUTOGRADER_ROOT"
DEFAULT_ROOT = "/autograder"
MANIFEST = "backprop-gradescope.json"
CONFIG = "backprop.toml"
SUFFIXES = (".py", ".ipynb")
PACKAGE = Path(__file__).resolve().parents[2]
#: Dependencies, should the package's metadata not be available.
REQUIREMENTS = ("numpy>=1.26", "rich>=13", "nbformat>=5.9")
#: Pythons the optional wheels are downloaded for (what setup.sh may find or install).
WHEEL_PYTHONS = ("3.11", "3.12", "3.13")

# What a submission may hold before we stop looking.
MAX_FILE_BYTES = 20 * 2**20   # one exercise file (a notebook with figures fits)
MAX_ZIP_BYTES = 100 * 2**20   # an archive we open
MAX_ZIP_MEMBERS = 10_000
MAX_FILES = 10_000            # files looked at in the submission folder
MAX_DEPTH = 8                 # folders deep
IGNORED = {"__MACOSX", "__pycache__", ".ipynb_checkpoints", "node_modules", "venv", ".venv"}

# Gradescope's allowed values (https://gradescope-autograders.readthedocs.io/en/latest/specs/).
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
FORMATS = ("text", "html", "simple_format", "md", "ansi")
STATUSES = ("passed", "failed")

NOT_YOUR_FAULT = ("This is a problem of the autograder, not of your work: tell your "
                  "instructor, who can see what went wrong and grade your submission again.")


# ============================================================================ building

class BuildError(ValueError):
    """The autograder cannot be built; the message says why."""


@dataclass
class Bundle:
    """What :func:`build` wrote."""

    path: Path
    exercise: str
    max_score: float
    files: int
    wheels: int


SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
# It installs Python >= 3.11 (if the image has none), bubblewrap (best effort:
# the strongest sandbox where the container allows it), and NumPy, rich and
# nbformat into a virtual environment: from the zip's wheels/ when it carries
# them, else from the package index.  The grading engine itself runs from
# this folder.  Then it grades the reference solution once, as a self-test.
set -euo pipefail
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${BACKPROP_VENV:-/opt/backprop-course/venv}"
export DEBIAN_FRONTEND=noninteractive

good_python() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }
find_python() {
    local candidate
    for candidate in python3.12 python3.11 python3.13 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && good_python "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}
apt() { command -v apt-get >/dev/null 2>&1 && apt-get install -y -qq "$@" >/dev/null 2>&1; }

if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || echo "setup.sh: apt-get update failed; going on"
    apt bubblewrap || echo "setup.sh: bubblewrap is not available; grading uses the 'user' sandbox"
fi

PYTHON="$(find_python || true)"
if [ -z "$PYTHON" ]; then
    echo "setup.sh: no Python >= 3.11 here; installing python3.11"
    apt python3.11 python3.11-venv || {
        apt software-properties-common && add-apt-repository -y ppa:deadsnakes/ppa >/dev/null 2>&1 \
            && apt-get update -qq >/dev/null 2>&1 && apt python3.11 python3.11-venv; } || true
    PYTHON="$(find_python || true)"
fi
if [ -z "$PYTHON" ]; then
    echo "setup.sh: could not install Python >= 3.11; choose a newer base image" \
         "(Ubuntu 22.04 or later)" >&2
    exit 1
fi
echo "setup.sh: using $PYTHON ($("$PYTHON" --version 2>&1))"
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    apt "$(basename "$PYTHON")-venv" || apt python3-venv || true
fi

rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV"
chmod -R a+rX "$(dirname "$VENV")"   # the sandboxed submissions run this Python as nobody
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input)
if [ -d "$SOURCE/wheels" ] && "${PIP[@]}" install --quiet --no-index --find-links "$SOURCE/wheels" \
        -r "$SOURCE/requirements.txt"; then
    echo "setup.sh: installed the dependencies from the zip's wheels"
else
    if [ -d "$SOURCE/wheels" ]; then
        echo "setup.sh: the zip's wheels do not fit this Python; using the package index"
    fi
    "${PIP[@]}" install --quiet -r "$SOURCE/requirements.txt"
fi
chmod -R a+rX "$VENV"
chmod +x "$SOURCE/run_autograder"

cd "$SOURCE"
PYTHONPATH="$SOURCE" "$VENV/bin/python" -P -m autograder.platforms.gradescope.run --self-test
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Gradescope runs this for every submission (as /autograder/run_autograder).
# It grades <root>/submission and writes <root>/results/results.json, where
# <root> is /autograder, or $AUTOGRADER_ROOT to run the autograder elsewhere.
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
RESULTS="$ROOT/results/results.json"
VENV="${BACKPROP_VENV:-/opt/backprop-course/venv}"
PYTHON=python3
if [ -x "$VENV/bin/python" ]; then
    PYTHON="$VENV/bin/python"
fi
mkdir -p "$ROOT/results"
rm -f "$RESULTS"
cd "$SOURCE" && PYTHONPATH="$SOURCE" "$PYTHON" -P -m autograder.platforms.gradescope.run --root "$ROOT"
status=$?
if [ ! -s "$RESULTS" ]; then
    # The grader could not even start (no Python, no NumPy): still give Gradescope a result.
    echo "run_autograder: the grader stopped with status $status and wrote no results.json"
    cat > "$RESULTS" <<'EOF'
{"score": 0.0,
 "output": "The autograder could not start; your work was not graded. Tell your instructor.",
 "output_format": "text", "stdout_visibility": "hidden",
 "tests": [{"name": "The autograder could not start", "score": 0.0, "status": "failed",
            "output": "Your submission was not graded; tell your instructor.",
            "visibility": "visible"}]}
EOF
fi
exit 0
"""

README = """# Gradescope autograder: {exercise}

Made by `backprop gradescope {exercise}` (backprop-course {version}).  Upload
this zip as the autograder of a Gradescope programming assignment; students
submit `{exercise}.py` (or `{exercise}.ipynb`, or a zip holding one of them).
It holds the reference solution of `{exercise}`: keep it away from students.
"""

DEFAULT_CONFIG = """# Grading settings of this autograder (see the instructors' page).
[grading]
seed = {seed}
seconds_per_part = {seconds_per_part:g}
memory_mb = {memory_mb}
"""


def build(exercise: str, out: Path, config: Path | None = None,
          solutions: Path | None = None, wheels: bool = False) -> Bundle:
    """Write the Gradescope autograder zip of ``exercise`` to ``out``.

    ``config`` is the settings file to ship (default: ``./backprop.toml`` if
    present, else the defaults); ``solutions`` the folder of reference
    solutions (default: the checkout's); ``wheels`` downloads the
    dependencies' wheels into the zip with pip.
    """
    from autograder import __version__, exercises
    from autograder.config import DEFAULT_FILE, Config, ConfigError, load_config
    from autograder.grading.grader import Grader
    from autograder.grading.reference import NoReference, solutions_dir

    declaration = exercises.load(exercise)  # UnknownExercise naming the exercises
    if config is None and DEFAULT_FILE.is_file():
        config = DEFAULT_FILE
    try:
        settings = load_config(config) if config is not None else Config()
    except ConfigError as exc:
        raise BuildError(str(exc)) from None
    config_text = config.read_text() if config is not None else DEFAULT_CONFIG.format(
        seed=settings.seed, seconds_per_part=settings.seconds_per_part,
        memory_mb=settings.memory_mb)
    folder = solutions_dir(solutions)
    reference = folder / f"{exercise}.py" if folder else None
    if reference is None or not reference.is_file():
        raise BuildError(f"the reference solution of {exercise!r} is not here (looked for "
                         f"solutions/{exercise}.py); the hidden checks need it — build from a "
                         "checkout of the course, or pass --solutions DIR")
    try:  # the hidden cases must be computable: load the reference and plan every check
        Grader(settings, [exercise], hidden=True, solutions=folder)
    except NoReference as exc:
        raise BuildError(str(exc)) from None

    files: dict[str, tuple[bytes, int]] = {}
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if path.is_file() and "__pycache__" not in relative.parts and path.suffix != ".pyc":
            files[f"autograder/{relative.as_posix()}"] = (path.read_bytes(), 0o644)
    files[f"solutions/{exercise}.py"] = (reference.read_bytes(), 0o644)
    files[CONFIG] = (config_text.encode(), 0o644)
    files["requirements.txt"] = ("\n".join(requirements()) + "\n").encode(), 0o644
    files["setup.sh"] = (SETUP_SH.encode(), 0o755)
    files["run_autograder"] = (RUN_AUTOGRADER.encode(), 0o755)
    files["README.md"] = (README.format(exercise=exercise, version=__version__).encode(), 0o644)
    files[MANIFEST] = (json.dumps({"exercise": exercise, "version": __version__,
                                   "max_score": declaration.points}, indent=1).encode(), 0o644)
    count = 0
    if wheels:
        for name, data in download_wheels(requirements()).items():
            files[f"wheels/{name}"] = (data, 0o644)
            count += 1

    out = Path(out)
    if out.is_dir():
        out = out / f"{exercise}.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            data, mode = files[name]
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # reproducible
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    os.replace(partial, out)
    return Bundle(out, exercise, declaration.points, len(files), count)


def requirements() -> list[str]:
    """The package's runtime dependencies, as pip requirement lines."""
    try:
        from importlib.metadata import PackageNotFoundError, requires

        lines = [r for r in requires("backprop-course") or [] if "extra ==" not in r]
    except PackageNotFoundError:
        lines = []
    return lines or list(REQUIREMENTS)


def download_wheels(wanted: list[str]) -> dict[str, bytes]:
    """Wheels of ``wanted`` and their dependencies for Linux x86-64 and :data:`WHEEL_PYTHONS`."""
    found: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="backprop-wheels-") as folder:
        for version in WHEEL_PYTHONS:
            command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-input",
                       "--disable-pip-version-check", "--only-binary=:all:",
                       "--platform", "manylinux2014_x86_64", "--platform", "manylinux_2_28_x86_64",
                       "--python-version", version, "--implementation", "cp",
                       "--dest", folder, *wanted]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                raise BuildError(f"pip could not download the wheels for Python {version}:\n"
                                 + done.stderr.strip()[-2000:])
        for path in sorted(Path(folder).glob("*.whl")):
            found[path.name] = path.read_bytes()
    return found


# ============================================================================ finding the file

class SubmissionProblem(Exception):
    """No file of the submission can be graded; the message tells the student why."""


@dataclass
class Candidate:
    """A file that may be the student's exercise file."""

    shown: str            # as the student knows it: "Activations (1).py", "hw.zip: src/x.py"
    tier: int             # 0 exact name, 1 other case, 2 name with a suffix, 3 name inside
    in_zip: bool
    depth: int
    suffix: str
    folder: str           # where it is (to tell a .py from its own .ipynb twin)
    stem: str
    path: Path | None = None
    archive: Path | None = None
    member: zipfile.ZipInfo | None = None

    def key(self) -> tuple:
        return (self.tier, self.in_zip, self.depth, self.suffix != ".py", self.shown)


@dataclass
class Found:
    """The file to grade: a path on disk (extracted from an archive if need be)."""

    path: Path
    shown: str
    notes: list[str] = field(default_factory=list)
    scratch: Path | None = None  # a folder to remove afterwards

    def cleanup(self) -> None:
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


def split_name(name: str) -> tuple[str, str]:
    """``("Activations (1)", ".py")`` for ``"Activations (1).PY"`` (the suffix in lower case)."""
    stem, dot, suffix = name.rpartition(".")
    return (stem, "." + suffix.lower()) if dot and stem else (name, "")


def tier(name: str, exercise: str) -> int | None:
    """How well a file name matches ``exercise`` (0 best), or None if it does not.

    ``activations.py`` 0; ``Activations.py`` 1; ``activations (1).py``,
    ``activations_final.py``, ``activations-v2.ipynb`` 2; ``hw2_activations.py`` 3.
    """
    stem, suffix = split_name(name)
    if suffix not in SUFFIXES:
        return None
    if name == exercise + suffix:
        return 0
    low = stem.lower()
    if low == exercise:
        return 1
    if low.startswith(exercise) and not low[len(exercise)].isalpha():
        return 2
    if exercise in re.split(r"[^a-z0-9]+", low):
        return 3
    return None


def find_submission(folder: Path, exercise: str, others: set[str] = frozenset()) -> Found:
    """The student's file for ``exercise`` in ``folder`` (Gradescope's submission folder).

    Accepts the exact name, another case, the name with a suffix or prefix
    (when only one file fits), a notebook, and a zip holding any of these.
    Files named after one of the ``others`` exercises are not taken.  Raises
    :class:`SubmissionProblem` saying what was expected and what was found.
    """
    seen: list[str] = []       # every file, for the message
    skipped: dict[str, str] = {}  # file → why it was not taken, as a sentence
    candidates: list[Candidate] = []
    if not folder.is_dir():
        raise SubmissionProblem(_expected(exercise, "nothing (no submission folder)"))
    for directory, subdirs, names in os.walk(folder):
        here = Path(directory)
        depth = len(here.relative_to(folder).parts)
        kept = []
        for d in sorted(subdirs):
            if (here / d).is_symlink():
                link = _rel(here / d, folder)
                skipped[link] = f"{link}/ is a symbolic link, which is not followed."
            elif not d.startswith(".") and d not in IGNORED and depth < MAX_DEPTH:
                kept.append(d)
        subdirs[:] = kept
        for name in sorted(names):
            path = here / name
            shown = _rel(path, folder)
            if name.startswith("."):
                continue
            if len(seen) >= MAX_FILES:
                break
            seen.append(shown)
            if path.is_symlink() or not path.is_file():
                skipped[shown] = (f"{shown} is a symbolic link (or a special file), which is "
                                  "not followed: submit the file itself.")
                continue
            if name.lower().endswith(".zip"):
                candidates += _zip_candidates(path, shown, exercise, others, depth, skipped)
                continue
            rank = tier(name, exercise)
            if rank is not None and split_name(name)[0].lower() not in others:
                stem, suffix = split_name(name)
                candidates.append(Candidate(shown, rank, False, depth, suffix, str(here),
                                            stem.lower(), path=path))
    if not candidates:
        raise SubmissionProblem(_not_found(exercise, seen, skipped, others))
    candidates.sort(key=Candidate.key)
    best = candidates[0]
    rivals = [c for c in candidates if c.key()[:3] == best.key()[:3]]
    twins = [c for c in rivals if (c.folder, c.stem) == (best.folder, best.stem)]
    if len(twins) < len(rivals):
        listed = ", ".join(c.shown for c in rivals)
        raise SubmissionProblem(
            f"Several files could be your {exercise}.py: {listed}. Submit only one, named "
            f"{exercise}.py (or {exercise}.ipynb), and submit again.")
    found = _materialize(best, exercise)
    if best.tier == 0 and not best.in_zip:
        found.notes.append(f"Graded {best.shown}.")
    elif best.in_zip:
        found.notes.append(f"Graded {best.shown} (from inside the zip file).")
    else:
        found.notes.append(f"Graded {best.shown} as {exercise}{best.suffix}: the expected name "
                           f"is {exercise}.py (or {exercise}.ipynb), and it was the only file "
                           "that could be it.")
    for twin in twins[1:]:
        found.notes.append(f"{twin.shown} was also found; {best.shown} was graded (a .py file "
                           "is graded when both it and a notebook are submitted).")
    others_found = [c.shown for c in candidates if c not in twins]
    if others_found:
        found.notes.append("Also found but not graded: " + ", ".join(others_found[:5])
                           + (" …" if len(others_found) > 5 else "") + ".")
    return found


def _rel(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


def _zip_candidates(path: Path, shown: str, exercise: str, others: set[str], depth: int,
                    skipped: dict[str, str]) -> list[Candidate]:
    """The members of a zip file that may be the exercise file (nothing is extracted here)."""
    if path.stat().st_size > MAX_ZIP_BYTES:
        skipped[shown] = f"{shown} is larger than {MAX_ZIP_BYTES // 2**20} MB: it was not opened."
        return []
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        skipped[shown] = f"{shown} is not a readable zip file ({exc})."
        return []
    found, refused, names = [], [], []
    for info in members[:MAX_ZIP_MEMBERS]:
        name = info.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if info.is_dir() or not parts:
            continue
        names.append(name)
        if name.startswith("/") or ":" in parts[0] or ".." in parts:
            refused.append(name)
            continue
        if any(p.startswith(".") or p in IGNORED for p in parts):  # hidden files, __MACOSX
            continue
        if (info.external_attr >> 16) & 0o170000 == 0o120000:  # a symbolic link
            continue
        rank = tier(parts[-1], exercise)
        stem, suffix = split_name(parts[-1])
        if rank is None or stem.lower() in others:
            continue
        found.append(Candidate(f"{shown}: {'/'.join(parts)}", rank, True,
                               depth + len(parts) - 1, suffix, f"{shown}:{'/'.join(parts[:-1])}",
                               stem.lower(), archive=path, member=info))
    if not found:
        listed = ", ".join(names[:10]) + (" …" if len(names) > 10 else "") or "nothing"
        skipped[shown] = f"{shown} holds {listed}: no {exercise}.py or {exercise}.ipynb."
        if refused:
            skipped[shown] += (" Names that lead outside the zip file (with .. or a leading /) "
                               "are not taken.")
    return found


def _materialize(candidate: Candidate, exercise: str) -> Found:
    """A path to grade: the file itself, or the zip member copied out (size-limited)."""
    if candidate.archive is None:
        if candidate.path.stat().st_size > MAX_FILE_BYTES:
            raise SubmissionProblem(f"{candidate.shown} is larger than "
                                    f"{MAX_FILE_BYTES // 2**20} MB; submit the exercise file only.")
        return Found(candidate.path, candidate.shown)
    info = candidate.member
    if info.flag_bits & 0x1:
        raise SubmissionProblem(f"{candidate.shown} is encrypted; submit a zip without a "
                                "password, or the file itself.")
    if info.file_size > MAX_FILE_BYTES:
        raise SubmissionProblem(f"{candidate.shown} is larger than "
                                f"{MAX_FILE_BYTES // 2**20} MB; submit the exercise file only.")
    try:
        with zipfile.ZipFile(candidate.archive) as archive, archive.open(info) as member:
            data = member.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise SubmissionProblem(f"{candidate.shown} could not be read from the zip file "
                                f"({exc}); submit the file itself.") from None
    if len(data) > MAX_FILE_BYTES:
        raise SubmissionProblem(f"{candidate.shown} is larger than "
                                f"{MAX_FILE_BYTES // 2**20} MB; submit the exercise file only.")
    scratch = Path(tempfile.mkdtemp(prefix="backprop-gradescope-"))
    target = scratch / f"{exercise}{candidate.suffix}"  # our name: nothing of the member's path
    target.write_bytes(data)
    return Found(target, candidate.shown, scratch=scratch)


def _expected(exercise: str, found: str) -> str:
    return (f"No file for the exercise `{exercise}` was found in your submission.\n"
            f"Expected: {exercise}.py (or {exercise}.ipynb, or a .zip file holding one of them).\n"
            f"Found: {found}.")


def _not_found(exercise: str, seen: list[str], skipped: dict[str, str],
               others: set[str]) -> str:
    """What was expected, what was found, and the likeliest fix."""
    if not seen:
        return _expected(exercise, "nothing (the submission is empty)") + (
            f"\nSubmit your {exercise}.py and try again.")
    listed = ", ".join(seen[:20]) + (f" and {len(seen) - 20} more" if len(seen) > 20 else "")
    lines = [_expected(exercise, listed)]
    for shown in seen:
        if shown in skipped:
            continue
        name = PurePosixPath(shown).name
        stem, suffix = split_name(name)
        if stem.lower() in others and suffix in SUFFIXES:
            lines.append(f"{shown} is the file of the exercise `{stem.lower()}`, not of "
                         f"`{exercise}`: submit it to that exercise's assignment, and your "
                         f"{exercise}.py here.")
        elif exercise in name.lower() or difflib.get_close_matches(
                stem.lower(), [exercise], n=1, cutoff=0.75):
            lines.append(f"Did you mean {shown}? Rename it {exercise}.py (or {exercise}.ipynb "
                         "for a notebook) and submit again.")
    lines += list(skipped.values())[:10]
    if len(lines) == 1:
        lines.append(f"Rename your file {exercise}.py and submit again.")
    return "\n".join(lines)


# ============================================================================ results.json

def results_json(result, found: Found, level: str, seconds: float) -> dict:
    """Gradescope's results of one graded submission: one test per check.

    Public checks are visible at once, hidden ones after the due date; each
    test's output is the engine's feedback on that check.
    """
    tests = []
    for i, part in enumerate(result.parts, 1):
        for j, check in enumerate(part.checks, 1):
            passed = check.score >= check.points
            scope = "public" if check.public else "hidden"
            tests.append({
                "name": f"{part.name}: {check.title}",
                "number": f"{i}.{j}",
                "score": float(check.score),
                "max_score": float(check.points),
                "status": "passed" if passed else "failed",
                "output": f"Passed ({scope} check)." if passed else
                          f"Failed ({scope} check):\n{check.message or 'no reason given'}",
                "output_format": "text",
                "tags": [part.name, scope],
                "visibility": "visible" if check.public else "after_due_date",
                "extra_data": {"function": part.name, "check": check.title,
                               "public": check.public},
            })
    public = [c for p in result.parts for c in p.checks if c.public]
    passed = sum(c.score >= c.points for c in public)
    lines = [*found.notes, *result.notes,
             f"Public checks: {passed} of {len(public)} passed.",
             "Hidden checks run your functions on other inputs; their results are shown after "
             "the due date."]
    return {
        "score": float(result.score),
        "execution_time": math.ceil(seconds),
        "output": "\n".join(lines),
        "output_format": "text",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"exercise": result.exercise, "file": found.shown,
                       "max_score": float(result.max_score), "sandbox": level},
    }


def zero_json(title: str, explanation: str, seconds: float, max_score: float | None = None,
              extra: dict | None = None) -> dict:
    """A result of 0 with one failing test that says why nothing was graded."""
    test = {"name": title, "score": 0.0, "status": "failed", "output": explanation,
            "output_format": "text", "visibility": "visible", "tags": ["submission"]}
    if max_score is not None:
        test["max_score"] = float(max_score)
    return {"score": 0.0, "execution_time": math.ceil(seconds), "output": explanation,
            "output_format": "text", "stdout_visibility": "hidden", "tests": [test],
            "extra_data": extra or {}}


def write_results(path: Path, results: dict) -> None:
    """Write results.json atomically (readable by Gradescope's harness)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    os.replace(partial, path)


# ============================================================================ grading

def grade(root: Path, source: Path | None = None, submission: Path | None = None,
          log=print) -> dict:
    """Grade ``<root>/submission`` with the bundle in ``<root>/source``; the results as a dict."""
    start = time.monotonic()
    source = source or root / "source"
    submission = submission or root / "submission"
    exercise = json.loads((source / MANIFEST).read_text())["exercise"]
    _harden(source, root / "results")

    from autograder import exercises
    from autograder.config import Config, load_config
    from autograder.output.report import points

    declaration = exercises.load(exercise)
    config_file = source / CONFIG
    config = (load_config(config_file) if config_file.is_file() else Config()).override(workers=1)
    try:
        found = find_submission(submission, exercise, set(exercises.ids()) - {exercise})
    except SubmissionProblem as problem:
        log(f"{exercise}: nothing graded\n{problem}")
        return zero_json(f"{exercise}.py: no file to grade", str(problem),
                         time.monotonic() - start, declaration.points,
                         {"exercise": exercise, "file": None, "max_score": declaration.points})
    try:
        result, level = _grade_file(config, source / "solutions", exercise, found.path, log)
    finally:
        found.cleanup()
    results = results_json(result, found, level, time.monotonic() - start)
    log(f"{exercise}: {found.shown}: {points(result.score)}/{points(result.max_score)} "
        f"(sandbox {level}, {time.monotonic() - start:.1f} s)")
    for part in result.parts:
        log(f"  {part.name:<24} {points(part.score)}/{points(part.max_score)}")
    return results


def _grade_file(config, solutions: Path, exercise: str, path: Path, log):
    """Grade one file in the strongest sandbox that starts here (never unconfined as root)."""
    from autograder.grading.grader import Grader
    from autograder.grading.submissions import Submission
    from autograder.sandbox.host import LEVELS, SandboxError, resolve_level

    order = list(LEVELS)
    first = resolve_level(config.sandbox)
    levels = [first]
    if config.sandbox == "auto":  # the best level's self-test may still fail in a container
        levels = [level for level in order[order.index(first):]
                  if not (level == "process" and os.geteuid() == 0)]
    problems = []
    for level in levels:
        try:
            grader = Grader(config.override(sandbox=level), [exercise], hidden=True,
                            solutions=solutions)
            (result,) = grader.grade_all([Submission("submission", exercise, path)])
            return result, grader.sandbox
        except SandboxError as exc:
            log(f"sandbox {level} unavailable: {exc}")
            problems.append(str(exc))
    raise SandboxError("no sandbox could be started (" + "; ".join(problems) + "). Running "
                       "student code as root without one is refused; set sandbox = "
                       '"process" in backprop.toml to allow it')


def _harden(source: Path, results: Path) -> None:
    """As root: the bundle (reference solution, seed) readable by root only; results root's.

    The sandboxed submission runs as ``nobody``; these modes keep it from
    reading the answers or writing a result of its own.
    """
    if os.geteuid() != 0:
        return
    os.chmod(source, 0o700)
    results.mkdir(parents=True, exist_ok=True)
    os.chown(results, 0, 0)
    os.chmod(results, 0o755)


def self_test(source: Path, log=print) -> bool:
    """Grade the bundled reference solution in a scratch root: full marks, or False."""
    exercise = json.loads((source / MANIFEST).read_text())["exercise"]
    with tempfile.TemporaryDirectory(prefix="backprop-self-test-") as scratch:
        submission = Path(scratch) / "submission"
        submission.mkdir()
        shutil.copy(source / "solutions" / f"{exercise}.py", submission / f"{exercise}.py")
        results = grade(Path(scratch), source=source, submission=submission, log=log)
    total = results["extra_data"].get("max_score")
    ok = results["score"] == total and all(t["status"] == "passed" for t in results["tests"])
    log(f"self-test: the reference solution of {exercise} scored {results['score']:g}/{total:g}"
        + ("" if ok else " — the autograder does not work in this image"))
    return ok


def main(argv: list[str] | None = None) -> int:
    """``python -m autograder.platforms.gradescope.run``: grade the submission, always write results.json."""
    options = argparse.ArgumentParser(prog="python -m autograder.platforms.gradescope.run",
                                      description="Grade a Gradescope submission.")
    options.add_argument("--root", type=Path,
                         default=Path(os.environ.get(ROOT_VARIABLE) or DEFAULT_ROOT),
                         help=f"the autograder root (default: ${ROOT_VARIABLE} or {DEFAULT_ROOT})")
    options.add_argument("--self-test", action="store_true",
                         help="grade the bundled reference solution (setup.sh does)")
    args = options.parse_args(argv)
    if args.self_test:
        source = Path(__file__).resolve().parents[3]
        return 0 if self_test(source) else 1
    start = time.monotonic()
    try:
        results = grade(args.root)
    except BaseException as exc:  # noqa: BLE001 - whatever happens, Gradescope gets a result
        print("The autograder failed:", flush=True)
        traceback.print_exc(file=sys.stdout)
        results = zero_json("The autograder failed", "Your submission could not be graded: the "
                            f"autograder stopped ({type(exc).__name__}). " + NOT_YOUR_FAULT,
                            time.monotonic() - start, extra={"error": repr(exc)[:2000]})
    write_results(args.root / "results" / "results.json", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
