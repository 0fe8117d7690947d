"""Grading settings: defaults, overridden by ``backprop.toml`` and then by the command line.

``backprop.toml`` (in the current folder, or given with ``--config``)::

    lang = "zh"             # the language of the messages: en or zh (a top-level key;
                            # default: the locale's, see autograder/i18n.py)

    [grading]
    seed = 2026             # the seed of every hidden random case
    seconds_per_part = 4    # wall-time limit for one graded function's checks
    memory_mb = 1024        # memory limit for one submission's process
    workers = 2             # submissions graded at once
    sandbox = "auto"        # isolation: auto (the strongest available), namespaces,
                            # user or process (see the instructors' page)

``--lang`` on the command line overrides ``lang``, which overrides the locale.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from autograder.i18n import LANGUAGES, _

DEFAULT_FILE = Path("backprop.toml")
#: The settings of ``Config`` that are top-level keys of ``backprop.toml``, not in ``[grading]``.
TOP_LEVEL = ("lang",)


class ConfigError(ValueError):
    """A configuration file or value that cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class Config:
    seed: int = 2026
    seconds_per_part: float = 4.0
    memory_mb: int = 1024
    workers: int = max(1, os.cpu_count() or 1)
    sandbox: str = "auto"
    lang: str | None = None  # None: the locale's (see autograder.i18n.choose)

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
        document = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(_("cannot read {file}: {error}").format(file=path, error=exc)) from None
    table = document.get("grading", {})
    _check_grading(path, table)
    lang = document.get("lang")
    if lang is not None and lang not in LANGUAGES:
        raise ConfigError(_("{file}: lang must be one of {languages}, not {value}").format(
            file=path, languages=", ".join(LANGUAGES), value=repr(lang)))
    return Config().override(**table, lang=lang)


def _check_grading(path: Path, table: dict) -> None:
    """A ConfigError saying what is wrong with the ``[grading]`` table, if anything is."""
    known = [f.name for f in fields(Config) if f.name not in TOP_LEVEL]
    unknown = sorted(set(table) - set(known))
    if unknown:
        message = _("{file}: unknown setting(s) {names} in [grading]; the settings are "
                    "{settings}").format(file=path, names=", ".join(unknown),
                                         settings=", ".join(known))
        if set(unknown) & set(TOP_LEVEL):
            message += " " + _("(lang is a top-level key: put it above [grading])")
        raise ConfigError(message)
    for name, value in table.items():
        if name == "sandbox":
            if value not in ("auto", "namespaces", "user", "process"):
                raise ConfigError(_("{file}: sandbox must be one of auto, namespaces, user, "
                                    "process, not {value}").format(file=path, value=repr(value)))
            continue
        whole = name in ("seed", "memory_mb", "workers")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or (
                whole and not isinstance(value, int)) or value < 0:
            template = (_("{file}: {name} must be a non-negative whole number, not {value}")
                        if whole else
                        _("{file}: {name} must be a non-negative number, not {value}"))
            raise ConfigError(template.format(file=path, name=name, value=repr(value)))
