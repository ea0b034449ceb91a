"""How much of a big commit, or of an index build, holds the engine lock (a script, not a test).

    python bench/bench_commit.py [--sizes 10000,100000] [--repeat 3] [--index | --first-read]

Per size, on a fresh data directory: a collection with persistent indexes on ``status`` and
``size``, one transaction inserting that many file-like documents (``bench_storage.make_docs``),
then its commit, timed. Printed: the commit's time (best of ``--repeat``), the part spent with
the engine lock let go (``EnginePersistence.prepare``: the documents' JSON text and the new index
rows, ``Transaction.commit``; and, since the twelfth pass, the SQLite write of the rows:
``Store.commit``'s gap) and the rest, under the lock, with its share of the whole. Another
request waits at most that rest for a commit (before, for all of it). The mode uses no new API,
so it runs against another checkout's code for an A/B comparison (``PYTHONPATH=<checkout> python
bench/bench_commit.py``): a code without ``prepare`` shows 0.

With ``--index``, per size: that many documents committed into a fresh data directory, then the
build of a persistent index on ``size``, timed; the part spent making its rows with the lock let
go (``IndexBuild.run``, ``storage/index_build.py``; and, since the thirteenth pass, the SQLite
write of the rows: ``Store.execute``'s gap) and the rest, under the lock (the checks, the
catch-up). A code without ``IndexBuild`` shows 0 let go.

With ``--first-read``, per size: that many documents committed into a fresh data directory, a
fulltext index on their ``path`` made (on disk built at its first read), then the first
``FULLTEXT`` query, timed, holding the engine lock as a request does: the part of it spent with
the lock let go (the query's gap while it builds the index: ``storage.first_read``) and the rest;
then the same query again (the index built), timed. A code without that gap shows 0 let go.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_storage import make_docs


def _timed_prepare() -> list[float]:
    """Wrap ``EnginePersistence.prepare`` and the gap a big commit writes its rows in (if the
    code has them) to add up their time."""
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
    _time_apart(spent)
    return spent


def _time_apart(spent: list[float]) -> None:
    """Wrap the gap a big commit (or, since the thirteenth pass, a new index) writes its rows
    in with the lock let go (if the code has it) to add up its time in ``spent``."""
    from arangolite.storage import persistence

    apart = getattr(persistence, "_Apart", None)
    if apart is not None:
        gap = apart.gap

        @contextlib.contextmanager
        def timed_gap(self: Any) -> Iterator[None]:
            start = time.perf_counter()
            try:
                with gap(self):
                    yield
            finally:
                spent[0] += time.perf_counter() - start

        apart.gap = timed_gap


def _timed_build() -> list[float]:
    """Wrap ``IndexBuild.run`` (if the code has it) to add up its time."""
    spent = [0.0]
    try:
        from arangolite.storage.index_build import IndexBuild
    except ImportError:
        return spent
    run = IndexBuild.run

    def timed(self: Any) -> None:
        start = time.perf_counter()
        try:
            run(self)
        finally:
            spent[0] += time.perf_counter() - start

    IndexBuild.run = timed  # type: ignore[method-assign]
    _time_apart(spent)
    return spent


def _timed_gap() -> list[float]:
    """Wrap the gap a query's first read of a geo or fulltext index builds it in (if the code
    has one) to add up its time."""
    spent = [0.0]
    try:
        from arangolite.storage.built_on_read import BuiltOnRead
    except ImportError:
        return spent
    build = getattr(BuiltOnRead, "build", None)
    if build is None:
        return spent

    def timed(self: Any, gap: Callable[[], Any] | None = None) -> None:
        if gap is None:
            return build(self, gap)  # type: ignore[no-any-return]

        @contextlib.contextmanager
        def timed_gap() -> Iterator[None]:
            start = time.perf_counter()
            try:
                with gap():
                    yield
            finally:
                spent[0] += time.perf_counter() - start

        return build(self, timed_gap)  # type: ignore[no-any-return]

    BuiltOnRead.build = timed  # type: ignore[method-assign]
    return spent


FIRST_READ = "FOR d IN FULLTEXT(files, 'path', 'album7') LIMIT 1 RETURN d._key"


def _committed(path: str, size: int) -> tuple[Any, Any]:
    """An engine on a fresh data directory ``path`` and its ``_system`` database, where a
    collection ``files`` holds ``size`` committed file-like documents."""
    from arangolite.storage.engine import Engine

    engine = Engine(path)
    db = engine.database("_system")
    db.create_collection("files")
    trx = db.begin(write=["files"])
    handle = trx.collection("files")
    for doc in make_docs(size):
        handle.insert(doc)
    trx.commit()
    return engine, db


def first_read_once(size: int, spent: list[float]) -> tuple[float, float, float]:
    """``(first read seconds, seconds of it with the lock let go, the next read's seconds)`` of
    a fulltext index on a collection of ``size`` documents."""
    from arangolite.aql.executor import execute

    path = tempfile.mkdtemp(prefix="bench-first-read-")
    try:
        engine, db = _committed(path, size)
        db.ensure_index("files", {"type": "fulltext", "fields": ["path"]})
        timings = []
        for _ in range(2):
            spent[0] = 0.0
            start = time.perf_counter()
            with engine.lock:  # as a request holds it
                execute(db, FIRST_READ)
            timings.append((time.perf_counter() - start, spent[0]))
        engine.close()
        return timings[0][0], timings[0][1], timings[1][0]
    finally:
        shutil.rmtree(path, ignore_errors=True)


def build_once(size: int, spent: list[float]) -> tuple[float, float]:
    """``(build seconds, seconds making its rows with the lock let go)`` of one persistent index
    on a collection of ``size`` documents."""

    path = tempfile.mkdtemp(prefix="bench-index-")
    try:
        engine, db = _committed(path, size)
        spent[0] = 0.0
        start = time.perf_counter()
        with engine.lock:  # as a request holds it
            db.ensure_index("files", {"type": "persistent", "fields": ["size"]})
        took = time.perf_counter() - start
        engine.close()
        return took, spent[0]
    finally:
        shutil.rmtree(path, ignore_errors=True)


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
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--index", action="store_true", help="an index build, not a commit")
    kind.add_argument("--first-read", action="store_true",
                      help="the first read of a fulltext index on disk, not a commit")
    args = parser.parse_args()
    if args.first_read:
        spent = _timed_gap()
        for size in (int(s) for s in args.sizes.split(",")):
            took, ahead, again = min(first_read_once(size, spent) for _ in range(args.repeat))
            locked = took - ahead
            print(
                f"first read {size:>9,} docs  {took:7.3f} s  with the lock let go {ahead:6.3f} s"
                f"  under the lock {locked:6.3f} s ({locked / took:.2f} of it);"
                f" the next read {again * 1000:6.1f} ms"
            )
        return
    spent = _timed_build() if args.index else _timed_prepare()
    once, what = (build_once, "index build") if args.index else (commit_once, "commit")
    for size in (int(s) for s in args.sizes.split(",")):
        took, ahead = min(once(size, spent) for _ in range(args.repeat))
        locked = took - ahead
        print(
            f"{what} {size:>9,} docs  {took:7.3f} s  made with the lock let go {ahead:6.3f} s"
            f"  under the lock {locked:6.3f} s ({locked / took:.2f} of it)"
        )


if __name__ == "__main__":
    main()
