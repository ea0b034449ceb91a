"""Benchmark check_naming on a generated tree of 1,000 modules (target: under 2 s).

Not a test. Run from the repository root::

    python bench/bench_check_naming.py [--modules 1000] [--repeat 3]

Each generated persistence module holds three query constants, an Operations class and its
``.aql.execute`` calls, so every rule, the AQL parser included, does real work.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / ".github" / "skills" / "layer-persistence" / "scripts"
sys.path.insert(0, str(SCRIPTS))

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


def main() -> int:
    """Generate the tree, time check() in process and the CLI end to end, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.modules)
        files = len(list(root.rglob("*.py")))
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = check(root)
            timings.append(time.perf_counter() - start)
        start = time.perf_counter()
        cli = subprocess.run(
            [sys.executable, str(SCRIPTS / "check_naming.py"), "--path", tmp],
            capture_output=True,
            text=True,
            check=False,
        )
        cli_seconds = time.perf_counter() - start
    print(
        f"modules: {files}, findings: {len(result.findings)} (expected 0), CLI exit {cli.returncode}"
    )
    print(
        f"check() in process: best {min(timings):.3f}s, runs {', '.join(f'{t:.3f}' for t in timings)}"
    )
    print(f"check_naming.py end to end (interpreter start included): {cli_seconds:.3f}s")
    verdict = "OK" if min(timings) < 2.0 else "SLOWER THAN TARGET"
    print(f"target < 2.000s: {verdict}")
    return 0 if not result.findings and cli.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
