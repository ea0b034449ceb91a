"""How much of a big commit holds the engine lock (a script, not a test).

    python bench/bench_commit.py [--sizes 10000,100000] [--repeat 3]

Per size, on a fresh data directory: a collection with persistent indexes on ``status`` and
``size``, one transaction inserting that many file-like documents (``bench_storage.make_docs``),
then its commit, timed. Printed: the commit's time (best of ``--repeat``), the part spent in
``EnginePersistence.prepare`` (the documents' JSON text and the new index rows, worked out with
the engine lock let go: ``Transaction.commit``) and the rest, under the lock, with its share of the
whole. Another request waits at most that rest for a commit (before, for all of it). The mode uses
no new API, so it runs against another checkout's code for an A/B comparison
(``PYTHONPATH=<checkout> python bench/bench_commit.py``): a code without ``prepare`` shows 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_storage import make_docs


def _timed_prepare() -> list[float]:
    """Wrap ``EnginePersistence.prepare`` (if the code has it) to add up its time."""
    from arangolite.storage import persistence

    spent = [0.0]
    prepare = getattr(persistence.EnginePersistence, "prepare", None)
    if prepare is not None:

        def timed(self: Any, overlays: Any) -> Any:
            start = time.perf_counter()
            try:
                return prepare(self, overlays)
            finally:
                spent[0] += time.perf_counter() - start

        persistence.EnginePersistence.prepare = timed  # type: ignore[method-assign]
    return spent


def commit_once(size: int, spent: list[float]) -> tuple[float, float]:
    """``(commit seconds, seconds in prepare)`` of one commit of ``size`` new documents."""
    from arangolite.storage.engine import Engine

    path = tempfile.mkdtemp(prefix="bench-commit-")
    try:
        engine = Engine(path)
        db = engine.database("_system")
        db.create_collection("files")
        for field in ("status", "size"):
            db.ensure_index("files", {"type": "persistent", "fields": [field]})
        trx = db.begin(write=["files"])
        handle = trx.collection("files")
        for doc in make_docs(size):
            handle.insert(doc)
        spent[0] = 0.0
        start = time.perf_counter()
        trx.commit()
        took = time.perf_counter() - start
        engine.close()
        return took, spent[0]
    finally:
        shutil.rmtree(path, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    spent = _timed_prepare()
    for size in (int(s) for s in args.sizes.split(",")):
        took, ahead = min(commit_once(size, spent) for _ in range(args.repeat))
        locked = took - ahead
        print(
            f"commit {size:>9,} docs  {took:7.3f} s  prepared with the lock let go {ahead:6.3f} s"
            f"  under the lock {locked:6.3f} s ({locked / took:.2f} of it)"
        )


if __name__ == "__main__":
    main()
