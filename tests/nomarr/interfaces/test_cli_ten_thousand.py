"""10,050 real audio files through the installed ``nomarr`` script: scan, work, find (no cap), status.

The files are copies of one tiny tagged FLAC (genre Rock), so building them takes about a second;
scanning and tagging them is the real work (about a minute on an idle 2-core machine, hence
``slow``; plain ``pytest`` runs it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nomarr.components.demo import TrackSpec
from nomarr.components.demo.writers import write_track

COUNT = 10_050


@pytest.fixture
def big_library(tmp_path: Path) -> Path:
    spec = TrackSpec("one.flac", 440.0, {"artist": "Big Band", "title": "Again", "genre": "Rock", "date": "1999"})
    data = write_track(tmp_path / "template", spec, 0.01).read_bytes()
    root = tmp_path / "big"
    for folder in range(COUNT // 100 + 1):
        (root / f"{folder:03d}").mkdir(parents=True)
    for i in range(COUNT):
        (root / f"{i // 100:03d}" / f"{i:05d}.flac").write_bytes(data)
    return root


@pytest.mark.slow
def test_ten_thousand_files_end_to_end(nomarr, big_library: Path) -> None:
    scan = nomarr("scan", str(big_library), "--json", timeout=300).json()
    assert (scan["found"], scan["new"], scan["unreadable"]) == (COUNT, COUNT, [])
    work = nomarr("work", "--once", "--workers", "2", "--json", timeout=600)
    assert work.code == 0, work.err
    found = nomarr("find", "genre:=rock", timeout=120)
    lines = found.out.splitlines()
    assert found.code == 0 and len(lines) == COUNT  # no cap at 10,000
    assert lines[0] == str(big_library / "000" / "00000.flac") and len(set(lines)) == COUNT
    nul = nomarr("find", "-0", "genre:rock", "year:1990..1999", timeout=120)
    assert nul.out.count("\0") == COUNT
    counts = nomarr("tags", "--name", "genre", "--json", timeout=120).json()
    assert [(row["value"], row["files"]) for row in counts] == [("rock", COUNT)]
    status = nomarr("status", "--json", timeout=120).json()
    assert status["libraries"][0]["files"] == COUNT and status["libraries"][0]["by_state"] == {"tagged": COUNT}
    assert status["queue"]["depth"] == 0
