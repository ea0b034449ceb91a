"""``nomarr work`` end to end: several workers, exactly-once tagging, a killed worker, Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter

from nomarr.components.demo import GeneratedLibrary
from nomarr.components.tag_normalize import normalize_tags


def _expected(spec) -> list[dict[str, str]]:
    raw = {name: value if isinstance(value, list) else [value] for name, value in spec.tags.items()}
    return [{"name": tag.name, "value": tag.value} for tag in normalize_tags(raw)]


def _wait_for(process: subprocess.Popen[str], text: str, timeout: float = 20) -> str:
    """Read the process's stderr until a line contains ``text``; return that line."""
    deadline = time.monotonic() + timeout
    assert process.stderr is not None
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if text in line:
            return line
        assert line or process.poll() is None, f"exited {process.returncode} before {text!r}"
    raise AssertionError(f"no {text!r} within {timeout} s")


def test_three_workers_tag_every_file_exactly_once(nomarr, music: GeneratedLibrary) -> None:
    nomarr("scan", str(music.root))
    summary = nomarr("work", "--workers", "3", "--once", "--batch-size", "2", "--json").json()
    assert summary["tagged"] == 12 and summary["failed"] == 0
    assert sum(summary["per_worker"].values()) == 12 and len(summary["per_worker"]) == 3
    assert summary["settled_jobs"] == 1
    status = nomarr("status", "--json").json()
    assert status["libraries"][0]["by_state"] == {"tagged": 12, "unreadable": 1}
    assert status["queue"] == {"pending": 0, "in_progress": 0, "jobs": {"done": 1}, "depth": 0}
    assert {w["verdict"] for w in status["workers"]} == {"stopped"}
    for spec in {spec.format: spec for spec in music.tracks}.values():  # one file of each format
        tags = nomarr("tags", str(music.root / spec.rel_path), "--json").json()
        assert tags["status"] == "tagged" and tags["tags"] == _expected(spec), spec.rel_path
    expected = Counter((t["name"], t["value"]) for spec in music.tracks for t in _expected(spec))
    counts = {(row["name"], row["value"]): row["files"] for row in nomarr("tags", "--json").json()}
    assert counts == dict(expected)  # every file's tags, each link written once


def test_tags_are_normalised(nomarr, music: GeneratedLibrary) -> None:
    nomarr("scan", str(music.root))
    nomarr("work", "--once")
    tags = nomarr("tags", str(music.root / "Iron Choir/Forge/02 Sparks.mp3"), "--json").json()["tags"]
    assert {(t["name"], t["value"]) for t in tags} == {
        ("artist", "iron choir"), ("artist", "guest horns"), ("album", "forge"), ("genre", "rock"),
        ("mood", "energetic"), ("bpm", "150"), ("year", "2023"),
    }  # fmt: skip
    jazz = nomarr("find", "--tag", " Genre = JAZZ ", "--tag", "mood=calm")
    assert jazz.out.splitlines() == [str(music.root.resolve() / "Blue Quartet/Night Sessions/01 Slow Burn.flac"),
                                     str(music.root.resolve() / "Blue Quartet/Night Sessions/02 Late Train.ogg")]


def test_a_killed_workers_claims_return_at_once(nomarr, music: GeneratedLibrary) -> None:
    nomarr("scan", str(music.root))
    victim = nomarr.popen("--debug", "work", "--workers", "1", "--batch-size", "3", "--tag-delay", "60")
    try:
        claimed = _wait_for(victim, "claimed 3 of")
    finally:
        victim.kill()  # SIGKILL: no goodbye, no release
        victim.wait(10)
    worker_id = claimed.split(" claimed ")[0].split()[-1]

    fresh = nomarr("status", "--json", "--stale-after", "60").json()
    held = {w["worker_id"]: (w["verdict"], w["claims"]) for w in fresh["workers"]}
    assert held == {worker_id: ("dead", 3)}  # heartbeat still recent, but its process is gone
    assert fresh["queue"]["in_progress"] == 3

    summary = nomarr("work", "--once", "--workers", "2", "--json", NOMARR_STALE_AFTER="60").json()
    assert summary["released_from_dead_workers"] == 3  # at once, without waiting 60 s
    assert summary["tagged"] == 12 and summary["claimed_elsewhere"] == {}
    after = nomarr("status", "--json").json()
    assert after["libraries"][0]["by_state"] == {"tagged": 12, "unreadable": 1}
    assert after["queue"]["in_progress"] == 0
    dead = [(w["verdict"], w["claims"]) for w in after["workers"] if w["worker_id"] == worker_id]
    assert dead in ([], [("dead", 0)])
    nomarr("work", "--once")
    rows = [w["worker_id"] for w in nomarr("status", "--json").json()["workers"]]
    assert worker_id not in rows and len(rows) == 2  # pruned: only the last run's stopped workers remain


def test_ctrl_c_stops_cleanly_and_releases_claims(nomarr, music: GeneratedLibrary) -> None:
    nomarr("scan", str(music.root))
    worker = nomarr.popen("--debug", "work", "--workers", "2", "--batch-size", "2", "--tag-delay", "0.3")
    _wait_for(worker, "claimed 2 of")
    worker.send_signal(signal.SIGINT)
    _out, err = worker.communicate(timeout=20)
    assert worker.returncode == 130
    assert "nomarr: interrupted: stopped cleanly after tagging" in err and "Traceback" not in err
    status = nomarr("status", "--json").json()
    counts = status["libraries"][0]["by_state"]
    assert sum(counts.values()) == 13 and set(counts) <= {"pending", "tagged", "unreadable"}
    assert status["queue"]["in_progress"] == 0  # nothing left claimed
    assert {w["verdict"] for w in status["workers"]} == {"stopped"}
    rest = nomarr("work", "--once", "--json").json()
    assert rest["tagged"] == counts.get("pending", 0)  # nothing tagged twice, nothing lost


def test_a_file_that_became_unreadable_is_marked_error(nomarr, music: GeneratedLibrary) -> None:
    nomarr("scan", str(music.root))
    (music.root / "Neon Drift/Afterglow/01 Pulse.flac").write_bytes(b"gone bad")
    result = nomarr("work", "--once", "--json")
    assert result.code == 1 and "nomarr files --status error" in result.err  # failures: exit 1
    summary = json.loads(result.out)
    assert (summary["tagged"], summary["failed"]) == (11, 1)
    assert nomarr("status", "--json").json()["libraries"][0]["by_state"] == {"error": 1, "tagged": 11, "unreadable": 1}
    failed = nomarr("files", "--status", "error", "--json")
    rows = [json.loads(line) for line in failed.out.splitlines()]
    assert failed.code == 0 and [(r["status"], r["path"].endswith("01 Pulse.flac")) for r in rows] == [("error", True)]
    assert rows[0]["problem"]  # the reason is kept
