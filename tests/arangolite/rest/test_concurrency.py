"""Many threads calling one in-process engine at once."""

from __future__ import annotations

import threading

from arango.client import ArangoClient
from arango.exceptions import DocumentUpdateError

from arangolite.client import InProcessHTTPClient
from arangolite.storage.engine import Engine


def test_parallel_writers_and_readers(engine: Engine) -> None:
    client = ArangoClient(
        hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=engine)
    )
    db = client.db("_system")
    coll = db.create_collection("c")
    coll.insert({"_key": "hot", "n": 0})
    errors: list[BaseException] = []
    conflicts = [0]

    def worker(wid: int) -> None:
        try:
            mine = client.db("_system").collection("c")
            for i in range(100):
                mine.insert({"_key": f"w{wid}-{i}", "w": wid})
                trx = client.db("_system").begin_transaction(write="c")
                try:
                    trx.collection("c").update({"_key": "hot", "n": i})
                    trx.commit_transaction()
                except DocumentUpdateError as exc:
                    assert exc.error_code == 1200
                    conflicts[0] += 1
                    trx.abort_transaction()
            total = next(iter(client.db("_system").aql.execute("RETURN LENGTH(c)")))
            assert total >= 100
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert coll.count() == 801
    assert db.list_transactions() == []
