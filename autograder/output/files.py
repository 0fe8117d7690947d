"""Files written so that a crash never leaves half of one (standard library only: the
Gradescope runner uses it before anything else of the package is known to import)."""

from __future__ import annotations

import os
from pathlib import Path


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves the old file or the new, never half."""
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with temporary.open("w", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)
