"""No request waits behind an unrelated slow query (issue 10), over the loopback server.

A slow query (a loop that keeps the CPU busy, ended by its ``maxRuntime``; ``SLEEP`` would not do,
as it lets the engine lock go while it sleeps) runs in one client thread; once ``/_api/query/current`` lists it, another
client reads one document. The point read must complete while the slow query is provably still
running: right after the read returns, ``/_api/query/current`` still lists the slow query. No
timing is asserted. The read is served without the engine lock the query holds
(``storage.lockfree``), on the in-memory store and on a data directory; before, it waited for
the query to end.

On a data directory a read-only AQL query runs without the engine lock too, on a snapshot of its
own (``storage.snapshot_read``): another client's read-only query and a document insert complete
while the slow query still runs. In memory AQL queries keep the lock (docs/storage.md), so there
that test is an expected failure.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from arango import ArangoClient
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError

from arangolite.server import ArangoliteServer, serve

SLOW = "FOR i IN 1..1e12 FILTER i < 0 RETURN i"


@pytest.fixture(params=["memory", "disk"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StandardDatabase]:
    srv: ArangoliteServer = serve(0, None if request.param == "memory" else str(tmp_path))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield ArangoClient(hosts=f"http://127.0.0.1:{srv.server_address[1]}").db("_system")
    finally:
        srv.shutdown()
        srv.server_close()
        srv.engine.close()


def _running(db: StandardDatabase) -> list[str]:
    return [q["id"] for q in db.aql.queries() if q["query"] == SLOW]


def test_a_point_read_completes_while_a_slow_query_runs(served: StandardDatabase) -> None:
    served.create_collection("c").insert({"_key": "k", "v": 1})
    def run_slow() -> None:
        with contextlib.suppress(AQLQueryExecuteError):  # killed, or stopped by its maxRuntime
            list(served.aql.execute(SLOW, max_runtime=4))

    slow = threading.Thread(target=run_slow, daemon=True)
    slow.start()
    while not _running(served):  # listed without the engine lock
        time.sleep(0.01)
    try:
        assert served.collection("c").get("k")["v"] == 1
        still = _running(served)
        assert still, "the point read returned only after the slow query had ended"
    finally:
        for query_id in _running(served):
            served.aql.kill(query_id)
        slow.join()


def test_a_query_and_an_insert_complete_while_a_slow_query_runs(
    served: StandardDatabase, request: pytest.FixtureRequest
) -> None:
    if "memory" in request.node.name:
        request.applymarker(pytest.mark.xfail(
            reason="in memory, AQL queries keep the engine lock (docs/storage.md)", strict=True
        ))
    coll = served.create_collection("c")
    coll.add_index({"type": "persistent", "fields": ["v"]})
    coll.insert_many([{"_key": f"k{i}", "v": i % 5} for i in range(50)])

    def run_slow() -> None:
        with contextlib.suppress(AQLQueryExecuteError):  # killed, or stopped by its maxRuntime
            list(served.aql.execute(SLOW, max_runtime=4))

    slow = threading.Thread(target=run_slow, daemon=True)
    slow.start()
    while not _running(served):
        time.sleep(0.01)
    try:
        counts = list(served.aql.execute(
            "FOR d IN @@c COLLECT v = d.v WITH COUNT INTO n RETURN [v, n]", bind_vars={"@c": "c"}
        ))
        assert counts == [[v, 10] for v in range(5)]
        assert _running(served), "the read-only query returned only after the slow query had ended"
        coll.insert({"_key": "new", "v": 9})
        assert _running(served), "the insert returned only after the slow query had ended"
        assert list(served.aql.execute("FOR d IN c FILTER d.v == 9 RETURN d._key")) == ["new"]
        assert _running(served)
    finally:
        for query_id in _running(served):
            served.aql.kill(query_id)
        slow.join()
