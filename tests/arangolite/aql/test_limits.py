"""maxRuntime, memoryLimit, the server-wide defaults, and killing queries listed as running."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError

from arangolite.aql import limits

ENDLESS = "FOR i IN 1..1e15 FILTER i < 0 RETURN i"


def _error(db: StandardDatabase, query: str, **kwargs: object) -> AQLQueryExecuteError:
    with pytest.raises(AQLQueryExecuteError) as info:
        list(db.aql.execute(query, **kwargs))  # type: ignore[arg-type]
    return info.value


@pytest.fixture
def defaults() -> Iterator[None]:
    yield
    limits.set_defaults()


def test_max_runtime_kills_with_1500(db: StandardDatabase) -> None:
    err = _error(db, ENDLESS, max_runtime=0.2)
    assert (err.error_code, err.http_code, err.error_message) == (1500, 410, "query killed")


def test_max_runtime_stops_sleep(db: StandardDatabase) -> None:
    started = time.monotonic()
    assert _error(db, "RETURN SLEEP(60)", max_runtime=0.1).error_code == 1500
    assert time.monotonic() - started < 30  # not the 60 s asked for


def test_killed_write_leaves_nothing(db: StandardDatabase) -> None:
    coll = db.create_collection("w")
    err = _error(db, "FOR i IN 1..1e12 INSERT {i} INTO w", max_runtime=0.3)
    assert err.error_code == 1500 and coll.count() == 0
    coll.insert({"_key": "after"})  # the collection is usable: no key stays locked
    assert coll.count() == 1


def test_memory_limit_stops_with_32(db: StandardDatabase) -> None:
    err = _error(db, "FOR i IN 1..1e8 RETURN i", memory_limit=20_000_000)
    assert (err.error_code, err.http_code) == (32, 500)
    assert err.error_message == "query would use more memory than allowed"
    err = _error(db, "RETURN LENGTH(1..5000000)", memory_limit=1_000_000)  # charged up front
    assert err.error_code == 32
    assert list(db.aql.execute("RETURN LENGTH(1..1000)", memory_limit=1_000_000)) == [1000]


def test_server_wide_defaults(db: StandardDatabase, defaults: None) -> None:
    limits.set_defaults(memory_limit=1_000_000, max_runtime=0.2)
    assert _error(db, "RETURN LENGTH(1..5000000)").error_code == 32
    assert _error(db, ENDLESS).error_code == 1500
    # a query's own options win over the defaults
    assert list(db.aql.execute("RETURN LENGTH(1..200000)", memory_limit=100_000_000)) == [200000]


def test_bad_limit_options_are_400(db: StandardDatabase) -> None:
    err = _error(db, "RETURN 1", max_runtime="soon")  # type: ignore[arg-type]
    assert (err.error_code, err.http_code) == (10, 400)


def test_running_queries_are_listed_and_killed(db: StandardDatabase) -> None:
    seen: list[dict[str, object]] = []

    def kill_it() -> None:
        deadline = time.monotonic() + 20
        while not seen and time.monotonic() < deadline:
            seen.extend(q for q in db.aql.queries() if q["query"] == ENDLESS)
            time.sleep(0.02)
        assert db.version()  # answered while the query runs
        db.aql.kill(str(seen[0]["id"]))

    killer = threading.Thread(target=kill_it)
    killer.start()
    err = _error(db, ENDLESS)
    killer.join()
    assert err.error_code == 1500
    assert seen[0]["state"] == "executing" and seen[0]["database"] == db.name
    assert db.aql.queries() == []


def test_killing_an_unknown_query_is_1591(db: StandardDatabase) -> None:
    from arango.exceptions import AQLQueryKillError

    with pytest.raises(AQLQueryKillError) as info:
        db.aql.kill("424242")
    assert info.value.error_code == 1591


def test_stats_report_peak_memory(db: StandardDatabase) -> None:
    cursor = db.aql.execute("RETURN LENGTH(1..100000)", memory_limit=100_000_000)
    assert list(cursor) == [100000]
    assert cursor.statistics()["peak_memory_usage"] >= 1_600_000
