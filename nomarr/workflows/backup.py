"""Back up a database to an archive and restore one into an empty database."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from nomarr.helpers.errors import ArchiveError
from nomarr.helpers.progress import ProgressCallback
from nomarr.persistence import Database

__all__ = ["export_archive", "import_archive"]


def export_archive(
    db: Database, path: Path, *, overwrite: bool = False, on_progress: ProgressCallback | None = None
) -> dict[str, int]:
    """Write every collection to ``path`` (a ``.zip`` file, else a directory); return counts.

    An existing archive is replaced only with ``overwrite``, and only once the new one is
    complete. ``on_progress(documents written, documents in all)`` as it goes.

    Raises:
        FileExistsError: ``path`` exists and ``overwrite`` is false.
    """
    if path.exists() and not overwrite:
        raise FileExistsError(str(path))
    if not path.is_dir():
        return db.export(path, on_progress)  # written beside the target, then renamed over it
    staging = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.new")
    counts = db.export(staging, on_progress)
    shutil.rmtree(path)
    staging.rename(path)
    return counts


def import_archive(db: Database, path: Path, on_progress: ProgressCallback | None = None) -> dict[str, int]:
    """Restore the archive ``path`` into ``db``, which must hold no data; return counts
    (``on_progress(documents written, documents in the archive)`` as it goes).

    Raises:
        ArchiveError: the archive is missing or invalid.
        ImportTargetNotEmptyError: ``db`` already holds data.
    """
    if not path.exists():
        raise ArchiveError(f"{path}: no such file or directory")
    return db.import_(path, on_progress)
