"""Building the Gradescope autograder zip (``backprop gradescope``, on the instructor's machine).

:func:`build` writes the zip Gradescope asks for.  At its root:
``setup.sh`` (run once, as root, when Gradescope builds the image),
``run_autograder`` (run for every submission) — both copied from
``templates/`` —, this package's source, ``solutions/<exercise>.py`` (the
hidden checks need it), the course's ``backprop.toml`` (seed and limits, and
with ``--lang`` the language of the feedback),
``requirements.txt``, a manifest naming the exercise (:data:`MANIFEST`), and
optionally ``wheels/`` for an install without a package registry.  Students
never see the zip.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograder.i18n import LANGUAGES, _

#: The zip's manifest: the exercise, the package's version and the maximum score.
MANIFEST = "backprop-gradescope.json"
#: The grading settings shipped in the zip.
CONFIG = "backprop.toml"
#: The ``autograder`` package, shipped whole.
PACKAGE = Path(__file__).resolve().parents[2]
#: ``setup.sh`` and ``run_autograder``, copied as they are to the root of the zip.
TEMPLATES = Path(__file__).parent / "templates"
SCRIPTS = ("setup.sh", "run_autograder")
#: Dependencies, should the package's metadata not be available.
REQUIREMENTS = ("numpy>=1.26", "rich>=13", "nbformat>=5.9")
#: Pythons the optional wheels are downloaded for (what setup.sh may find or install).
WHEEL_PYTHONS = ("3.11", "3.12", "3.13")

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


def build(exercise: str, out: Path, config: Path | None = None,
          solutions: Path | None = None, wheels: bool = False,
          lang: str | None = None) -> Bundle:
    """Write the Gradescope autograder zip of ``exercise`` to ``out``.

    ``config`` is the settings file to ship (default: ``./backprop.toml`` if
    present, else the defaults); ``solutions`` the folder of reference
    solutions (default: the checkout's); ``wheels`` downloads the
    dependencies' wheels into the zip with pip; ``lang``, the language of the
    feedback, is written into the shipped settings (default: theirs).  ``out``
    may be a folder, in which the zip is named ``<exercise>.zip``.
    """
    from autograder import exercises

    declaration = exercises.load(exercise)  # UnknownExercise naming the exercises
    settings, config_text = _settings(config)
    if lang is not None:
        config_text = with_language(config_text, lang)
    reference = _reference(exercise, settings, solutions)
    files = _contents(exercise, declaration.points, reference, config_text)
    count = 0
    if wheels:
        for name, data in download_wheels(requirements()).items():
            files[f"wheels/{name}"] = (data, 0o644)
            count += 1
    out = Path(out)
    if out.is_dir():
        out = out / f"{exercise}.zip"
    write_zip(out, files)
    return Bundle(out, exercise, declaration.points, len(files), count)


def _settings(config: Path | None):
    """The grading settings and the text of the ``backprop.toml`` to ship.

    ``config`` if given, else ``./backprop.toml`` if present (shipped as it
    is), else the defaults (written out).  Raises :class:`BuildError` if the
    file is not valid.
    """
    from autograder.config import DEFAULT_FILE, Config, ConfigError, load_config

    if config is None and DEFAULT_FILE.is_file():
        config = DEFAULT_FILE
    try:
        settings = load_config(config) if config is not None else Config()
    except ConfigError as exc:
        raise BuildError(str(exc)) from None
    if config is not None:
        return settings, config.read_text()
    return settings, DEFAULT_CONFIG.format(seed=settings.seed,
                                           seconds_per_part=settings.seconds_per_part,
                                           memory_mb=settings.memory_mb)


_TOP_LANG = re.compile(r"^lang\s*=.*$", re.M)


def with_language(config_text: str, lang: str) -> str:
    """The settings ``config_text`` (a ``backprop.toml``) with the top-level ``lang`` set
    to ``lang``: its ``lang`` line replaced, or one put first."""
    if lang not in LANGUAGES:
        raise BuildError(_("{file}: lang must be one of {languages}, not {value}").format(
            file=CONFIG, languages=", ".join(LANGUAGES), value=repr(lang)))
    line = f'lang = "{lang}"'
    table = re.search(r"^\s*\[", config_text, re.M)
    top = config_text[:table.start()] if table else config_text
    if _TOP_LANG.search(top):
        return _TOP_LANG.sub(line, top, count=1) + config_text[len(top):]
    return f"{line}  # the language of the feedback (backprop gradescope --lang)\n{config_text}"


def _reference(exercise: str, settings, solutions: Path | None) -> Path:
    """The reference solution of ``exercise``, checked to compute every hidden case.

    Raises :class:`BuildError` if it is missing or does not load.
    """
    from autograder.grading.grader import Grader
    from autograder.grading.reference import NoReference, solutions_dir

    folder = solutions_dir(solutions)
    reference = folder / f"{exercise}.py" if folder else None
    if reference is None or not reference.is_file():
        raise BuildError(_("the reference solution of {exercise} is not here (looked for "
                           "solutions/{file}); the hidden checks need it — build from a "
                           "checkout of the course, or pass --solutions DIR").format(
            exercise=repr(exercise), file=f"{exercise}.py"))
    try:  # the hidden cases must be computable: load the reference and plan every check
        Grader(settings, [exercise], hidden=True, solutions=folder).plans  # noqa: B018
    except NoReference as exc:
        raise BuildError(str(exc)) from None
    return reference


def _contents(exercise: str, max_score: float, reference: Path,
              config_text: str) -> dict[str, tuple[bytes, int]]:
    """Every file of the zip but the wheels: its name in the zip → (bytes, mode)."""
    from autograder import __version__

    files: dict[str, tuple[bytes, int]] = {}
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if path.is_file() and "__pycache__" not in relative.parts and path.suffix != ".pyc":
            files[f"autograder/{relative.as_posix()}"] = (path.read_bytes(), 0o644)
    files[f"solutions/{exercise}.py"] = (reference.read_bytes(), 0o644)
    files[CONFIG] = (config_text.encode(), 0o644)
    files["requirements.txt"] = ("\n".join(requirements()) + "\n").encode(), 0o644
    for script in SCRIPTS:  # at the root of the zip, executable
        files[script] = ((TEMPLATES / script).read_bytes(), 0o755)
    files["README.md"] = (README.format(exercise=exercise, version=__version__).encode(), 0o644)
    files[MANIFEST] = (json.dumps({"exercise": exercise, "version": __version__,
                                   "max_score": max_score}, indent=1).encode(), 0o644)
    return files


def write_zip(out: Path, files: dict[str, tuple[bytes, int]]) -> None:
    """Write ``files`` (name → (bytes, mode)) to the zip ``out``, reproducibly and atomically.

    The members are sorted and dated 1980-01-01, so the same files give the
    same bytes; the zip is written next to ``out`` and then moved into place.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            data, mode = files[name]
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    os.replace(partial, out)


def requirements() -> list[str]:
    """The package's runtime dependencies, as pip requirement lines."""
    try:
        from importlib.metadata import PackageNotFoundError, requires

        lines = [r for r in requires("backprop-course") or [] if "extra ==" not in r]
    except PackageNotFoundError:
        lines = []
    return lines or list(REQUIREMENTS)


def download_wheels(wanted: list[str]) -> dict[str, bytes]:
    """Wheels of ``wanted`` and their dependencies for Linux x86-64 and :data:`WHEEL_PYTHONS`.

    Raises :class:`BuildError` with pip's message if a download fails.
    """
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
                raise BuildError(_("pip could not download the wheels for Python "
                                   "{version}:\n{error}").format(
                    version=version, error=done.stderr.strip()[-2000:]))
        for path in sorted(Path(folder).glob("*.whl")):
            found[path.name] = path.read_bytes()
    return found
