"""Build hooks of the course website (``hooks:`` in mkdocs.yml).

On every build they add four kinds of files to the site that are never committed to
``course/``:

* ``assets/vendor/mathjax/…`` — MathJax, copied from ``node_modules/mathjax`` (pinned in
  package.json and package-lock.json, installed by ``npm ci``), so that formulas render with
  no internet connection;
* ``figures/<name>.png`` — the figures drawn by ``course/code/figures.py`` from the
  reference solutions, computed afresh on each build so that they are never stale;
* ``figures/<name>.svg`` — the computational graphs drawn by ``course/code/graphs.py`` with
  Graphviz from the numbers of the course's scripts (needs the ``dot`` program:
  ``apt-get install graphviz``);
* ``downloads/<id>.py`` — the student files of ``exercises/``, which the exercise pages
  link to.

Every figure is drawn once per language of the site: ``figures/<stem>.zh.<ext>`` holds the
Chinese one, which mkdocs-static-i18n shows on the Chinese pages (its labels need a CJK font:
``apt-get install fonts-noto-cjk``). The files are added as mkdocs ``File`` objects in
``on_files``, before link validation, so a page's link to ``../downloads/activations.py`` or
``../figures/vanishing.png`` is checked like any other link.

One table is measured on every build: the times of forward and reverse mode of the
automatic-differentiation page (``on_page_markdown``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import logging
import os
import shutil
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
GRAPHS_SCRIPT = ROOT / "course" / "code" / "graphs.py"
EXERCISES = ROOT / "exercises"
LANGUAGES = ("en", "zh")   # the site's editions (mkdocs.yml's i18n plugin); English first

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


def run_script(script: Path):
    """Import one of the course's scripts by path, as the module it is."""
    # The figures multiply small matrices: BLAS threads only slow them down on a busy machine.
    if "numpy" not in sys.modules:
        for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(variable, "1")
    for folder in (ROOT, script.parent):   # the scripts import the package and each other
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location(f"_course_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    try:
        with contextlib.redirect_stdout(io.StringIO()):   # what they print is for a terminal
            spec.loader.exec_module(module)
    except Exception as error:  # a figure or table that cannot be made fails the build, loudly
        raise PluginError(f"{script.relative_to(ROOT)} failed: {type(error).__name__}: "
                          f"{error}") from error
    return module


def render(script: Path) -> dict[str, bytes]:
    """The figures ``render_all(lang)`` of ``script`` draws in every language of the site, by
    file name: ``x.png`` in English, ``x.zh.png`` in Chinese (mkdocs-static-i18n shows the
    localised file on the pages of its language)."""
    module = run_script(script)
    figures = {}
    for lang in LANGUAGES:
        try:
            drawn = module.render_all(lang=lang)
        except Exception as error:
            raise PluginError(f"{script.relative_to(ROOT)} failed ({lang}): "
                              f"{type(error).__name__}: {error}") from error
        for name, data in drawn.items():
            stem, ext = name.rsplit(".", 1)
            figures[name if lang == "en" else f"{stem}.{lang}.{ext}"] = data
    return figures


def render_graphs() -> dict[str, bytes]:
    """The SVGs of ``course/code/graphs.py``, by file name."""
    if shutil.which("dot") is None:
        raise PluginError(
            "Graphviz is not installed: the `dot` program, which draws the graph figures of "
            "course/code/graphs.py, is not on PATH. Install it (Debian/Ubuntu: "
            "`apt-get install graphviz`), then build again.")
    if importlib.util.find_spec("graphviz") is None:
        raise PluginError("The Python package graphviz is missing (course/code/graphs.py "
                          'needs it): run `pip install -e ".[site]"`, then build again.')
    return render(GRAPHS_SCRIPT)


def _generated(config, dest: str, data: bytes) -> File:
    """A file of the site made by the build: written to a folder of its own, because
    mkdocs-static-i18n sorts files by their source path, which a file held in memory has not."""
    global _BUILD_FOLDER
    if _BUILD_FOLDER is None:
        _BUILD_FOLDER = Path(tempfile.mkdtemp(prefix="course-site-"))
    path = _BUILD_FOLDER / dest
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return File.generated(config, dest, abs_src_path=str(path))


_BUILD_FOLDER: Path | None = None


def on_post_build(config) -> None:
    global _BUILD_FOLDER
    if _BUILD_FOLDER is not None:
        shutil.rmtree(_BUILD_FOLDER, ignore_errors=True)
        _BUILD_FOLDER = None


def _add(files: Files, file: File) -> None:
    """Add ``file``, replacing a file of ``course/`` at the same place (a stale local copy)."""
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


def on_files(files: Files, config) -> Files:
    for dest, source in mathjax_files():
        _add(files, File.generated(config, dest, abs_src_path=str(source)))
    figures = {**render(FIGURES_SCRIPT), **render_graphs()}
    for name, data in figures.items():
        _add(files, _generated(config, f"figures/{name}", data))
    students = sorted(EXERCISES.glob("*.py"))
    if not students:
        raise PluginError("exercises/ holds no student file: run `backprop build`.")
    for path in students:
        _add(files, File.generated(config, f"downloads/{path.name}", abs_src_path=str(path)))
    _add(files, _generated(config, f"downloads/{BUNDLE}", student_bundle()))
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


# --------------------------------------------------------------------------------------
# Tables measured at build time.
# --------------------------------------------------------------------------------------

COST_SCRIPT = ROOT / "course" / "code" / "ch3_autodiff_cost.py"
COST_MARKER = "<!-- autodiff-cost-table -->"
_cost_rows: list | None = None


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Put the times of forward and reverse mode, measured once per build, in place of the
    marker of the automatic-differentiation page, in the page's language."""
    global _cost_rows
    if COST_MARKER not in markdown:
        return markdown
    module = run_script(COST_SCRIPT)
    if _cost_rows is None:
        _cost_rows = module.cost_rows()
    lang = getattr(page.file, "locale", None) or "en"   # set by mkdocs-static-i18n
    return markdown.replace(COST_MARKER, module.cost_table_markdown(_cost_rows, lang))
