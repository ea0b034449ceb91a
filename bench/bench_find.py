"""Benchmark: ``nomarr find`` at 10k and 100k files: cost follows the matches, not the library.

Run: ``python bench/bench_find.py [--sizes 10000 100000] [--repeat 3]``

For each size, a fresh in-memory database gets that many file records (no audio: the find
query reads the database only) with tags: ``genre`` (one of 10 values), ``year`` (one of 60),
``artist`` (one per 10 files) and ``mood=rare`` on exactly 50 files whatever the size. Then,
best of ``--repeat`` runs, through ``db.file_search.iter_matching`` (what ``nomarr find``
runs):

- ``mood:=rare genre:rock``: 50 matches at every size (selective, starts from the tags);
- ``artist:=artist 00042``: 10 matches (one exact tag);
- ``genre:=rock year:1990..1999``: ~1/60 of the library;
- ``genre:rock``: a broad term, a tenth of the library (every file found is returned as read);
- baseline in the same run: the first query answered by the full scan (``SEARCH_FILES``, what
  ``find`` ran before and still runs for queries without a positive tag term), and a pure
  NOT query (``^mood:rare``), which must read every file.

Printed: matches, seconds, and each query's time as a ratio to the scan of the same query.
Between sizes the selective rows stay flat while the scan grows with the library.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from nomarr.components.file_query import parse_query
from nomarr.helpers.dto import LibraryCreate, LibraryFileCreate, TagValue
from nomarr.persistence import ConnectionSettings, Database
from nomarr.persistence.database.file_search_aql import SEARCH_FILES, search_bind

RARE = 50
BATCH = 2000


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="library sizes (default 10000 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query, best kept (default 3)")
    return parser.parse_args(argv)


def _tags(i: int, size: int) -> list[TagValue]:
    tags = [
        TagValue(name="genre", value=("rock", "jazz", "pop", "folk", "blues", "soul", "funk", "metal", "punk", "disco")[i % 10]),
        TagValue(name="year", value=str(1950 + i % 60)),
        TagValue(name="artist", value=f"artist {i // 10:05d}"),
    ]
    if i % (size // RARE) == 0:
        tags.append(TagValue(name="mood", value="rare"))
    return tags


def fill(db: Database, size: int) -> None:
    """Store ``size`` file records with their tags, in batches."""
    library = db.libraries.create(LibraryCreate(name="bench", root_path="/music"))
    for start in range(0, size, BATCH):
        records = [
            LibraryFileCreate(library_key=library.key_, path=f"/music/{i // 100:04d}/{i:06d}.flac", size=1000 + i,
                              mtime_ms=1_700_000_000_000 + i, metadata={"format": "flac"})
            for i in range(start, min(size, start + BATCH))
        ]  # fmt: skip
        keys = db.library_files.upsert_batch(records).new_keys
        by_key = {key: _tags(start + offset, size) for offset, key in enumerate(keys)}
        db.tags.add_tags([tag for tags in by_key.values() for tag in tags])
        with db.unit_of_work() as uow:
            uow.tags.replace_tags_of_files(by_key)


def _best(run: Callable[[], int], repeat: int) -> tuple[int, float]:
    best, found = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        found = run()
        best = min(best, time.perf_counter() - started)
    return found, best


def _find(db: Database, groups: list[list[dict[str, Any]]]) -> Callable[[], int]:
    return lambda: sum(1 for _ in db.file_search.iter_matching(groups))


def _scan(db: Database, groups: list[list[dict[str, Any]]]) -> Callable[[], int]:
    bind = {k: v for k, v in search_bind(groups)[1].items() if k not in ("drivers", "probe")}
    bind["groups"] = groups
    return lambda: sum(1 for _ in db.connection.db.aql.execute(SEARCH_FILES, bind_vars=bind, batch_size=1000))


def bench_size(size: int, repeat: int) -> list[tuple[str, int, float]]:
    """Rows (label, matches, seconds) for one library size; the first is the scan baseline."""
    settings = ConnectionSettings(data_dir=":memory:", db_name=f"bench_{uuid.uuid4().hex[:8]}")
    with Database.open(settings) as db:
        started = time.perf_counter()
        fill(db, size)
        print(f"{size} files stored in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        selective = parse_query(["mood:=rare", "genre:rock"])
        rows = [("scan: mood:=rare genre:rock", *_best(_scan(db, selective), repeat))]
        for terms in (["mood:=rare", "genre:rock"], ["artist:=artist 00042"], ["genre:=rock", "year:1990..1999"], ["genre:rock"], ["^mood:rare"]):
            rows.append((" ".join(terms), *_best(_find(db, parse_query(terms)), repeat)))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    args = _parse(argv)
    print(f"{'files':>8}  {'query':<34}{'matches':>9}{'seconds':>10}{'vs scan':>9}")
    for size in args.sizes:
        rows = bench_size(size, args.repeat)
        baseline = rows[0][2]
        for label, found, seconds in rows:
            print(f"{size:>8}  {label:<34}{found:>9}{seconds:>10.4f}{seconds / baseline:>8.3f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
