"""Export and import: portable, atomic, lossless, and only into an empty database."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from nomarr.helpers.dto import Library, TagValue
from nomarr.helpers.errors import ArchiveError, ImportTargetNotEmptyError
from nomarr.persistence import Database
from nomarr.persistence.schema import COLLECTIONS


@pytest.fixture
def filled(nomarr_db: Database, library: Library, make_files) -> Database:
    folder = nomarr_db.library_folders.upsert(library.key_, "/music/album")
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 30, folder.key_)).new_keys
    nomarr_db.tags.set_file_tags(keys[0], [TagValue(name="genre", value="jazz"), TagValue(name="mood", value="ü")])
    nomarr_db.worker_claims.try_claim(keys[1], "w1")
    nomarr_db.queue.enqueue("tag", {"keys": keys[:2]})
    nomarr_db.health.record_heartbeat("worker-1")
    nomarr_db.locks.acquire("scan", "w1", ttl_s=3600)
    nomarr_db.meta.set("setting", {"x": 1})
    nomarr_db.stats.refresh(library.key_)
    return nomarr_db


def _snapshot(db: Database) -> dict[str, list[dict]]:
    return {
        spec.name: [{k: v for k, v in doc.items() if k != "_rev"} for doc in db._collections.stream(spec.name)]
        for spec in COLLECTIONS
    }


@pytest.mark.parametrize("target", ["export.zip", "export_dir"])
def test_round_trip_is_lossless(filled: Database, tmp_path: Path, target: str, nomarr_sys_db, open_db) -> None:
    path = tmp_path / target
    counts = filled.export(path)
    assert counts["library_files"] == 30 and counts["library_has_file"] == 30
    name = f"{filled.name}_copy"
    nomarr_sys_db.create_database(name)
    try:
        copy = open_db(name)
        imported = copy.import_(path)
        assert imported["file_has_tag"] == 2
        assert _snapshot(copy) == _snapshot(filled)
        file_key = filled.tags.get_files_by_tag("genre", "jazz")[0].key_
        assert [t.value for t in copy.tags.get_file_tags(file_key)] == ["jazz", "ü"]
    finally:
        nomarr_sys_db.delete_database(name, ignore_missing=True)


def test_zip_layout_and_manifest(filled: Database, tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    filled.export(path)
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        first = json.loads(zf.read("collections/library_files.jsonl").splitlines()[0])
    assert names == {"manifest.json", *(f"collections/{spec.name}.jsonl" for spec in COLLECTIONS)}
    assert manifest["format"] == "nomarr-export" and manifest["schema_version"] == filled.schema_version()
    assert {c["name"]: c["edge"] for c in manifest["collections"]}["file_has_tag"] is True
    assert "_key" in first and "_rev" not in first
    assert [p.name for p in tmp_path.iterdir()] == ["a.zip"]  # no temporary file left


def test_export_replaces_an_existing_zip_atomically(filled: Database, tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    path.write_bytes(b"old")
    filled.export(path)
    assert zipfile.is_zipfile(path)


def test_import_refuses_a_database_with_data(filled: Database, tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    filled.export(path)
    before = _snapshot(filled)
    with pytest.raises(ImportTargetNotEmptyError, match="library_files"):
        filled.import_(path)
    assert _snapshot(filled) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"not a zip", "neither a zip file"),
        ({"format": "other"}, "does not declare format"),
        ({"format": "nomarr-export", "format_version": 9}, "unsupported format_version"),
        ({"format": "nomarr-export", "format_version": 1, "schema_version": 1, "collections": [{"name": "evil", "count": 0}]}, "unknown collection"),
    ],
)
def test_bad_archives_are_refused(nomarr_db: Database, tmp_path: Path, content: object, message: str) -> None:
    path = tmp_path / "bad.zip"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("manifest.json", json.dumps(content))
    with pytest.raises(ArchiveError, match=message):
        nomarr_db.import_(path)
    assert nomarr_db.libraries.list() == []
