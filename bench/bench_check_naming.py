"""Benchmark check_naming on a generated tree of 1,000 modules, as ratios to plain ast.parse.

Not a test. Run from the repository root::

    python bench/bench_check_naming.py [--modules 1000] [--repeat 5] [--no-lint]

Each generated persistence module holds three query constants, an Operations class and its
``.aql.execute`` calls, so every rule, the AQL parser included, does real work. Measured in one
run, in ``--repeat`` rounds that each time the baseline, the cold and the warm run back to back
(so load that drifts during the run weighs on all three alike), best of the rounds each:

- baseline: reading and ``ast.parse``-ing every module, nothing else;
- cold: ``check()`` with an empty cache directory and no in-process cache either (target: at
  most 4x the baseline);
- warm: ``check()`` again with no file changed (target: at most 1.5x the baseline);
- lint.py on the repository: its wall time against the sum of its tools' times (target 0.6x).

Wall-time ratios are the targets; the CPU time of the benchmark's own process is printed beside
them because on a shared machine other processes stretch wall times unevenly.
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / ".github" / "skills" / "layer-persistence" / "scripts"
sys.path.insert(0, str(SCRIPTS))

from layerlint.naming.cache import ResultCache, checker_version  # noqa: E402
from layerlint.naming.engine import check  # noqa: E402

_MODULE = '''"""Queries of {name}."""

from typing import Any

# bind: key -> one document
GET = "FOR d IN {name} FILTER d._key == @key RETURN d"
# bind: status, limit -> documents
BY_STATUS = "FOR d IN {name} FILTER d.status == @status SORT d.mtime DESC LIMIT @limit RETURN d"
# bind: doc -> the new document
INSERT = "INSERT @doc INTO {name} RETURN NEW"


class {cls}Operations:
    """Operations on {name}."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def get(self, key: str) -> Any:
        return self._db.aql.execute(GET, bind_vars={{"key": key}})

    def by_status(self, status: str, limit: int) -> Any:
        bind = {{"status": status}}
        bind["limit"] = limit
        return self._db.aql.execute(BY_STATUS, bind_vars=bind)

    def insert(self, doc: dict[str, Any]) -> Any:
        return self._db.aql.execute(INSERT, bind_vars={{"doc": doc}})
'''

_SERVICE = '''"""A caller of {name}."""

from nomarr.persistence.db import Database


def run(db: Database) -> int:
    return len(list(db.{name}.by_status("pending", 10)))
'''


def generate(root: Path, modules: int) -> None:
    """Write a tree with ``modules`` modules: 80% persistence, 20% services."""
    database = root / "nomarr" / "persistence" / "database"
    services = root / "nomarr" / "services"
    database.mkdir(parents=True)
    services.mkdir(parents=True)
    persistence_count = modules * 4 // 5
    names = [f"coll_{i:04d}" for i in range(persistence_count)]
    for name in names:
        cls = "".join(part.title() for part in name.split("_"))
        (database / f"{name}_aql.py").write_text(_MODULE.format(name=name, cls=cls))
    for i in range(modules - persistence_count - 1):
        (services / f"svc_{i:04d}.py").write_text(_SERVICE.format(name=names[i % len(names)]))
    specs = "\n".join(f'    CollectionSpec("{n}"),' for n in names)
    (root / "nomarr" / "persistence" / "schema.py").write_text(f"COLLECTIONS = (\n{specs}\n)\n")


def forget_process_caches() -> None:
    """Empty what a new check_naming process would not have: the checker's version hash and
    arangolite's parse cache (an LRU of recent query texts), so no run profits from the last."""
    checker_version.cache_clear()
    driver = sys.modules.get("arangolite.aql.parser.driver")
    if driver is not None:
        driver._parse_cached.cache_clear()


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU time (this process) of one call of ``fn``."""
    start, start_cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - start_cpu


def interleaved(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[tuple[float, float]]]:
    """``repeat`` rounds, each timing every function once, one right after the other: load that
    drifts during the run then weighs on the baseline and the contenders alike, instead of on
    whichever phase it fell in."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            times[name].append(timed(fn))
    return times


def lint_ratio() -> tuple[float, float, float]:
    """Run lint.py on the repository; return its wall time, the tools' sum and the ratio."""
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / "lint.py"), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(proc.stdout)
    wall, total = report["wall_seconds"], report["tool_seconds"]
    return wall, total, wall / total


def main() -> int:
    """Generate the tree, time baseline, cold and warm runs (and lint.py), print the ratios."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-lint", action="store_true", help="skip the lint.py measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "tree"
        generate(root, args.modules)
        files = sorted(root.rglob("*.py"))
        cache_dir = Path(tmp) / "cache"

        def parse_all() -> None:
            for file in files:
                ast.parse(file.read_bytes())

        def cold() -> object:
            shutil.rmtree(cache_dir, ignore_errors=True)
            forget_process_caches()
            return check(root, cache=ResultCache(cache_dir))

        def warm() -> object:
            forget_process_caches()
            return check(root, cache=ResultCache(cache_dir))

        result = check(root)  # imports and the AQL grammar loaded before any timing
        times = interleaved({"baseline": parse_all, "cold": cold, "warm": warm}, args.repeat)
        baseline, baseline_cpu = (min(t[i] for t in times["baseline"]) for i in (0, 1))
        cold_s, cold_cpu = (min(t[i] for t in times["cold"]) for i in (0, 1))
        warm_s, warm_cpu = (min(t[i] for t in times["warm"]) for i in (0, 1))
        rounds = [c[0] / b[0] for b, c in zip(times["baseline"], times["cold"], strict=True)]
        start = time.perf_counter()
        cli = subprocess.run(
            [sys.executable, str(SCRIPTS / "check_naming.py"), "--path", str(root), "--no-cache"],
            capture_output=True,
            text=True,
            check=False,
        )
        cli_seconds = time.perf_counter() - start
    print(
        f"modules: {len(files)}, findings: {len(result.findings)} (expected 0), CLI exit {cli.returncode}"
    )
    print(f"baseline ast.parse of every module: {baseline:.3f}s")
    print(
        f"check_naming cold (empty cache): {cold_s:.3f}s = {cold_s / baseline:.2f}x baseline (target <= 4x)"
    )
    print(
        f"check_naming warm (no change):   {warm_s:.3f}s = {warm_s / baseline:.2f}x baseline (target <= 1.5x)"
    )
    print(f"cold / baseline per round (each pair timed back to back): "
          f"{', '.join(f'{r:.2f}x' for r in rounds)}; median {statistics.median(rounds):.2f}x")
    print(
        f"CPU time of this process (less sensitive to other load on the machine): baseline "
        f"{baseline_cpu:.3f}s, cold {cold_cpu / baseline_cpu:.2f}x, warm {warm_cpu / baseline_cpu:.2f}x"
    )
    print(f"check_naming.py end to end, no cache, interpreter start included: {cli_seconds:.3f}s")
    if not args.no_lint:
        wall, total, ratio = lint_ratio()
        print(
            f"lint.py on the repository: wall {wall:.2f}s, sum of tools {total:.2f}s = {ratio:.2f}x (target <= 0.6x)"
        )
    return 0 if not result.findings and cli.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
