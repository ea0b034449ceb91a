"""REST bodies ArangoDB refuses are refused with its error, never stored and never a 500."""

from __future__ import annotations

import json

import pytest
from arango.database import StandardDatabase
from arango.exceptions import DocumentInsertError

from tests.arangolite.rest.conftest import Raw


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), 10**400])
def test_python_arango_default_serializer_values_are_refused(db: StandardDatabase, value: object) -> None:
    coll = db.create_collection("n")
    with pytest.raises(DocumentInsertError) as info:
        coll.insert({"a": value})  # python-arango sends NaN / Infinity / 400 digits as they are
    assert (info.value.http_code, info.value.error_code) == (400, 600)
    assert coll.count() == 0


def test_integers_beyond_64_bits_become_doubles(db: StandardDatabase, raw: Raw) -> None:
    db.create_collection("n")
    resp = raw("post", "/_api/document/n", data='{"_key": "big", "a": 123456789012345678901234567890}')
    assert resp.status_code == 202 or resp.status_code == 201
    assert db.collection("n").get("big")["a"] == 1.2345678901234568e29
    assert list(db.aql.execute("RETURN DOCUMENT('n/big').a + 1")) == [1.2345678901234568e29]


@pytest.mark.parametrize(
    ("endpoint", "body"),
    [
        ("/_api/document/n", '{"a": "\\ud800"}'),
        ("/_api/document/n", '[{"a": NaN}]'),
        ("/_api/document/n", '{"a": ' * 10_000 + "1" + "}" * 10_000),
        ("/_api/cursor", '{"query": "RETURN @v", "bindVars": {"v": ' + "[" * 10_000 + "]" * 10_000 + "}}"),
        ("/_api/cursor", '{"query": "RETURN 1", "batchSize": Infinity}'),
        ("/_api/cursor", '{"query": "RETURN 1", "batchSize": NaN}'),
        ("/_api/import?collection=n&type=list", '[{"a": -Infinity}]'),
    ],
)
def test_bodies_refused_with_600(db: StandardDatabase, raw: Raw, endpoint: str, body: str) -> None:
    db.create_collection("n")
    resp = raw("post", endpoint, data=body)
    assert (resp.status_code, resp.error_code) == (400, 600), resp.body
    assert db.collection("n").count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"query": "RETURN 1", "options": "fullCount"},
        {"query": "RETURN 1", "options": ["fullCount"]},
        {"query": "RETURN 1", "ttl": "30"},
        {"query": "RETURN 1", "ttl": [1]},
        {"query": "RETURN 1", "batchSize": 1e300},
        {"query": "RETURN 1", "batchSize": "10"},
        {"query": "RETURN 1", "options": {"maxRuntime": "1"}},
        {"query": "RETURN 1", "memoryLimit": -5},
    ],
)
def test_bad_cursor_options_are_400(raw: Raw, body: dict[str, object]) -> None:
    resp = raw("post", "/_api/cursor", data=json.dumps(body))
    assert (resp.status_code, resp.error_code) == (400, 10), resp.body


@pytest.mark.parametrize(
    ("endpoint", "body", "error_num"),
    [  # found by bench_fuzz.py --seed 57 (a gharial body with list options): each was a 500
        ("/_api/gharial", {"name": "g", "options": [{}, []]}, 10),
        ("/_api/gharial", {"name": "g", "options": "x"}, 10),
        ("/_api/explain", {"query": "RETURN 1", "options": [1]}, 10),
        ("/_api/explain", {"query": "RETURN @a", "bindVars": ["a"]}, 1550),
        ("/_api/explain", {"query": "RETURN @a", "bindVars": "a"}, 1550),
    ],
)
def test_options_and_bind_variables_that_are_not_objects_are_400(
    raw: Raw, endpoint: str, body: dict[str, object], error_num: int
) -> None:
    resp = raw("post", endpoint, data=json.dumps(body))
    assert (resp.status_code, resp.error_code) == (400, error_num), resp.body


@pytest.mark.parametrize("query", ["RETURN DATE_ISO8601(2020, 1)", "RETURN DATE_TIMESTAMP(null, null)"])
def test_a_date_of_year_and_month_alone_is_null_with_a_warning(db: StandardDatabase, query: str) -> None:
    cursor = db.aql.execute(query)  # was 500 (found by bench_fuzz --seed 57)
    assert list(cursor) == [None]
    assert [w["code"] for w in cursor.warnings()] == [1572]
