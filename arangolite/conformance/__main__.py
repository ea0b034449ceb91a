"""``python -m arangolite.conformance CORPUS.jsonl --datasets DIR [--url URL]``.

Prints one line per failing record and ends with ``N passed, M failed``. Exits 1 when the pass
rate is below ``--min-pass-rate`` (default 0), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from arango.client import ArangoClient

from arangolite.conformance.runner import run_corpus


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m arangolite.conformance",
        description="Run ArangoDB's recorded AQL examples against arangolite (or a real server).",
    )
    parser.add_argument("corpus", type=Path, help="the AQL corpus, JSON lines")
    parser.add_argument("--datasets", type=Path, required=True, help="folder of <dataset>.json")
    parser.add_argument("--url", help="run against this real ArangoDB instead of arangolite")
    parser.add_argument("--username", default="root")
    parser.add_argument("--password", default="")
    parser.add_argument("--min-pass-rate", type=float, default=0.0,
                        help="exit 1 when passed/(passed+failed) is below this (0..1)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = _parser().parse_args(argv)
    if not args.corpus.is_file() or not args.datasets.is_dir():
        print(f"error: corpus {args.corpus} or datasets folder {args.datasets} not found", file=sys.stderr)
        return 2
    if args.url:
        client = ArangoClient(hosts=args.url)
    else:
        from arangolite import InProcessHTTPClient

        client = ArangoClient(hosts="http://arangolite", http_client=InProcessHTTPClient())
    outcomes = run_corpus(args.corpus, args.datasets, client, args.username, args.password)
    for outcome in outcomes:
        if not outcome.passed:
            print(f"FAIL {outcome.name}: {outcome.reason}")
    passed = sum(o.passed for o in outcomes)
    failed = len(outcomes) - passed
    print(f"{passed} passed, {failed} failed")
    rate = passed / len(outcomes) if outcomes else 0.0
    return 1 if rate < args.min_pass_rate else 0


if __name__ == "__main__":
    sys.exit(main())
