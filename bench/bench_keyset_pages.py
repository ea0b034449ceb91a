"""Benchmark: keyset pages after an equality, as nomarr streams a library's files.

Run: ``python bench/bench_keyset_pages.py DATA_DIR [--db nomarr] [--repeat 5]``

On a nomarr data directory (one made by ``python bench/bench_pipeline.py --scale 100000
--data-dir DIR`` holds a 100,000-file library), pages of 1,000 files of its first library in
path order, each starting after the last path seen: ``FILTER f.library_key == @lib AND f.path >
@after SORT f.path LIMIT 1000`` (``LibraryFilesOperations.iter_for_library``: every rescan reads
the library this way). Printed: the best of ``--repeat`` for a page at the start, the middle and
the end of the library, and every page in turn. A page should cost the same wherever it starts.
To compare with other code, run it with that code first on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import sys
import time

from arango.client import ArangoClient

import arangolite
from arangolite.client import InProcessHTTPClient

PAGE = """
FOR f IN library_files
  FILTER f.library_key == @lib AND f.path > @after
  SORT f.path
  LIMIT 1000
  RETURN f
"""


def main(argv: list[str] | None = None) -> int:
    """Time the pages and print one line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", help="a nomarr data directory")
    parser.add_argument("--db", default="nomarr", help="database name (default nomarr)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per page, best kept (default 5)")
    args = parser.parse_args(argv)
    db = ArangoClient(hosts="http://x.invalid", http_client=InProcessHTTPClient(args.data_dir)).db(args.db)
    lib = next(iter(db.aql.execute("FOR l IN libraries SORT l._key LIMIT 1 RETURN l._key")))
    paths = list(db.aql.execute("FOR f IN library_files FILTER f.library_key == @lib SORT f.path RETURN f.path", bind_vars={"lib": lib}))

    def page(after: str) -> list[dict]:
        return list(db.aql.execute(PAGE, bind_vars={"lib": lib, "after": after}, batch_size=1000))

    out = [f"{len(paths)} files ({arangolite.__file__})"]
    for label, after in (("start", ""), ("middle", paths[len(paths) // 2]), ("end", paths[-500])):
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            page(after)
            best = min(best, time.perf_counter() - started)
        out.append(f"page at the {label} {best * 1000:.1f} ms")
    started, after, read = time.perf_counter(), "", 0
    while rows := page(after):
        read += len(rows)
        after = rows[-1]["path"]
    out.append(f"every page: {read} files in {time.perf_counter() - started:.2f} s")
    print("; ".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
