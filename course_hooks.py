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
  link to, and ``downloads/<id>.zh.py``, the same with Chinese docstrings, comments and
  hints, which the Chinese pages' links lead to (as the students' bundle, zipped).

Every figure is drawn once per language of the site: ``figures/<stem>.zh.<ext>`` holds the
Chinese one, which mkdocs-static-i18n shows on the Chinese pages (its labels need a CJK font:
``apt-get install fonts-noto-cjk``). The files are added as mkdocs ``File`` objects in
``on_files``, before link validation, so a page's link to ``../downloads/activations.py`` or
``../figures/vanishing.png`` is checked like any other link.

One table is measured on every build: the times of forward and reverse mode of the
automatic-differentiation page (``on_page_markdown``).

The Chinese pages show the code they include with its comments and docstrings in Chinese:
before pymdownx.snippets runs, ``on_page_markdown`` puts in place of each
``--8<-- "file.py:section"`` line of a code block the section of the file translated by
:func:`autograder.authoring.course_text.translate_source` (the code itself is the same).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from autograder.authoring.build import student_files
from autograder.authoring.course_text import SECTION, translate_source
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


def localised(name: str, lang: str) -> str:
    """The name of a generated file in ``lang``: ``x.png`` in English, ``x.zh.png`` in
    Chinese (mkdocs-static-i18n shows the localised file on the pages of its language)."""
    stem, ext = name.rsplit(".", 1)
    return name if lang == "en" else f"{stem}.{lang}.{ext}"


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
            figures[localised(name, lang)] = data
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
    for lang in LANGUAGES[1:]:   # the other editions' student files, made the same way
        for name, text in student_files(ROOT, lang).items():
            if name.endswith(".py"):
                _add(files, _generated(config, f"downloads/{localised(name, lang)}",
                                       text.encode()))
        _add(files, _generated(config, f"downloads/{localised(BUNDLE, lang)}",
                               student_bundle(lang)))
    log.info("course hooks: added MathJax %s, %d figures, %d downloads and %s in %d languages",
             MATHJAX_VERSION, len(figures), len(students), BUNDLE, len(LANGUAGES))
    return files


BUNDLE = "backprop-course-student.zip"


def student_bundle(lang: str = "en") -> bytes:
    """The students' download (``backprop release``) as a zip, made fresh for every build."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "backprop-course-student"
        release(root, lang=lang)
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
    """In the page's language: the code it includes, and the times of forward and reverse
    mode, measured once per build, in place of the marker of the automatic-differentiation
    page."""
    global _cost_rows
    lang = getattr(page.file, "locale", None) or "en"   # set by mkdocs-static-i18n
    if lang != "en":
        markdown = translated_snippets(markdown, lang)
    if COST_MARKER not in markdown:
        return markdown
    module = run_script(COST_SCRIPT)
    if _cost_rows is None:
        _cost_rows = module.cost_rows()
    return markdown.replace(COST_MARKER, module.cost_table_markdown(_cost_rows, lang))


# A link to a download of another edition (mkdocs-static-i18n points the pages of that
# edition to downloads/<stem>.<lang>.<ext>, where there is one).
LOCALISED_DOWNLOAD = re.compile(r'<a href="([^"]*downloads/([^"/]+?)\.[a-z]{2}(\.[a-z]+))"')


def on_page_content(html: str, page, config, files) -> str:
    """On the pages of another edition than English, a link to a download of that edition
    saves it under the English file's name (``activations.py``, the name that tells
    ``backprop check`` which exercise it is), not as ``activations.zh.py``."""
    if (getattr(page.file, "locale", None) or "en") == "en":
        return html
    return LOCALISED_DOWNLOAD.sub(
        lambda found: f'<a download="{found.group(2)}{found.group(3)}" href="{found.group(1)}"',
        html)


# --------------------------------------------------------------------------------------
# The code the Chinese pages include, with Chinese comments and docstrings.
# --------------------------------------------------------------------------------------

# A block snippet line of pymdownx.snippets that includes a Python file or a section of one.
SNIPPET_LINE = re.compile(r'^(?P<space>[ \t]*)-+8<-+[ \t]+"(?P<path>[^"]+?\.py)'
                          r'(?::(?P<section>[a-z][-_0-9a-z]*))?"[ \t]*$', re.I)
FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")


def translated_snippets(markdown: str, lang: str) -> str:
    """``markdown`` with each snippet line inside a code block that includes Python code
    replaced by that code, its comments and docstrings in ``lang`` (indented as the line
    is, as pymdownx.snippets indents what it includes)."""
    out, fence = [], None
    for line in markdown.split("\n"):
        found = FENCE.match(line)
        if found and fence is None:
            fence = found.group("fence")
        elif found and line.strip() == found.group("fence") and found.group("fence")[0] == \
                fence[0] and len(found.group("fence")) >= len(fence):
            fence = None
        elif fence is not None and (snippet := SNIPPET_LINE.match(line)):
            out += [snippet.group("space") + code if code else ""
                    for code in snippet_lines(snippet.group("path"), snippet.group("section"),
                                              lang)]
            continue
        out.append(line)
    return "\n".join(out)


def snippet_lines(path: str, section: str | None, lang: str) -> list[str]:
    """The lines pymdownx.snippets includes for ``path`` (relative to the checkout) and
    ``section`` (the whole file when ``None``), from the file translated into ``lang``:
    those between the section's markers, without the lines of any section marker."""
    file = ROOT / path
    if not file.is_file():
        raise PluginError(f"snippet {path} not found")
    inside, found, lines = section is None, False, []
    for line in translate_source(file.read_text(), lang).splitlines():
        marker = SECTION.search(line)
        if marker and marker.group(2) == section:
            if marker.group(1).lower() == "end":   # an end before a start ends it too
                break
            inside = found = True
        elif not marker and inside:
            lines.append(line)
    if section is not None and not found:
        raise PluginError(f"snippet section {path}:{section} could not be located")
    return lines
