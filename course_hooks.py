"""Build hooks of the course website (``hooks:`` in mkdocs.yml).

On every build they add three kinds of files to the site that are never committed to
``course/``:

* ``assets/vendor/mathjax/…`` — MathJax, copied from ``node_modules/mathjax`` (pinned in
  package.json and package-lock.json, installed by ``npm ci``), so that formulas render with
  no internet connection;
* ``figures/<name>.png`` — the figures drawn by ``course/code/figures.py`` from the
  reference solutions, computed afresh on each build so that they are never stale;
* ``downloads/<id>.py`` — the student files of ``exercises/``, which the exercise pages
  link to.

The files are added as mkdocs ``File`` objects in ``on_files``, before link validation, so a
page's link to ``../downloads/activations.py`` or ``../figures/vanishing.png`` is checked
like any other link.
"""

from __future__ import annotations

import importlib.util
import io
import json
import logging
import os
import sys
import tempfile
import zipfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from autograder.authoring.release import release

ROOT = Path(__file__).resolve().parent
MATHJAX = ROOT / "node_modules" / "mathjax"
MATHJAX_VERSION = "3.2.2"
MATHJAX_DEST = "assets/vendor/mathjax"
# The parts of MathJax's es5/ build that the CHTML page setup can load: the combined entry
# point, then lazily the TeX extensions (autoload), the CHTML fonts, the menu and the
# accessibility extensions with the speech rule engine behind them.
MATHJAX_PARTS = ("tex-mml-chtml.js", "input", "output/chtml", "output/chtml.js", "ui",
                 "a11y", "sre", "adaptors")
FIGURES_SCRIPT = ROOT / "course" / "code" / "figures.py"
EXERCISES = ROOT / "exercises"

log = logging.getLogger("mkdocs.hooks.course")


def mathjax_files() -> list[tuple[str, Path]]:
    """``(site path, source file)`` for every MathJax file the site serves."""
    package = MATHJAX / "package.json"
    if not package.is_file():
        raise PluginError(
            "MathJax is not installed: node_modules/mathjax is missing. Run `npm ci` in "
            f"{ROOT} (package.json pins mathjax {MATHJAX_VERSION}), then build again.")
    version = json.loads(package.read_text())["version"]
    if version != MATHJAX_VERSION:
        raise PluginError(
            f"node_modules/mathjax is version {version}, the site needs {MATHJAX_VERSION}: "
            "run `npm ci`.")
    es5 = MATHJAX / "es5"
    out = []
    for part in MATHJAX_PARTS:
        path = es5 / part
        sources = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        if not sources:
            raise PluginError(f"{path} is missing from the MathJax package: run `npm ci`.")
        out += [(f"{MATHJAX_DEST}/{p.relative_to(es5).as_posix()}", p) for p in sources]
    return out


def render_figures() -> dict[str, bytes]:
    """The PNGs of ``course/code/figures.py``, by file name."""
    # The figures multiply small matrices: BLAS threads only slow them down on a busy machine.
    if "numpy" not in sys.modules:
        for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(variable, "1")
    spec = importlib.util.spec_from_file_location("_course_figures", FIGURES_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    if str(ROOT) not in sys.path:  # figures.py imports the autograder package
        sys.path.insert(0, str(ROOT))
    try:
        spec.loader.exec_module(module)
        return module.render_all()
    except Exception as error:  # a figure that cannot be drawn fails the build, loudly
        raise PluginError(f"course/code/figures.py failed: {type(error).__name__}: {error}") \
            from error


def _add(files: Files, file: File) -> None:
    """Add ``file``, replacing a file of ``course/`` at the same place (a stale local copy)."""
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


def on_files(files: Files, config) -> Files:
    for dest, source in mathjax_files():
        _add(files, File.generated(config, dest, abs_src_path=str(source)))
    figures = render_figures()
    for name, data in figures.items():
        _add(files, File.generated(config, f"figures/{name}", content=data))
    students = sorted(EXERCISES.glob("*.py"))
    if not students:
        raise PluginError("exercises/ holds no student file: run `backprop build`.")
    for path in students:
        _add(files, File.generated(config, f"downloads/{path.name}", abs_src_path=str(path)))
    _add(files, File.generated(config, f"downloads/{BUNDLE}", content=student_bundle()))
    log.info("course hooks: added MathJax %s, %d figures, %d downloads and %s",
             MATHJAX_VERSION, len(figures), len(students), BUNDLE)
    return files


BUNDLE = "backprop-course-student.zip"


def student_bundle() -> bytes:
    """The students' download (``backprop release``) as a zip, made fresh for every build."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "backprop-course-student"
        release(root)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo(str(path.relative_to(tmp)), (2026, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, path.read_bytes())
        return buffer.getvalue()
