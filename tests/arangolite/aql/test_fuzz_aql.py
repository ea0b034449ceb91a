"""Fuzzing the AQL parser, compiler and evaluator: every query gets an answer ArangoDB could give.

Generated queries (expressions over arbitrary JSON values, every registered function with
random arguments, loops, COLLECT, writes, and mangled text) run against a collection of arbitrary
values with a persistent index. None may end in an internal error, a 500, or a body that is not
strict JSON. ``bench/bench_fuzz.py`` runs the same cases in the hundreds of thousands.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.arangolite.fuzz_cases import fresh_engine, json_values, problem, queries, send

_ENGINE = None


def _engine() -> Any:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = fresh_engine([None, True, 0, -1.5, 1e308, "a", "", [1, "b"], {"c": [None]}, 2**64 - 1])
    return _ENGINE


@settings(max_examples=1000, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(queries())
def test_every_query_gets_an_arangodb_answer(case: tuple[str, dict[str, Any]]) -> None:
    query, binds = case
    response = send(_engine(), "POST", "/_api/cursor", json.dumps({"query": query, "bindVars": binds}))
    assert problem(response) is None, (query, binds, response.text()[:300])


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(json_values, max_size=8), json_values)
def test_stored_values_round_trip(values: list[Any], probe: Any) -> None:
    engine = fresh_engine(values)
    try:
        response = send(engine, "POST", "/_api/cursor", json.dumps(
            {"query": "FOR d IN docs FILTER d.a == @p OR d.a < @p SORT d.a RETURN d.a", "bindVars": {"p": probe}}
        ))
        assert problem(response) is None, response.text()[:300]
    finally:
        engine.close()
