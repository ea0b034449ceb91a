"""The demo's first step: a fresh library of real, tagged audio files (no downloads)."""

from __future__ import annotations

from pathlib import Path

from nomarr.components.demo import GeneratedLibrary, generate_library

__all__ = ["GeneratedLibrary", "prepare_demo_library"]


def prepare_demo_library(root: Path) -> GeneratedLibrary:
    """Write the demo dozen (plus one deliberately unreadable file) below ``root``."""
    return generate_library(root)
