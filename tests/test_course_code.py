"""Every example script of the course pages runs, and its own check() passes.

The pages show code only by including sections of ``course/code/*.py`` (pymdownx.snippets),
so these tests are what keeps the code on the site correct. Each script is run twice: as a
script, the way a student runs it (``python course/code/<name>.py``), and imported, so that
its ``check()`` — the assertions behind the numbers its page quotes — can be called.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CODE = ROOT / "course" / "code"
SCRIPTS = sorted(p for p in CODE.glob("*.py") if not p.name.startswith("_"))
FIGURES = ("activations.png", "vanishing.png", "clipping.png", "gradcheck.png")
GRAPHS = ("neuron.svg", "fanout.svg", "dense.svg", "batchnorm.svg", "residual.svg")


def translated(names, lang="zh"):
    """The file names of the figures in another language: ``x.png`` → ``x.zh.png``."""
    return tuple(f"{stem}.{lang}.{ext}" for stem, ext in (n.rsplit(".", 1) for n in names))


WRITERS = ("figures.py", "graphs.py")  # scripts that write files to the folder they are given


def test_there_are_course_scripts():
    assert {CODE / name for name in WRITERS} <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_script_runs(script, tmp_path):
    # figures.py and graphs.py write their PNGs and SVGs to the folder they are given
    # (course/figures/ by default).
    args = [str(tmp_path)] if script.name in WRITERS else []
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT),
                                                        os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, str(script), *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{script.name} failed:\n{done.stdout[-3000:]}\n" \
                                 f"{done.stderr[-3000:]}"
    # both write every figure in English (x.png) and in Chinese (x.zh.png)
    if script.name == "figures.py":
        written = sorted(p.name for p in tmp_path.glob("*.png"))
        assert written == sorted(FIGURES + translated(FIGURES)), written
        for name in written:
            assert (tmp_path / name).read_bytes().startswith(b"\x89PNG"), name
    if script.name == "graphs.py":
        written = sorted(p.name for p in tmp_path.glob("*.svg"))
        assert written == sorted(GRAPHS + translated(GRAPHS)), written
        for name in written:
            assert (tmp_path / name).read_bytes().startswith(b"<?xml"), name
        for name in translated(GRAPHS):
            assert 'font-family="Noto Sans CJK SC' in (tmp_path / name).read_text(), name


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_check_passes(script, monkeypatch):
    monkeypatch.syspath_prepend(str(CODE))  # a script may import its neighbours
    monkeypatch.syspath_prepend(str(ROOT))
    spec = importlib.util.spec_from_file_location(f"_course_code_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    check = getattr(module, "check", None)
    if check is not None:  # without one, running the module's code was the test
        check()
