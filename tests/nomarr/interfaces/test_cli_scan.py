"""``nomarr scan`` end to end: first scan, rescans after edits, deletions and renames."""

from __future__ import annotations

import os
from pathlib import Path

import mutagen

from nomarr.components.demo import BROKEN_FILE, GeneratedLibrary

SLOW_BURN = "Blue Quartet/Night Sessions/01 Slow Burn.flac"


def _counts(summary: dict) -> tuple[int, int, int, int, int]:
    return (summary["new"], summary["changed"], summary["unchanged"], summary["removed"], len(summary["unreadable"]))


def test_first_scan_stores_files_and_lists_the_unreadable_one(nomarr, music: GeneratedLibrary) -> None:
    result = nomarr("scan", str(music.root), "--library", "Music", "--json")
    assert result.code == 0, result.err
    summary = result.json()
    assert summary["library"] == "Music" and summary["found"] == 13 and summary["folders"] == 5
    assert _counts(summary) == (12, 0, 0, 0, 1)
    assert summary["unreadable"][0]["path"] == BROKEN_FILE
    status = nomarr("status", "--json").json()
    assert status["libraries"][0]["by_state"] == {"pending": 12, "unreadable": 1}
    assert status["queue"]["depth"] == 12 and status["queue"]["jobs"] == {"pending": 1}
    assert [(s["outcome"], s["counts"]["new"]) for s in status["scans"]] == [("ok", 12)]
    assert "Recent scans" in nomarr("status").out


def test_human_summary(nomarr, music: GeneratedLibrary) -> None:
    result = nomarr("scan", str(music.root))
    assert result.code == 0
    assert "new 12   changed 0   unchanged 0   removed 0   unreadable 1" in result.out
    assert f"{BROKEN_FILE}: " in result.out
    assert "scan: 13/13 files" in result.err  # plain progress lines when stderr is not a terminal


def test_rescan_sees_edits_deletions_and_renames(nomarr, music: GeneratedLibrary) -> None:
    assert nomarr("scan", str(music.root), "--json").code == 0
    assert nomarr("work", "--once", "--json").json()["tagged"] == 12
    root = music.root
    audio = mutagen.File(root / SLOW_BURN)
    audio["genre"] = ["Soul"]
    audio.save()  # a tag edit: new size and mtime
    touched = root / "Neon Drift/Afterglow/01 Pulse.flac"
    os.utime(touched, (touched.stat().st_atime, touched.stat().st_mtime + 60))  # mtime only
    (root / "Iron Choir/Forge/03 Quench.ogg").unlink()
    (root / "Harbour Lights/Saltwater/02 Gulls.flac").rename(root / "Harbour Lights/Saltwater/02 Seagulls.flac")

    summary = nomarr("scan", str(root), "--json").json()
    assert _counts(summary) == (1, 2, 8, 2, 1)
    assert summary["library"] == "music"  # found again by its root, not duplicated
    status = nomarr("status", "--json").json()
    assert len(status["libraries"]) == 1
    assert status["libraries"][0]["by_state"] == {"pending": 3, "tagged": 8, "unreadable": 1}

    assert nomarr("work", "--once", "--json").json()["tagged"] == 3
    tags = nomarr("tags", str(root / SLOW_BURN), "--json").json()
    assert [t["value"] for t in tags["tags"] if t["name"] == "genre"] == ["soul"]
    folk = nomarr("find", "--tag", "genre=folk").out
    assert "02 Seagulls.flac" in folk and "02 Gulls.flac" not in folk
    assert "Quench" not in nomarr("find", "--tag", "genre=rock").out


def test_unchanged_rescan_reads_nothing_and_queues_nothing(nomarr, music: GeneratedLibrary) -> None:
    nomarr("scan", str(music.root))
    summary = nomarr("scan", str(music.root), "--json").json()
    assert _counts(summary) == (0, 0, 12, 0, 1) and summary["queued"] == 0


def test_a_deleted_folder_is_forgotten(nomarr, music: GeneratedLibrary) -> None:
    nomarr("scan", str(music.root))
    for file in (music.root / "Iron Choir/Forge").iterdir():
        file.unlink()
    summary = nomarr("scan", str(music.root), "--json").json()
    assert summary["removed"] == 3 and summary["folders"] == 4
    assert nomarr("find", "--tag", "artist=iron choir").out == ""


def test_scan_of_a_file_is_a_usage_error(nomarr, music: GeneratedLibrary, one_line_error) -> None:
    result = nomarr("scan", str(music.root / SLOW_BURN))
    assert result.code == 2
    assert "not a directory" in one_line_error(result)


def test_scan_moves_a_named_library(nomarr, music: GeneratedLibrary, tmp_path: Path) -> None:
    nomarr("scan", str(music.root), "--library", "Music")
    moved = music.root.rename(tmp_path / "moved")
    summary = nomarr("scan", str(moved), "--library", "Music", "--move", "--json").json()
    assert summary["root"] == str(moved.resolve())
    assert _counts(summary) == (0, 0, 12, 0, 1)  # relative paths: the files keep their keys
