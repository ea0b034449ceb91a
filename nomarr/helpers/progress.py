"""The shape of a progress report that long work (a scan, an export, an import) hands its caller."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["ProgressCallback"]

# ``on_progress(done, total)``: steps done so far of the whole (files, documents)
ProgressCallback = Callable[[int, int], None]
