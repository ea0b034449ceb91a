"""The README's first command, ``nomarr demo``, and the global options."""

from __future__ import annotations

from pathlib import Path

from nomarr.services.backend import ENVIRONMENT


def test_readme_first_command_on_a_fresh_machine(nomarr, tmp_path: Path) -> None:
    env = {**nomarr.env, "TMPDIR": str(tmp_path)}
    del env["NOMARR_DATA_DIR"]  # nothing configured: the demo picks its own data dir
    fresh = type(nomarr)(tmp_path / "unused", env)
    result = fresh("demo", timeout=120)
    assert result.code == 0, result.err
    assert "wrote 13 files" in result.out and "12 tagged audio files and 1 deliberately unreadable" in result.out
    assert "new 12   changed 0   unchanged 0   removed 0   unreadable 1" in result.out
    assert "Tagged 12 files (0 failed)" in result.out
    assert "Queue: 0 files to tag" in result.out and "stopped" in result.out and "tag jobs" not in result.out
    demo_dirs = list(tmp_path.glob("nomarr-demo-*"))
    assert len(demo_dirs) == 1 and (demo_dirs[0] / "data").is_dir()
    assert f"NOMARR_DATA_DIR={demo_dirs[0] / 'data'} nomarr find --tag genre=jazz" in result.out
    assert "  genre   jazz" in result.out  # a file's tags are shown
    assert "claim " in result.out and "verdict " in result.out  # the terms are explained
    assert f"remove them with rm -rf {demo_dirs[0]}" in result.out


def test_demo_into_a_given_dir_then_explore(nomarr, tmp_path: Path) -> None:
    result = nomarr("demo", str(tmp_path / "demo"), "--workers", "3", timeout=120)
    assert result.code == 0, result.err
    assert f"embedded arangolite in {nomarr.data_dir}" in result.out  # NOMARR_DATA_DIR is respected
    jazz = nomarr("find", "--tag", "genre=jazz").out.splitlines()
    assert [Path(p).name for p in jazz] == ["01 Slow Burn.flac", "02 Late Train.ogg", "03 Smoke Rings.mp3"]
    again = nomarr("demo", str(tmp_path / "demo"), timeout=120)  # rerunnable: files rewritten
    assert again.code == 0 and "Tagged 12 files" in again.out


def test_help_lists_commands_and_environment(nomarr) -> None:
    result = nomarr("--help")
    assert result.code == 0
    for command in ("scan", "work", "status", "tags", "find", "export", "import", "doctor", "demo"):
        assert command in result.out
    for name, _ in ENVIRONMENT:
        assert name in result.out
    assert "--data-dir" in result.out and "--debug" in result.out
    assert "ARANGO_HOST" in nomarr("work", "--help").out


def test_version_and_global_options_after_the_command(nomarr, tmp_path: Path) -> None:
    assert nomarr("--version").out.startswith("nomarr ")
    other = tmp_path / "other-data"
    result = nomarr("status", "--data-dir", str(other), "--json")
    assert result.json()["backend"]["location"] == str(other)


def test_demo_refuses_a_non_empty_folder(nomarr, tmp_path: Path, one_line_error) -> None:
    music = tmp_path / "Music"
    music.mkdir()
    (music / "mine.flac").write_bytes(b"x")
    refused = nomarr("demo", str(music))
    assert refused.code == 2 and "not empty" in one_line_error(refused) and "--force" in refused.err
    assert sorted(p.name for p in music.iterdir()) == ["mine.flac"]  # nothing written
