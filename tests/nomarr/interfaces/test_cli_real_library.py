"""A real, messy library through the installed ``nomarr`` script: one test per defect of issue 9."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import unicodedata
from pathlib import Path

import mutagen

from arangolite.storage.datadir import FORMAT
from nomarr.components.demo import GeneratedLibrary
from nomarr.helpers.dto import TagValue
from nomarr.persistence import ConnectionSettings, Database
from tests.arangolite.store_files import set_format, stored_format

SLOW_BURN = "Blue Quartet/Night Sessions/01 Slow Burn.flac"


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_a_name_that_is_not_utf8_is_kept_and_shown_escaped(nomarr, music: GeneratedLibrary) -> None:
    raw = os.fsencode(music.root / "Unsorted") + b"/caf\xe9.flac"
    shutil.copy(music.root / SLOW_BURN, raw)
    scan = nomarr("scan", str(music.root), "--json")
    assert scan.code == 0, scan.err
    assert nomarr("work", "--once").code == 0
    found = nomarr("find", "path:caf")
    assert found.out.strip().endswith("Unsorted/caf\\xe9.flac")  # shown escaped
    nul = subprocess.run(
        [str(Path(os.sys.executable).parent / "nomarr"), "find", "-0", "path:caf"], capture_output=True, env=nomarr.env,
    )  # fmt: skip
    assert nul.returncode == 0 and nul.stdout == raw + b"\0"  # the exact bytes, for xargs -0
    tags = nomarr("tags", os.fsdecode(raw), "--json").json()
    assert tags["status"] == "tagged" and ("genre", "jazz") in {(t["name"], t["value"]) for t in tags["tags"]}


def test_names_and_tags_are_printed_as_they_are(nomarr, music: GeneratedLibrary) -> None:
    """A name or tag that looks like an emoji code (``:fire:``) or holds a tab is printed as it is,
    never rendered (a console would show :fire: as a flame: another name than the file's)."""
    name = ":fire: two\tspaces :+1:.flac"
    shutil.copy(music.root / SLOW_BURN, music.root / "Unsorted" / name)
    audio = mutagen.File(music.root / "Unsorted" / name)
    audio["genre"] = [":fire:"]
    audio.save()
    assert nomarr("scan", str(music.root)).code == 0
    assert nomarr("work", "--once").code == 0
    full = str(music.root / "Unsorted" / name)
    assert f"{full}  (tagged)\n" in nomarr("files", "--status", "tagged").out
    assert nomarr("find", "genre:=:fire:").out == full + "\n"
    assert nomarr("tags", full).out.splitlines()[0] == full
    assert ":fire:" in nomarr("tags", full).out and "\U0001f525" not in nomarr("tags").out


def test_an_emptied_folder_does_not_wipe_the_library(nomarr, music: GeneratedLibrary, tmp_path: Path) -> None:
    nomarr("scan", str(music.root), "--library", "Music")
    shutil.rmtree(music.root)
    music.root.mkdir()  # an unmounted drive looks like this
    refused = nomarr("scan", str(music.root), "--library", "Music")
    assert refused.code == 2 and "nothing changed" in refused.err and "--allow-removals" in refused.err
    assert nomarr("status", "--json").json()["libraries"][0]["files"] == 13
    empty = tmp_path / "empty"
    empty.mkdir()
    moved = nomarr("scan", str(empty), "--library", "Music")
    assert moved.code == 2 and "nomarr library mv Music" in moved.err  # a root change is never silent
    allowed = nomarr("scan", str(music.root), "--library", "Music", "--allow-removals", "--json").json()
    assert allowed["removed"] == 13


def test_a_tagged_file_overwritten_with_junk_loses_its_tags(nomarr, music: GeneratedLibrary) -> None:
    nomarr("scan", str(music.root))
    nomarr("work", "--once")
    assert str(music.root / SLOW_BURN) in nomarr("find", "--tag", "genre=jazz").out
    (music.root / SLOW_BURN).write_bytes(b"junk" * 100)
    rescan = nomarr("scan", str(music.root), "--json").json()
    assert SLOW_BURN in [row["path"] for row in rescan["unreadable"]]
    assert str(music.root / SLOW_BURN) not in nomarr("find", "--tag", "genre=jazz").out
    tags = nomarr("tags", str(music.root / SLOW_BURN), "--json").json()
    assert tags["status"] == "unreadable" and tags["tags"] == [] and tags["problem"]
    listed = _lines(nomarr("files", "--status", "unreadable", "--json").out)
    assert {Path(row["path"]).name for row in listed} == {"01 Slow Burn.flac", "broken.flac"}
    assert all(row["problem"] for row in listed)
    status = nomarr("status", "--json").json()
    assert status["libraries"][0]["files"] == 13  # unreadable files stay in view


def test_libraries_are_not_duplicated_and_can_be_managed(nomarr, music: GeneratedLibrary, tmp_path: Path) -> None:
    nomarr("scan", str(music.root), "--library", "Music")
    nomarr("work", "--once")
    sub = nomarr("scan", str(music.root / "Blue Quartet"))
    assert sub.code == 2 and "inside library 'Music'" in sub.err
    again = nomarr("scan", str(music.root), "--library", "Other")
    assert again.code == 2 and "already the root of library 'Music'" in again.err
    moved = music.root.rename(tmp_path / "MyMusic")
    guessed = nomarr("scan", str(moved))
    assert guessed.code == 2 and f"nomarr library mv Music {moved}" in guessed.err
    assert nomarr("library", "mv", "Music", str(moved)).code == 0
    rescan = nomarr("scan", str(moved), "--json").json()
    assert (rescan["library"], rescan["new"], rescan["unchanged"]) == ("Music", 0, 12)  # tags kept
    assert nomarr("library", "rename", "Music", "Jazz").code == 0
    listed = nomarr("library", "ls", "--json").json()
    assert [(row["name"], row["root"], row["files"]) for row in listed] == [("Jazz", str(moved), 13)]
    assert nomarr("library", "rm", "Jazz").code == 2  # not on a terminal: needs --yes
    removed = nomarr("library", "rm", "Jazz", "--yes", "--json").json()
    assert removed["removed"]["library_files"] == 13
    assert nomarr("library", "ls", "--json").json() == []
    assert nomarr("tags", "--json").json() == []  # orphan tags went too


def test_find_is_one_query_with_and_or_not_and_ranges(nomarr, music: GeneratedLibrary) -> None:
    nomarr("scan", str(music.root))
    nomarr("work", "--once")

    def names(*terms: str) -> set[str]:
        result = nomarr("find", *terms)
        assert result.code == 0, result.err
        return {Path(line).name for line in result.out.splitlines()}

    jazz = names("genre:jazz")
    assert "01 Slow Burn.flac" in jazz and names("genre:jazz", "^mood:calm") < jazz
    assert names("genre:jazz", ",", "genre:rock") == jazz | names("genre:rock")
    assert names("year>=2023") == names("year:2023..") and names("year<1900") == set()
    assert names("title:slow") == {"01 Slow Burn.flac"} and names("path:night sessions") == jazz & names("path:night")
    unknown = nomarr("find", "colour:red")
    assert unknown.code == 2 and "known names are album, artist, bpm, genre, mood, year" in unknown.err
    assert nomarr("find", "--tag", "year=0").code == 2
    rows = _lines(nomarr("find", "genre:jazz", "--json").out)
    assert {Path(row["path"]).name for row in rows} == jazz


def test_nfd_tags_are_found_by_nfc_queries(nomarr, music: GeneratedLibrary) -> None:
    audio = mutagen.File(music.root / SLOW_BURN)
    audio["artist"] = [unicodedata.normalize("NFD", "Beyoncé Strings")]
    audio.save()
    nomarr("scan", str(music.root))
    nomarr("work", "--once")
    found = nomarr("find", "--tag", unicodedata.normalize("NFC", "artist=beyoncé strings"))
    assert found.out.strip() == str(music.root / SLOW_BURN)
    assert nomarr("find", unicodedata.normalize("NFD", "artist:beyoncé")).out.strip() == str(music.root / SLOW_BURN)


def test_tags_stored_before_normalisation_are_repaired_by_doctor(nomarr, music: GeneratedLibrary) -> None:
    nomarr("scan", str(music.root))
    nomarr("work", "--once")
    with Database.open(ConnectionSettings(data_dir=str(nomarr.data_dir))) as db:  # as an older nomarr stored it
        stored = db.library_files.get_by_path(db.libraries.list()[0].key_, SLOW_BURN)
        old = [TagValue(name="artist", value=unicodedata.normalize("NFD", "beyoncé strings"))]
        db.tags.replace_tags_of_files({stored.key_: old + [TagValue(name=t.name, value=t.value) for t in db.tags.get_file_tags(stored.key_)]})
    query = unicodedata.normalize("NFC", "artist=beyoncé strings")
    assert nomarr("find", query).out == ""
    checks = {c["name"]: c for c in nomarr("doctor", "--json").json()["checks"]}
    assert checks["tag forms"]["status"] == "warning" and "doctor --repair" in checks["tag forms"]["fix"]
    repaired = {c["name"]: c for c in nomarr("doctor", "--repair", "--json").json()["checks"]}
    assert repaired["tag forms"]["detail"] == "repaired: 1 tag(s) of 1 file(s) converted to NFC"
    assert nomarr("find", query).out.strip() == str(music.root / SLOW_BURN)


def test_exit_codes_per_command(nomarr, music: GeneratedLibrary, tmp_path: Path) -> None:
    assert nomarr("tags", "/no/such.flac").code == 2
    assert nomarr("tags", str(music.root)).code == 2  # a folder
    assert nomarr("import", str(tmp_path / "nonexist.zip")).code == 2
    status = nomarr("status", ARANGO_HOST="localhost:8529")
    assert status.code == 2 and "add http://" in status.err
    assert nomarr("scan", str(music.root), "--library", "").code == 2
    assert nomarr("scan", str(music.root)).code == 0
    unscanned = nomarr("tags", str(music.root / "nope.flac"))
    assert unscanned.code == 2
    (music.root / "new.flac").write_bytes((music.root / SLOW_BURN).read_bytes())
    later = nomarr("tags", str(music.root / "new.flac"))
    assert later.code == 2 and "nomarr scan" in later.err and "_key" not in later.err
    assert nomarr("tags", "--name", "nosuch").code == 2
    bad_dir = nomarr("status", "--data-dir", str(music.root / SLOW_BURN))
    assert bad_dir.code == 1 and "stop the other" not in bad_dir.err and "not an arangolite data directory" in bad_dir.err
    assert nomarr("work", "--once").code == 0
    piped = subprocess.run(
        f"{Path(os.sys.executable).parent / 'nomarr'} find genre:jazz | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", capture_output=True, text=True, env=nomarr.env,
    )  # fmt: skip
    assert piped.returncode == 0 and piped.stdout.count("\n") == 1 and "Error" not in piped.stderr


def test_an_upgrade_waits_until_no_command_has_the_directory_open(
    nomarr, music: GeneratedLibrary, one_line_error
) -> None:
    """A store of an older format is migrated by the first command alone on it: while a worker
    (standing for the older nomarr still running) has it open, the upgraded command says what to
    do and changes nothing."""
    nomarr("scan", str(music.root))
    worker = nomarr.popen("--debug", "work", "--workers", "1", "--tag-delay", "30")
    assert worker.stderr is not None
    while "claimed" not in worker.stderr.readline():
        pass
    set_format(nomarr.data_dir, "arangolite-5")
    refused = nomarr("status")
    assert refused.code == 1 and "another process has it open" in one_line_error(refused)
    assert "stop every nomarr command and arangolite server using this directory" in refused.err
    assert stored_format(nomarr.data_dir) == "arangolite-5"
    worker.send_signal(signal.SIGTERM)
    worker.communicate(timeout=30)
    assert nomarr("status").code == 0 and stored_format(nomarr.data_dir) == FORMAT


def test_sigterm_exits_143(nomarr, music: GeneratedLibrary) -> None:
    nomarr("scan", str(music.root))
    worker = nomarr.popen("--debug", "work", "--workers", "1", "--tag-delay", "30")
    assert worker.stderr is not None
    while "claimed" not in worker.stderr.readline():
        pass
    worker.send_signal(signal.SIGTERM)
    _out, err = worker.communicate(timeout=30)
    assert worker.returncode == 143 and "terminated: stopped cleanly" in err


def test_deep_trees_and_symlinks(nomarr, music: GeneratedLibrary) -> None:
    deep = music.root / "deep"
    path = deep
    for level in range(600):
        path = path / f"d{level % 10}"
    path.mkdir(parents=True)
    shutil.copy(music.root / SLOW_BURN, path / "bottom.flac")
    os.symlink(music.root / SLOW_BURN, music.root / "link.flac")
    os.symlink("loop.flac", music.root / "loop.flac")
    summary = nomarr("scan", str(music.root), "--json").json()
    assert summary["found"] == 15  # 13 + bottom.flac + the looping link; link.flac counted once
    assert [row["path"] for row in summary["duplicates"]] == ["link.flac"]
    assert {row["path"]: row["reason"] for row in summary["unreadable"]}["loop.flac"] == "symbolic link loop"


def test_worker_rows_and_orphan_tags_are_pruned(nomarr, music: GeneratedLibrary) -> None:
    nomarr("scan", str(music.root))
    for _ in range(3):
        nomarr("work", "--once", "--workers", "2")
    assert len(nomarr("status", "--json").json()["workers"]) == 2  # only the last run's
    shutil.rmtree(music.root / "Iron Choir")
    nomarr("scan", str(music.root))  # no worker runs: the scan prunes the tags only those files carried
    assert nomarr("status", "--json").json()["scans"][0]["counts"]["pruned_tags"] > 0
    assert "every stored tag" in {c["name"]: c["detail"] for c in nomarr("doctor", "--json").json()["checks"]}["tags"]
