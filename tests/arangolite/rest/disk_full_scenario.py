"""Every kind of write against a data directory that cannot grow, through python-arango.

Shared by the loopback-server and the in-process test of ``test_disk_full.py``. ``run`` sets up
documents, an index, a graph and a second database, makes the disk "full" with ``fill(True)``,
tries each write and checks that it failed with ArangoDB's error and changed nothing, then frees
the space with ``fill(False)`` and writes again. Run as a script (``python disk_full_scenario.py
DATA_DIR``) it does the same on the in-process client with the file size limit (``ulimit -f``) of
its own process, and prints the outcomes as JSON.
"""

from __future__ import annotations

import json
import resource
import sys
from collections.abc import Callable
from typing import Any

from arango.database import StandardDatabase
from arango.exceptions import ArangoServerError

Outcome = dict[str, Any]


def _setup(db: StandardDatabase) -> dict[str, Any]:
    db.create_database("d2")
    c = db.create_collection("c")
    c.insert_many([{"_key": f"a{i}", "v": i} for i in range(20)])
    index = c.add_index({"type": "persistent", "fields": ["v"]})
    db.create_collection("e", edge=True)
    db.create_graph("g", edge_definitions=[
        {"edge_collection": "e", "from_vertex_collections": ["c"], "to_vertex_collections": ["c"]}
    ])
    return {"index": index["id"]}


def _writes(db: StandardDatabase, ids: dict[str, Any]) -> list[tuple[str, Callable[[], Any], Callable[[], bool]]]:
    """(name, the write, a check that nothing changed)."""
    c = db.collection("c")

    def stream_commit() -> None:
        trx = db.begin_transaction(write="c")
        trx.collection("c").insert({"_key": "t"})
        trx.commit_transaction()

    return [
        ("insert", lambda: c.insert({"_key": "new"}), lambda: not c.has("new")),
        ("update", lambda: c.update({"_key": "a1", "v": 100}), lambda: c.get("a1")["v"] == 1),
        ("aql insert", lambda: db.aql.execute("FOR i IN 1..10 INSERT {i} INTO c"),
         lambda: c.count() == 20),
        ("aql remove", lambda: db.aql.execute("FOR d IN c REMOVE d IN c"), lambda: c.count() == 20),
        ("truncate", c.truncate, lambda: c.count() == 20),
        ("stream commit", stream_commit, lambda: not c.has("t")),
        ("rename", lambda: c.rename("c9"),
         lambda: db.has_collection("c") and not db.has_collection("c9") and c.has("a1")),
        ("properties", lambda: c.configure(sync=True), lambda: c.properties()["sync"] is False),
        ("add index", lambda: c.add_index({"type": "persistent", "fields": ["w"]}), lambda: len(c.indexes()) == 2),
        ("drop index", lambda: c.delete_index(ids["index"]), lambda: len(c.indexes()) == 2),
        ("create collection", lambda: db.create_collection("n"), lambda: not db.has_collection("n")),
        ("drop collection", lambda: db.delete_collection("c"),
         lambda: db.has_collection("c") and c.count() == 20),
        ("create graph", lambda: db.create_graph("g2"), lambda: not db.has_graph("g2")),
        ("drop graph", lambda: db.delete_graph("g"), lambda: db.has_graph("g")),
        ("create database", lambda: db.create_database("d3"), lambda: "d3" not in db.databases()),
        ("drop database", lambda: db.delete_database("d2"), lambda: "d2" in db.databases()),
    ]


def run(db: StandardDatabase, fill: Callable[[bool], None]) -> list[Outcome]:
    """The outcome of each write on a full disk, then of one write after space is freed."""
    ids = _setup(db)
    fill(True)
    outcomes: list[Outcome] = []
    for name, write, unchanged in _writes(db, ids):
        outcome: Outcome = {"write": name, "errorNum": None}
        try:
            write()
        except ArangoServerError as exc:
            outcome.update(errorNum=exc.error_code, http=exc.http_code, message=exc.error_message)
        outcome["unchanged"] = unchanged()
        outcomes.append(outcome)
    fill(False)
    db.collection("c").insert({"_key": "after"})
    outcomes.append({"write": "after", "stored": db.collection("c").has("after")})
    return outcomes


def _own_file_size_limit(on: bool) -> None:
    hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024 if on else hard, hard))


if __name__ == "__main__":  # the in-process run, alone in its process because of the limit
    from arango import ArangoClient

    from arangolite.client import InProcessHTTPClient
    from arangolite.storage.engine import open_engine

    engine = open_engine(sys.argv[1])
    client = ArangoClient(hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=engine))
    result = run(client.db("_system", username="root", password=""), _own_file_size_limit)
    engine.close()
    print(json.dumps(result))
