"""Long fuzz run: the CI fuzz suites' cases by the hundred thousand, counting answers and 500s.

Run: ``python bench/bench_fuzz.py [--cases 200000] [--minutes 60] [--seed 1]``

Half the cases are AQL queries (``tests/arangolite/fuzz_cases.queries``: every registered function
with random arguments, loops, COLLECT, writes, mangled text, over a collection of arbitrary JSON
values with a persistent index), half are REST requests (random routes, segments, parameters,
headers and bodies). Each must get an answer ArangoDB could give: strict JSON, and no internal
error or 500 (other than the resource limit, errorNum 32, which ArangoDB also sends with 500).
Prints the number of cases run, the answers by status, and every distinct failure cause with
one example; exits 1 when any failure was found.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hyp_seed

from tests.arangolite.fuzz_cases import (
    Tally,
    fresh_engine,
    problem,
    queries,
    rest_requests,
    send,
)

_ROUND = 1000


class _OutOfTime(BaseException):
    """The time limit passed mid-round (a BaseException: hypothesis lets it through)."""


def run(kind: str, cases: int, seed: int, tally: Tally, statuses: Counter[str], deadline: float) -> None:
    """Run ``cases`` cases of ``kind`` ("aql" or "rest") on a fresh engine, until ``deadline``."""
    engine = fresh_engine([None, True, 0, -1.5, 1e308, "a", "", [1, "b"], {"c": [None]}, 2**64 - 1])
    strategy: Any = queries() if kind == "aql" else rest_requests()

    @hyp_seed(seed)
    @settings(max_examples=cases, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def one(case: Any) -> None:
        if time.monotonic() > deadline:
            raise _OutOfTime
        if kind == "aql":
            text, binds = case
            response = send(engine, "POST", "/_api/cursor", json.dumps({"query": text, "bindVars": binds}))
            example = text
        else:
            method, path, body, headers = case
            response = send(engine, method, path, body, headers)
            example = f"{method} {path} {body[:120]!r} {headers}"
        statuses[f"{kind} {response.status}"] += 1
        found = problem(response)
        tally.record(f"{kind}: {found}" if found else None, example)

    try:
        one()
    except _OutOfTime:
        pass
    finally:
        engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    started = time.monotonic()
    deadline = started + args.minutes * 60  # checked before every case
    tally, statuses = Tally(), Counter[str]()
    round_ = 0
    while tally.cases < args.cases and time.monotonic() < deadline:  # both kinds, round by round
        kind = ("aql", "rest")[round_ % 2]
        run(kind, min(_ROUND, args.cases - tally.cases), args.seed * 100_000 + round_, tally, statuses,
            deadline)
        round_ += 1
        print(f"... {tally.cases} cases, {tally.failure_count} failures, "
              f"{time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    elapsed = time.monotonic() - started
    stopped = "" if tally.cases >= args.cases else f" (stopped by --minutes {args.minutes:g} before {args.cases})"
    print(f"{tally.cases} cases in {elapsed:.0f} s ({tally.cases / elapsed:.1f}/s){stopped}; "
          f"failures: {tally.failure_count} ({len(tally.failures)} causes)")
    print("answers:", ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    for cause, example in tally.failures.items():
        print(f"- {cause}\n    e.g. {example}")
    sys.exit(1 if tally.failures else 0)


if __name__ == "__main__":
    main()
