"""One source of truth: everything generated from solutions/ is up to date and leaks nothing."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from autograder.authoring import build, markers
from autograder.grading.keys import dump_public_keys, to_json
from autograder.numerics.compare import ATOL, RTOL

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted(p for p in (ROOT / "solutions").glob("*.py") if not p.name.startswith("_"))


def test_generated_files_are_up_to_date():
    stale = {str(p.relative_to(ROOT)): why for p, why in build.why_stale(ROOT).items()}
    assert not stale, f"run `backprop build`: {stale}"


# An answer key as keys.to_json stores it: a tuple of arrays and a float, a string, a dict.
KEY = {"dense_backward/0": [to_json({
    "expected": (np.array([[0.5, -2.0, 0.0], [1e-3, 4.0, 7.0]]), 0.25),
    "mistakes": {"transposed": np.array([np.nan, np.inf, -np.inf, 3.0])},
    "note": "the batch axis",
})]}


def _entry(key):
    return key["dense_backward/0"][0]["dict"]


def _set(path, value):
    """A change to ``KEY``: the value at ``path`` (below the case's dict) becomes ``value``."""
    def change(key):
        *inside, last = path
        target = _entry(key)
        for step in inside:
            target = target[step]
        target[last] = value(target[last]) if callable(value) else value
    return change


def _scaled(index, factor):
    return _set(("expected", "tuple", 0, "array", index), lambda v: v * factor)


def _renamed(key):
    entry = _entry(key)
    entry["mistake"] = entry.pop("mistakes")


# (change to the stored key, a part of the message naming where it differs; None: up to date)
CHANGES = {
    "the same file": (lambda key: None, None),
    "every number within a tenth of the tolerance (and NaN matches NaN, inf inf)": (
        _set(("expected", "tuple", 0, "array"),
             lambda a: [v * (1 + RTOL / 20) + ATOL / 20 for v in a]), None),
    "a float within the tolerance": (
        _set(("expected", "tuple", 1), lambda v: v * (1 + RTOL / 20)), None),
    "a number off by the grading rtol": (_scaled(4, 1 + RTOL), "['expected'][0][1, 1]"),
    "a zero off by the grading atol": (
        _set(("expected", "tuple", 0, "array", 2), 7.0 * ATOL), "['expected'][0][0, 2]"),
    "a float off by the grading rtol": (
        _set(("expected", "tuple", 1), lambda v: v * (1 + RTOL)), "['expected'][1]"),
    "a shape": (_set(("expected", "tuple", 0, "shape"), [3, 2]), "shape [3, 2] instead"),
    "a key name": (_renamed, "['mistake'] are new"),
    "a string": (_set(("note",), "the batch axes"), "'the batch axes' instead"),
    "NaN for a number": (_scaled(0, np.nan), "[0, 0]: nan instead of 0.5"),
    "a number for NaN": (_set(("mistakes", "dict", "transposed", "array", 0), 1.0),
                         "['transposed'][0]: 1.0 instead of nan"),
    "NaN for inf (an overflow the kernel's order of additions ends either way)": (
        _set(("mistakes", "dict", "transposed", "array", 1), np.nan), None),
    "-inf for inf": (_set(("mistakes", "dict", "transposed", "array", 1), -np.inf),
                     "[1]: -inf instead of inf"),
    "an array one value longer": (_set(("mistakes", "dict", "transposed", "array"),
                                       lambda a: [*a, 0.0]), "shape"),
}


@pytest.mark.parametrize("change, where", CHANGES.values(), ids=CHANGES)
def test_answer_keys_are_compared_within_a_tenth_of_the_grading_tolerance(tmp_path, change,
                                                                          where):
    stored = tmp_path / "backprop.json"
    stored.write_text(dump_public_keys(KEY))
    built = copy.deepcopy(KEY)
    change(built)
    found = build.difference(stored, dump_public_keys(built))
    if where is None:
        assert found is None and build.up_to_date(stored, dump_public_keys(built))
    else:
        assert found is not None and where in found, found
        assert not build.up_to_date(stored, dump_public_keys(built))


@pytest.mark.parametrize("factor, rewritten", [(1 + RTOL / 20, False), (1 + RTOL, True)],
                         ids=["within the tolerance", "beyond it"])
def test_build_rewrites_a_key_file_only_beyond_the_tolerance(tmp_path, monkeypatch, factor,
                                                             rewritten):
    key, markdown = tmp_path / "backprop.json", tmp_path / "backprop.md"
    key.write_text(dump_public_keys(KEY))
    markdown.write_text("0.25\n")
    built = copy.deepcopy(KEY)
    _scaled(1, factor)(built)
    new = {key: dump_public_keys(built), markdown: "0.2500000000000001\n"}
    monkeypatch.setattr(build, "outputs", lambda root: new)
    monkeypatch.setattr(build, "graded_pages", lambda root: {})
    assert build.write(tmp_path) == ([key, markdown] if rewritten else [markdown])
    assert key.read_text() == (new[key] if rewritten else dump_public_keys(KEY))
    assert markdown.read_text() == new[markdown]  # text other than keys: exactly


# Under OPENBLAS_CORETYPE=Prescott (SSE3 kernels), matrix products round differently from
# the AVX-512 (or the machine's own) kernels: the keys built there must still check here.
KEY_FILES = """
import json, sys
from autograder.authoring import build
keys = {p.name: text for p, text in build.outputs(build.CHECKOUT).items() if p.suffix == ".json"}
json.dump(keys, open(sys.argv[1], "w"))
"""
CHECK_KEYS = """
import json, sys
from pathlib import Path
from autograder.authoring import build
stored = Path(sys.argv[1])
found = {}
for p, text in build.outputs(build.CHECKOUT).items():
    if p.suffix == ".json":
        bitwise = (stored / p.name).read_text() == text
        found[p.name] = [bitwise, build.up_to_date(stored / p.name, text),
                         build.difference(stored / p.name, text)]
print(json.dumps(found))
"""


def _python(code: str, coretype: str | None, *args) -> str:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    env["OPENBLAS_NUM_THREADS"] = "1"
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _has_avx512() -> bool:
    try:
        return " avx512f" in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


def test_keys_built_with_one_blas_kernel_check_with_another(tmp_path):
    _python(KEY_FILES, "Prescott", tmp_path / "keys.json")
    for name, text in json.loads((tmp_path / "keys.json").read_text()).items():
        (tmp_path / name).write_text(text)
    found = json.loads(_python(CHECK_KEYS, "SkylakeX" if _has_avx512() else None, tmp_path))
    assert found, "no answer key files"
    if all(bitwise for bitwise, _, _ in found.values()):
        pytest.skip("the Prescott kernel and this machine's give bit-identical answer keys: "
                    "nothing to tolerate here")
    stale = {name: why for name, (_, fresh, why) in found.items() if not fresh}
    assert not stale


@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_student_file_has_no_solution_code(solution):
    source = solution.read_text()
    stub = (ROOT / "exercises" / solution.name).read_text()
    secret = markers.secret_lines(source)
    assert secret, "a reference without solution regions"
    assert not secret & {line.strip() for line in stub.splitlines()}
    assert stub.count("raise NotImplementedError") == source.count(markers.BEGIN)
    compile(stub, solution.name, "exec")


def test_stub_replaces_each_region_with_a_raise():
    source = ('def f(x):\n    """Doc."""\n    # Hint: think\n    ### BEGIN SOLUTION\n'
              '    return 2 * x\n    ### END SOLUTION\n\n\ndef g():\n    return 1\n')
    assert markers.stub(source) == ('def f(x):\n    """Doc."""\n    # Hint: think\n'
                                  '    raise NotImplementedError("f: your code here")\n\n\n'
                                  'def g():\n    return 1\n')
    assert markers.unmarked(source).count("###") == 0


@pytest.mark.parametrize("source, problem", [
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n", "inside another"),
    ("### END SOLUTION\n", "without"),
    ("def f():\n    ### BEGIN SOLUTION\n    pass\n", "never closed"),
])
def test_unpaired_markers_are_reported(source, problem):
    with pytest.raises(markers.MarkerError, match=problem):
        markers.stub(source)


def test_replace_functions_keeps_the_rest_of_the_file():
    base = 'import numpy as np\n\n\ndef f(x):\n    return x\n\n\ndef g(x):\n    return 2 * x\n'
    own = 'import math\n\n\ndef g(x):\n    return math.tau * x\n\n\ndef h():\n    pass\n'
    merged = markers.replace_functions(base, own)
    namespace: dict = {}
    exec(merged, namespace)
    assert namespace["f"](3) == 3 and namespace["g"](1) == pytest.approx(6.283185307)
    assert "def h" in merged and merged.count("def g") == 1
