"""One source of truth: everything generated from solutions/ is up to date and leaks nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder import build

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted(p for p in (ROOT / "solutions").glob("*.py") if not p.name.startswith("_"))


def test_generated_files_are_up_to_date():
    stale = [str(p.relative_to(ROOT)) for p in build.stale(ROOT)]
    assert not stale, f"run `backprop build`: {stale}"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_student_file_has_no_solution_code(solution):
    source = solution.read_text()
    stub = (ROOT / "exercises" / solution.name).read_text()
    secret = build.secret_lines(source)
    assert secret, "a reference without solution regions"
    assert not secret & {line.strip() for line in stub.splitlines()}
    assert stub.count("raise NotImplementedError") == source.count(build.BEGIN)
    compile(stub, solution.name, "exec")


def test_stub_replaces_each_region_with_a_raise():
    source = ('def f(x):\n    """Doc."""\n    # Hint: think\n    ### BEGIN SOLUTION\n'
              '    return 2 * x\n    ### END SOLUTION\n\n\ndef g():\n    return 1\n')
    assert build.stub(source) == ('def f(x):\n    """Doc."""\n    # Hint: think\n'
                                  '    raise NotImplementedError("f: your code here")\n\n\n'
                                  'def g():\n    return 1\n')
    assert build.unmarked(source).count("###") == 0


@pytest.mark.parametrize("source, problem", [
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n", "inside another"),
    ("### END SOLUTION\n", "without"),
    ("def f():\n    ### BEGIN SOLUTION\n    pass\n", "never closed"),
])
def test_unpaired_markers_are_reported(source, problem):
    with pytest.raises(build.MarkerError, match=problem):
        build.stub(source)


def test_replace_functions_keeps_the_rest_of_the_file():
    base = 'import numpy as np\n\n\ndef f(x):\n    return x\n\n\ndef g(x):\n    return 2 * x\n'
    own = 'import math\n\n\ndef g(x):\n    return math.tau * x\n\n\ndef h():\n    pass\n'
    merged = build.replace_functions(base, own)
    namespace: dict = {}
    exec(merged, namespace)
    assert namespace["f"](3) == 3 and namespace["g"](1) == pytest.approx(6.283185307)
    assert "def h" in merged and merged.count("def g") == 1
