"""The engine's shape holds: layers as folders, no import cycle, a trust boundary that
imports nothing from the grader's side, and modules small enough to read."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "autograder"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 450  # "about 400": the largest, an exercise's declaration, is data


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {module_name(p) for p in MODULES}


def imports(path: Path) -> set[str]:
    """The package's modules that ``path`` imports when it is loaded (imports inside
    functions, and those only for type checkers, run later or never)."""
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("autograder"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in NAMES else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("autograder")}
    return found & NAMES


GRAPH = {module_name(p): imports(p) - {module_name(p)} for p in MODULES}


def test_no_module_imports_itself_back():
    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in GRAPH[start]:
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = [m for m in GRAPH if reaches(m, m, {m})]
    assert not cycles, f"modules on an import cycle: {cycles}"


def test_the_students_side_of_the_boundary_imports_only_itself_and_the_protocol():
    child = [m for m in GRAPH if m.startswith("autograder.sandbox.child")]
    allowed = {"autograder", "autograder.sandbox", "autograder.sandbox.protocol", *child}
    assert child and all(GRAPH[m] <= allowed for m in child), {m: GRAPH[m] - allowed
                                                                for m in child}


def test_authoring_never_imports_a_platform():
    authoring = [m for m in GRAPH if m.startswith("autograder.authoring")]
    assert authoring and not any(d.startswith("autograder.platforms")
                                 for m in authoring for d in GRAPH[m])


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_module_is_small_enough_to_read(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES
