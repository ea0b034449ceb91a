"""Export every collection to a portable archive and import it into an empty database.

Layout (a ``.zip`` file, or a directory with the same entries)::

    manifest.json                 format, schema version, per-collection counts
    collections/<name>.jsonl      one document per line, with _key (and _from/_to for edges)

Exports are written atomically: to a temporary file (or directory) beside the target, then
``os.replace``. Imports keep every ``_key``, so edges stay intact, and refuse a database that
already holds data.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from nomarr.helpers.errors import ArchiveError
from nomarr.helpers.json_strict import dumps_strict
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.schema import COLLECTIONS, CollectionSpec

__all__ = ["FORMAT", "FORMAT_VERSION", "ArchiveReader", "write_archive"]

FORMAT = "nomarr-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


def entry_name(collection: str) -> str:
    """Return the archive entry holding ``collection``'s documents."""
    return f"collections/{collection}.jsonl"


Documents = Iterator[dict[str, Any]]


def write_archive(path: Path, schema_version: int, read: dict[str, Documents]) -> dict[str, int]:
    """Write the documents of every collection to ``path`` atomically; return counts.

    Args:
        path: target; a ``.zip`` suffix writes a zip file, anything else a directory.
        schema_version: recorded in the manifest.
        read: documents per collection name, in the order to write them.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".zip":
        return _write_zip(path, schema_version, read)
    return _write_dir(path, schema_version, read)


def _write_zip(path: Path, schema_version: int, read: dict[str, Documents]) -> dict[str, int]:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            counts = {name: _write_lines(zf.open(entry_name(name), "w"), docs) for name, docs in read.items()}
            zf.writestr(MANIFEST, _manifest(schema_version, counts))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return counts


def _write_dir(path: Path, schema_version: int, read: dict[str, Documents]) -> dict[str, int]:
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        (tmp / "collections").mkdir()
        counts = {name: _write_lines((tmp / entry_name(name)).open("wb"), docs) for name, docs in read.items()}
        (tmp / MANIFEST).write_text(_manifest(schema_version, counts), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ArchiveError(f"cannot write {str(path)!r}: {exc}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return counts


def _write_lines(out: IO[bytes], docs: Documents) -> int:
    count = 0
    with out:
        for doc in docs:
            doc.pop("_rev", None)
            out.write(dumps_strict(doc, "document").encode("utf-8") + b"\n")
            count += 1
    return count


def _manifest(schema_version: int, counts: dict[str, int]) -> str:
    edges = {spec.name: spec.edge for spec in COLLECTIONS}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": schema_version,
        "exported_at": now_ms(),
        "collections": [
            {"name": name, "edge": edges.get(name, False), "count": count} for name, count in counts.items()
        ],
    }
    return json.dumps(manifest, indent=2, sort_keys=True)


class ArchiveReader:
    """Reads an archive written by :func:`write_archive` (zip file or directory).

    Raises:
        ArchiveError: the path is missing, not an archive, or of an unknown format.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise ArchiveError(f"{str(self.path)!r} does not exist")
        try:
            self._zip = zipfile.ZipFile(self.path) if self.path.is_file() else None
        except zipfile.BadZipFile as exc:
            raise ArchiveError(f"{str(self.path)!r} is neither a zip file nor a directory") from exc
        self.manifest = self._read_manifest()

    def close(self) -> None:
        """Close the underlying zip file, if any."""
        if self._zip is not None:
            self._zip.close()

    @property
    def schema_version(self) -> int:
        """The schema version the archive was exported at."""
        return int(self.manifest["schema_version"])

    def counts(self) -> dict[str, int]:
        """Documents per collection, as the manifest records them."""
        return {entry["name"]: int(entry["count"]) for entry in self.manifest["collections"]}

    def documents(self, collection: str) -> Documents:
        """Yield the documents of ``collection``."""
        with self._open(entry_name(collection)) as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    yield self._parse(line, collection, number)

    def _parse(self, line: bytes, collection: str, number: int) -> dict[str, Any]:
        try:
            doc = json.loads(line)
        except ValueError as exc:
            raise ArchiveError(f"{entry_name(collection)} line {number}: {exc}") from exc
        if not isinstance(doc, dict) or "_key" not in doc:
            raise ArchiveError(f"{entry_name(collection)} line {number}: not a document with _key")
        return doc

    def _open(self, name: str) -> IO[bytes]:
        try:
            if self._zip is not None:
                return self._zip.open(name)
            return (self.path / name).open("rb")
        except (KeyError, OSError) as exc:
            raise ArchiveError(f"{str(self.path)!r} has no entry {name!r}") from exc

    def _read_manifest(self) -> dict[str, Any]:
        try:
            with self._open(MANIFEST) as raw:
                manifest = json.load(raw)
        except ValueError as exc:
            raise ArchiveError(f"{MANIFEST} is not JSON: {exc}") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveError(f"{MANIFEST} does not declare format {FORMAT!r}")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ArchiveError(f"unsupported format_version {manifest.get('format_version')!r}")
        _check_collections(manifest)
        _check_schema_version(manifest)
        return manifest


def _check_collections(manifest: dict[str, Any]) -> None:
    known: dict[str, CollectionSpec] = {spec.name: spec for spec in COLLECTIONS}
    for entry in manifest.get("collections", []):
        if entry.get("name") not in known:
            raise ArchiveError(f"unknown collection {entry.get('name')!r} in {MANIFEST}")


def _check_schema_version(manifest: dict[str, Any]) -> None:
    version = manifest.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ArchiveError(
            f"unknown schema_version {version!r} in {MANIFEST}: expected a whole number >= 0; "
            "export the database again with nomarr"
        )
