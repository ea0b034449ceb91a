"""Whether a tool is importable by the interpreter that runs ``lint.py`` (tools run as ``-m``)."""

from __future__ import annotations

import importlib.util
import sys

__all__ = ["INSTALL_HINT", "install_command", "is_installed"]

INSTALL_HINT = "pip install -e '.[dev]'"


def is_installed(module: str) -> bool:
    """Return True when ``module`` can be imported by this interpreter (``sys.executable``)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def install_command(package: str) -> str:
    """Return the command that installs ``package`` for this interpreter."""
    return f"{sys.executable} -m pip install '{package}' (or, in the repository: {INSTALL_HINT})"
