"""The students' download works on its own and holds nothing secret."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autograder.authoring.markers import telltale_lines, unmarked
from autograder.authoring.release import ReleaseError, release
from autograder.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted(p for p in (ROOT / "solutions").glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """The students' bundle in each language, made once when first asked for."""
    made = {}

    def bundle(lang: str) -> Path:
        if lang not in made:
            made[lang] = tmp_path_factory.mktemp(f"release-{lang}") / "bundle"
            release(made[lang], lang=lang)
        return made[lang]

    return bundle


@pytest.fixture(scope="module")
def bundle(bundles):
    return bundles("en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_bundle_leaks_no_solution_code(bundles, lang):
    bundle = bundles(lang)
    shipped = set()
    for path in bundle.rglob("*"):
        if path.is_file():
            shipped |= {line.strip() for line in path.read_text(errors="replace").splitlines()}
    for solution in SOLUTIONS:
        leaked = telltale_lines(solution.read_text()) & shipped
        assert not leaked, f"{solution.name}: {sorted(leaked)[:3]}"
    assert not list(bundle.rglob("solutions")) and not list(bundle.rglob("samples"))


# Runs `backprop check ARGS` from BUNDLE with -S: no site-packages .pth files, so the
# checkout's editable install is invisible; NumPy and rich come from the folders passed.
CHECK_FROM_BUNDLE = ("import sys; sys.path[:0] = [sys.argv.pop(1)] + sys.argv.pop(1).split(':'); "
                     "from autograder.cli import main; sys.exit(main())")
PACKAGES = ":".join(p for p in sys.path if p.endswith("site-packages"))


@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_bundle_works_unpacked_without_the_checkout(bundle, tmp_path, solution):
    work = tmp_path / "work"
    work.mkdir()
    (work / solution.name).write_text(unmarked(solution.read_text()))
    done = subprocess.run([sys.executable, "-S", "-c", CHECK_FROM_BUNDLE, str(bundle), PACKAGES,
                           "check", solution.name], cwd=work, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Every public check passes" in " ".join(done.stdout.split())


@pytest.mark.parametrize("lang, says", [("en", "not implemented yet"), ("zh", "尚未实现")])
def test_bundle_checks_in_its_language_from_its_folder(bundles, lang, says):
    bundle = bundles(lang)
    done = subprocess.run([sys.executable, "-S", "-c", CHECK_FROM_BUNDLE, str(bundle), PACKAGES,
                           "check", "exercises/activations.py"], cwd=bundle,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 1 and says in done.stdout, done.stdout + done.stderr
    stub = (bundle / "exercises" / "activations.py").read_text()
    assert ("在此编写你的代码" in stub) == (lang == "zh")


def test_bundle_installs_with_pip_in_a_fresh_venv(bundle, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet",
                          "--disable-pip-version-check", str(bundle)],
                         capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr
    stub = subprocess.run([str(venv / "bin" / "backprop"), "check",
                           str(bundle / "exercises" / "activations.py")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert stub.returncode == 1 and "not implemented yet" in stub.stdout
    done = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import autograder, sys; print(autograder.__file__)"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert str(venv) in done.stdout


def test_release_refuses_a_folder_with_other_files(tmp_path):
    (tmp_path / "thesis.tex").write_text("precious")
    with pytest.raises(ReleaseError, match="not empty"):
        release(tmp_path)
    assert (tmp_path / "thesis.tex").read_text() == "precious"


def test_answer_side_code_is_withheld(bundle):
    gradcheck = (bundle / "autograder" / "numerics" / "gradcheck.py").read_text()
    assert "def numerical_gradient" in gradcheck and "(2 * h)" not in gradcheck
    for module in ("activations", "losses"):
        text = (bundle / "autograder" / "exercises" / f"{module}.py").read_text()
        assert "computes answers: not in the students' bundle" in text


def test_withhold_keeps_helpers_that_other_code_uses():
    from autograder.authoring.release import withhold

    source = ('def shared():\n    return 1\n\n\ndef private():\n    return 2\n\n\n'
              'def mistake():\n    """Doc."""\n    return private() + shared()\n\n\n'
              'VALUE = shared()\n')
    out = withhold(source, {"mistake"})
    namespace: dict = {}
    exec(out, namespace)
    assert namespace["VALUE"] == 1 and namespace["mistake"].__doc__ == "Doc."
    with pytest.raises(NotImplementedError):
        namespace["private"]()
