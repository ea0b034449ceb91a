"""Scanning a directory of generated audio files into a library, in process."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from nomarr.components.demo import generate_library
from nomarr.components.tagreader import TrackInfo, read_track
from nomarr.helpers.dto import LibraryCreate, TagValue
from nomarr.helpers.errors import LibraryPathError
from nomarr.persistence import Database
from nomarr.services.backend import BackendInfo
from nomarr.services.status import collect_status
from nomarr.workflows.scan_directory import scan_directory
from nomarr.workflows.scan_guard import folder_problems
from nomarr.workflows.tag_jobs import settle_tag_jobs


def test_scan_rescan_and_settle(nomarr_db: Database, tmp_path: Path) -> None:
    root = generate_library(tmp_path / "music", duration_s=0.1).root
    report = scan_directory(nomarr_db, root, library_name="Music", holder="t", batch_size=5)
    assert (report.found, report.new, report.modified, report.unchanged, report.removed) == (13, 12, 0, 0, 0)
    assert [path for path, _ in report.unreadable] == ["Unsorted/broken.flac"]
    assert len(report.job_keys) == 3 and {"discover", "read", "store"} <= set(report.timings)
    stored = nomarr_db.library_files.get_by_path(report.library.key_, "Iron Choir/Forge/01 Anvil.flac")
    assert stored.metadata["tags"]["genre"] == ["Metal", "Rock"] and stored.folder_key

    reads: list[Path] = []

    def counting_reader(path: Path) -> TrackInfo:
        reads.append(path)
        return read_track(path)

    (root / "Iron Choir/Forge/01 Anvil.flac").unlink()
    again = scan_directory(nomarr_db, root, library_name="Music", holder="t", reader=counting_reader)
    assert (again.new, again.unchanged, again.removed) == (0, 11, 1)
    assert [p.name for p in reads] == ["broken.flac"]  # unchanged files are not read again
    assert settle_tag_jobs(nomarr_db) == 0  # every file is still pending
    nomarr_db.library_files.update_status_many([f.key_ for f in nomarr_db.library_files.list_for_library(report.library.key_)], "tagged")
    assert settle_tag_jobs(nomarr_db) == 3
    assert nomarr_db.queue.count_by_status() == {"done": 3}


def test_bad_roots(nomarr_db: Database, tmp_path: Path) -> None:
    with pytest.raises(LibraryPathError, match="no such directory"):
        scan_directory(nomarr_db, tmp_path / "missing", holder="t")
    (tmp_path / "file.mp3").write_bytes(b"x")
    with pytest.raises(LibraryPathError, match="not a directory"):
        scan_directory(nomarr_db, tmp_path / "file.mp3", holder="t")


def test_scans_are_recorded_with_their_counts_and_outcome(nomarr_db: Database, tmp_path: Path) -> None:
    root = generate_library(tmp_path / "music", duration_s=0.1).root
    report = scan_directory(nomarr_db, root, library_name="Music", holder="t")

    def failing_reader(path: Path) -> TrackInfo:
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        (root / "Iron Choir/Forge/01 Anvil.flac").write_bytes(b"changed")
        scan_directory(nomarr_db, root, library_name="Music", holder="t", reader=failing_reader)
    failed, ok = nomarr_db.scan_runs.recent(2, report.library.key_)
    assert ok.outcome == "ok" and ok.finished_at is not None
    assert ok.counts == {"found": 13, "new": 12, "modified": 0, "unchanged": 0, "removed": 0, "unreadable": 1, "pruned_tags": 0}
    assert ok.problems == []
    assert failed.outcome == "failed" and failed.error == "OSError: disk gone"


def test_folder_problems_live_in_the_scan_run(nomarr_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = generate_library(tmp_path / "music", duration_s=0.1).root
    legacy = nomarr_db.libraries.create(LibraryCreate(name="Music", root_path=str(root)))
    nomarr_db.meta.set(f"scan_problems:{legacy.key_}", [{"path": "Old", "reason": "permission denied"}])
    assert folder_problems(nomarr_db, legacy.key_) == [{"path": "Old", "reason": "permission denied"}]  # an older nomarr's form
    scandir = os.scandir
    locked = str(root / "Iron Choir")

    def denying(path: object) -> object:  # root ignores permission bits: refuse one folder here
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", denying)
    report = scan_directory(nomarr_db, root, library_name="Music", holder="t")
    monkeypatch.setattr(os, "scandir", scandir)
    expected = [{"path": "Iron Choir", "reason": "permission denied"}]
    assert folder_problems(nomarr_db, report.library.key_) == expected
    assert nomarr_db.scan_runs.recent(1, report.library.key_)[0].problems == expected
    assert nomarr_db.meta.get(f"scan_problems:{legacy.key_}") is None  # the old form is gone
    status = collect_status(nomarr_db, BackendInfo("embedded", str(tmp_path), "nomarr"), 30.0)
    assert status.libraries[0].folder_problems == expected and status.scans[0]["problems"] == expected
    scan_directory(nomarr_db, root, library_name="Music", holder="t")
    assert folder_problems(nomarr_db, report.library.key_) == []


def test_a_scan_prunes_tags_no_file_carries(nomarr_db: Database, tmp_path: Path) -> None:
    root = generate_library(tmp_path / "music", duration_s=0.1).root
    report = scan_directory(nomarr_db, root, library_name="Music", holder="t")
    files = nomarr_db.library_files.list_for_library(report.library.key_)
    with nomarr_db.unit_of_work() as uow:
        uow.tags.replace_tags_of_files({f.key_: [TagValue(name="artist", value=f.path.split("/")[0].lower())] for f in files})
    shutil.rmtree(root / "Iron Choir")
    kept = scan_directory(nomarr_db, root, library_name="Music", holder="t", prune_tags=False)
    # iron choir (its files are gone) and unsorted (its one file is unreadable, so lost its tags)
    assert kept.pruned_tags == 0 and nomarr_db.housekeeping.count_orphan_tags() == 2  # a worker may be linking them
    (root / "Blue Quartet").rename(root / "Moved")
    again = scan_directory(nomarr_db, root, library_name="Music", holder="t")
    assert again.pruned_tags == 3 and nomarr_db.housekeeping.count_orphan_tags() == 0  # + blue quartet
    assert nomarr_db.scan_runs.recent(1, report.library.key_)[0].counts["pruned_tags"] == 3
