"""Find a tool's executable: next to the running interpreter first (a venv), then on PATH."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

__all__ = ["INSTALL_HINT", "find_executable"]

INSTALL_HINT = "pip install -e '.[dev]'"


def find_executable(name: str) -> str | None:
    """Return the path of ``name``, or None when it is installed nowhere we look."""
    here = Path(sys.executable).parent
    for candidate in (here / name, here / f"{name}.exe"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)
