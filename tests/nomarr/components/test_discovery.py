"""Walking a library directory."""

from __future__ import annotations

import os
from pathlib import Path

from nomarr.components.discovery import discover


def test_finds_audio_files_sorted_with_folders(tmp_path: Path) -> None:
    for rel in ("b/2.FLAC", "b/1.mp3", "a/x/3.ogg", "top.wav", "b/cover.jpg", ".hidden/4.mp3", "b/.5.mp3"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * len(rel))
    found = discover(tmp_path)
    assert [f.rel_path for f in found.files] == ["a/x/3.ogg", "b/1.mp3", "b/2.FLAC", "top.wav"]
    assert found.folders == [".", "a/x", "b"]
    assert found.files[1].size == len("b/1.mp3") and found.problems == []
    stat = (tmp_path / "top.wav").stat()
    assert found.files[-1].mtime_ms == stat.st_mtime_ns // 1_000_000


def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.mp3").write_bytes(b"x")
    os.symlink(tmp_path, tmp_path / "real" / "loop")
    assert [f.rel_path for f in discover(tmp_path).files] == ["real/a.mp3"]


def test_unreadable_entries_are_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "ok.mp3").write_bytes(b"x")
    os.symlink(tmp_path / "gone.mp3", tmp_path / "dangling.mp3")
    found = discover(tmp_path)
    assert [f.rel_path for f in found.files] == ["ok.mp3"]
