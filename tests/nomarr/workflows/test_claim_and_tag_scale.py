"""Issue 8: what one file costs ``nomarr work`` does not grow with the library.

On the on-disk engine (what ``nomarr work`` uses), a small and a ten times larger library are
half tagged, then the next batches are counted; per file, the AQL requests, the SQLite
statements and the index entries read must be the same at both sizes, and the pages written to
SQLite's log may grow only a little (a tree one level deeper; counts, never timings).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from arangolite.client import InProcessHTTPClient
from arangolite.storage import ondisk
from arangolite.storage.datadir import DB_FILE
from arangolite.storage.disk_state import SqliteEntries
from arangolite.storage.wal_index import log_bytes
from nomarr.helpers.dto import LibraryCreate, LibraryFile, LibraryFileCreate, TagValue
from nomarr.persistence import ConnectionSettings, Database
from nomarr.workflows.claim_and_tag import claim_and_tag

_BATCH = 32
_MEASURED = 2 * _BATCH  # files counted in each library


class _Counts:
    """What the engine did while ``on``: requests, SQLite statements, index entries read."""

    def __init__(self) -> None:
        self.on = False
        self.seen: Counter[str] = Counter()

    def add(self, what: str, n: int = 1) -> None:
        if self.on:
            self.seen[what] += n


class _CountingClient(InProcessHTTPClient):
    """arangolite's in-process transport, counting the requests it serves."""

    counts: _Counts

    def send_request(self, session: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        self.counts.add("requests")
        return super().send_request(session, method, url, *args, **kwargs)


def _files(library_key: str, start: int, stop: int) -> list[LibraryFileCreate]:
    return [
        LibraryFileCreate(
            library_key=library_key,
            path=f"/music/album/{i:06d}.flac",
            size=1000 + i,
            mtime_ms=1_700_000_000_000 + i,
            metadata={"format": "flac"},
        )
        for i in range(start, stop)
    ]


def _tagger(file: LibraryFile) -> list[TagValue]:
    n = int(file.path[-11:-5])  # tags shared by many files, all known after the first files
    return [TagValue(name="genre", value=f"g{n % 3}"), TagValue(name="artist", value=f"a{n % 5}"),
            TagValue(name="year", value=str(1990 + n % 4)), TagValue(name="album", value=f"al{n % 7}"),
            TagValue(name="mood", value=f"m{n % 2}"), TagValue(name="label", value=f"l{n % 11}")]  # fmt: skip


def _log_pages(data_dir: Path) -> int:
    """Pages in SQLite's write-ahead log (it restarts after a checkpoint; its file is kept
    allocated, so the length comes from the log's headers)."""
    with sqlite3.connect(data_dir / DB_FILE) as conn:
        page = int(conn.execute("PRAGMA page_size").fetchone()[0])
    conn.close()
    length = log_bytes(str(data_dir / DB_FILE))
    assert length is not None
    return max(0, length - 32) // (page + 24)


def _per_file(tmp_path: Path, size: int, counts: _Counts, monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    client = _CountingClient(path=str(tmp_path / f"data-{size}"))
    client.counts = counts
    with Database.open(ConnectionSettings(data_dir=str(tmp_path / f"data-{size}")), http_client=client) as db:
        library = db.libraries.create(LibraryCreate(name="Music", root_path="/music"))
        for start in range(0, size, 500):
            db.library_files.upsert_batch(_files(library.key_, start, min(size, start + 500)))
        known: set[tuple[str, str]] = set()
        done = 0
        monkeypatch.setattr(ondisk, "_WAL_LIMIT", 0)  # every commit copies the log: the last one empties it
        while done < size // 2:  # half tagged: both the tagged and the pending files scale with size
            done += len(claim_and_tag(db, library.key_, "w1", _tagger, _BATCH, known_tags=known).tagged)
        monkeypatch.setattr(ondisk, "_WAL_LIMIT", 1 << 62)  # the measured batches' pages all stay in the log
        counts.seen.clear()
        counts.on = True
        measured = 0
        while measured < _MEASURED:
            measured += len(claim_and_tag(db, library.key_, "w1", _tagger, _BATCH, known_tags=known).tagged)
        counts.on = False
        counts.seen["log pages"] = _log_pages(tmp_path / f"data-{size}")
    assert measured == _MEASURED
    return {what: n / measured for what, n in counts.seen.items()}


def test_per_file_requests_statements_and_index_reads_do_not_grow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counts = _Counts()
    connect = sqlite3.connect

    def counting_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = connect(*args, **kwargs)
        conn.set_trace_callback(lambda _sql: counts.add("statements"))
        return conn

    chunk = SqliteEntries.chunk

    def counting_chunk(self: SqliteEntries, *args: Any, **kwargs: Any) -> list[Any]:
        rows = chunk(self, *args, **kwargs)
        counts.add("index entries", len(rows))
        return rows

    monkeypatch.setattr(sqlite3, "connect", counting_connect)
    monkeypatch.setattr(SqliteEntries, "chunk", counting_chunk)
    small = _per_file(tmp_path, 6 * _BATCH, counts, monkeypatch)
    large = _per_file(tmp_path, 60 * _BATCH, counts, monkeypatch)
    assert set(small) == {"requests", "statements", "index entries", "log pages"}
    assert large["requests"] == small["requests"]
    for what in ("statements", "index entries"):
        assert large[what] <= small[what] * 1.05, (what, small, large)
    # Pages written per file grow with the trees (depth, fewer files per page), not with each
    # link landing on a page of its own: 4.2 -> 10.6 with link keys led by the file, 4.5 -> 13.6
    # (3.0x) with the earlier keys, a hash of file and tag, which scattered every link.
    assert large["log pages"] <= small["log pages"] * 2.75, (small, large)
