"""Grading settings: defaults, overridden by ``backprop.toml`` and then by the command line.

``backprop.toml`` (in the current folder, or given with ``--config``)::

    [grading]
    seed = 2026             # the seed of every hidden random case
    seconds_per_part = 4    # wall-time limit for one graded function's checks
    memory_mb = 1024        # memory limit for one submission's process
    workers = 2             # submissions graded at once
    sandbox = "auto"        # isolation: auto (the strongest available), namespaces,
                            # user or process (see the instructors' page)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

DEFAULT_FILE = Path("backprop.toml")


class ConfigError(ValueError):
    """A configuration file or value that cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class Config:
    seed: int = 2026
    seconds_per_part: float = 4.0
    memory_mb: int = 1024
    workers: int = max(1, os.cpu_count() or 1)
    sandbox: str = "auto"

    def override(self, **values) -> Config:
        """A copy with the given values, ignoring ``None`` (an option not given)."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def load_config(path: Path | None = None) -> Config:
    """The configuration from ``path`` (or ``backprop.toml`` here, if present)."""
    if path is None:
        if not DEFAULT_FILE.is_file():
            return Config()
        path = DEFAULT_FILE
    try:
        table = tomllib.loads(path.read_text()).get("grading", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    known = {f.name: f.type for f in fields(Config)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)} in [grading]; "
                          f"the settings are {', '.join(known)}")
    for name, value in table.items():
        if name == "sandbox":
            if value not in ("auto", "namespaces", "user", "process"):
                raise ConfigError(f"{path}: sandbox must be one of auto, namespaces, user, "
                                  f"process, not {value!r}")
            continue
        want = int if name in ("seed", "memory_mb", "workers") else float
        if not isinstance(value, (int, float)) or isinstance(value, bool) or (
                want is int and not isinstance(value, int)) or value < 0:
            raise ConfigError(f"{path}: {name} must be a non-negative "
                              f"{'whole number' if want is int else 'number'}, not {value!r}")
    return Config().override(**table)
