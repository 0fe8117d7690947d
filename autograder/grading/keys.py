"""Answer keys: what each check's cases should give, computed from the reference.

Public keys are computed once by ``backprop build`` and stored as JSON next to
the exercise declarations (``autograder/exercises/public/<id>.json``), so that
``backprop check`` works without the reference solutions.  Hidden keys are
computed when grading, from the seeded hidden cases and the reference.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np

from autograder.i18n import _
from autograder.spec import Check, Exercise, Inputs, case_seed

PUBLIC_DIR = Path(__file__).resolve().parents[1] / "exercises" / "public"


@dataclass
class PlannedCheck:
    """A check with its cases and their answer keys, ready to run on submissions."""

    check: Check
    cases: list[Inputs]
    keys: list


def check_id(part: str, index: int) -> str:
    return f"{part}/{index}"


def plan(exercise: Exercise, seed: int, reference: ModuleType | None,
         hidden: bool) -> dict[str, list[PlannedCheck]]:
    """Every check of ``exercise`` to run (hidden ones only if ``hidden``), by part name."""
    stored = load_public_keys(exercise.id)
    planned: dict[str, list[PlannedCheck]] = {}
    for part in exercise.parts:
        planned[part.name] = []
        for index, check in enumerate(part.checks):
            if check.public:
                cases = check.inputs(None)
                keys = [from_json(k) for k in stored[check_id(part.name, index)]]
            elif hidden:
                cases = check.inputs(case_seed(seed, exercise.id, part.name, index))
                keys = [check.answer(reference, case) for case in cases]
            else:
                continue
            planned[part.name].append(PlannedCheck(check, cases, keys))
    return planned


def public_keys(exercise: Exercise, reference: ModuleType) -> dict[str, list]:
    """The answer keys of every public check, as JSON-ready data."""
    return {check_id(part.name, i): [to_json(check.answer(reference, case))
                                     for case in check.inputs(None)]
            for part in exercise.parts for i, check in enumerate(part.checks) if check.public}


def public_keys_path(exercise_id: str) -> Path:
    return PUBLIC_DIR / f"{exercise_id}.json"


def load_public_keys(exercise_id: str) -> dict[str, list]:
    path = public_keys_path(exercise_id)
    if not path.is_file():
        raise FileNotFoundError(_("{path} is missing: run `backprop build`").format(path=path))
    return json.loads(path.read_text())


def dump_public_keys(keys: dict[str, list]) -> str:
    return json.dumps(keys, indent=1, sort_keys=True) + "\n"


def to_json(value):
    """Plain data (arrays, tuples, dicts, numbers, strings) as JSON-ready data."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        array = np.asarray(value, dtype=np.float64)
        return {"array": array.reshape(-1).tolist(), "shape": list(array.shape)}
    if isinstance(value, tuple):
        return {"tuple": [to_json(v) for v in value]}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {"dict": {str(k): to_json(v) for k, v in value.items()}}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in an answer key")


def from_json(value):
    """Inverse of :func:`to_json`."""
    if isinstance(value, dict):
        if "array" in value:
            return np.array(value["array"], dtype=np.float64).reshape(value["shape"])
        if "tuple" in value:
            return tuple(from_json(v) for v in value["tuple"])
        return {k: from_json(v) for k, v in value["dict"].items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value
