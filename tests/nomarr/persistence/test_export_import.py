"""Export and import: portable, atomic, lossless, and only into an empty database."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from nomarr.helpers.dto import Library, TagValue
from nomarr.helpers.errors import ArchiveError, ImportTargetNotEmptyError, MigrationError
from nomarr.persistence import Database, transfer
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
        spec.name: [{k: v for k, v in doc.items() if k != "_rev"} for doc in db._collections.iter_documents(spec.name)]
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


def test_export_and_import_report_their_progress(
    filled: Database, tmp_path: Path, nomarr_sys_db, open_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every PROGRESS_EVERY documents exported and after every batch imported, then at the end:
    (documents done, documents in all), rising to the whole."""
    monkeypatch.setattr(transfer, "PROGRESS_EVERY", 7)
    monkeypatch.setattr(transfer, "IMPORT_BATCH_SIZE", 10)
    out: list[tuple[int, int]] = []
    counts = filled.export(tmp_path / "export.zip", lambda done, total: out.append((done, total)))
    whole = sum(counts.values())
    assert out[-1] == (whole, whole) and [d for d, _ in out[:-1]] == list(range(7, whole + 1, 7))
    assert {total for _, total in out} == {whole}
    name = f"{filled.name}_copy"
    nomarr_sys_db.create_database(name)
    try:
        back: list[tuple[int, int]] = []
        open_db(name).import_(tmp_path / "export.zip", lambda done, total: back.append((done, total)))
        assert back[-1] == (whole, whole) and {total for _, total in back} == {whole}
        done = [d for d, _ in back]
        assert done == sorted(done) and len(done) >= whole // 10
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


def _holding(db: Database) -> dict[str, int]:
    counts = {spec.name: db._collections.count(spec.name) for spec in COLLECTIONS if spec.name != "meta"}
    return {name: n for name, n in counts.items() if n}


def _fresh(nomarr_sys_db, open_db, name: str) -> Database:
    nomarr_sys_db.create_database(name)
    return open_db(name)


def _break_line(path: Path, collection: str, line: str) -> None:
    entry = path / "collections" / f"{collection}.jsonl"
    entry.write_text(entry.read_text() + line + "\n")
    manifest = json.loads((path / "manifest.json").read_text())
    for item in manifest["collections"]:
        if item["name"] == collection:
            item["count"] += line.count("\n") + 1
    (path / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 31"),  # caught by the check before any write
        ('{"_key": "dup", "x": 1}\n{"_key": "dup", "x": 2}', "undone"),  # refused while writing
    ],
)
def test_a_failed_import_leaves_the_database_empty_and_a_retry_works(
    filled: Database, tmp_path: Path, nomarr_sys_db, open_db, line: str, message: str
) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    filled.export(good)
    filled.export(bad)
    _break_line(bad, "library_files", line)
    name = f"{filled.name}_atomic"
    try:
        copy = _fresh(nomarr_sys_db, open_db, name)
        with pytest.raises(ArchiveError, match=message):
            copy.import_(bad)
        assert _holding(copy) == {}
        assert copy.schema_version() == filled.schema_version()
        copy.import_(good)
        assert _snapshot(copy) == _snapshot(filled)
    finally:
        nomarr_sys_db.delete_database(name, ignore_missing=True)


@pytest.mark.parametrize(("version", "error"), [(999, MigrationError), ("2", ArchiveError), (None, ArchiveError), (-1, ArchiveError)])
def test_an_unknown_schema_version_is_refused_before_anything_is_written(
    filled: Database, tmp_path: Path, nomarr_sys_db, open_db, version: object, error: type[Exception]
) -> None:
    path = tmp_path / "archive"
    filled.export(path)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["schema_version"] = version
    (path / "manifest.json").write_text(json.dumps(manifest))
    name = f"{filled.name}_version"
    try:
        copy = _fresh(nomarr_sys_db, open_db, name)
        with pytest.raises(error, match=r"schema.version"):
            copy.import_(path)
        assert _holding(copy) == {}
        assert all(e.key_ == "schema_version" or e.key_.startswith("migration:") for e in copy.meta.list_entries())
    finally:
        nomarr_sys_db.delete_database(name, ignore_missing=True)
