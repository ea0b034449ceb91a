"""arangolite: an embedded ArangoDB-compatible engine for python-arango.

``connect()`` gives a python-arango ``StandardDatabase`` backed by an in-process engine (a data
directory, or memory); ``InProcessHTTPClient`` plugs the engine into any ``ArangoClient``.
"""

from __future__ import annotations

from typing import Any

from arangolite.client import InProcessHTTPClient
from arangolite.storage.engine import Engine

__all__ = ["Engine", "InProcessHTTPClient", "connect"]

_HOST = "http://arangolite.invalid"


def connect(
    path: str | None = None,
    db_name: str = "_system",
    create: bool = True,
    *,
    engine: Engine | None = None,
) -> Any:
    """A python-arango ``StandardDatabase`` on an embedded engine.

    Args:
        path: data directory (created when missing); None for an in-memory engine.
        db_name: database to open.
        create: create the database when it does not exist.
        engine: serve from this engine instead of opening ``path``.
    """
    from arango.client import ArangoClient

    client = ArangoClient(hosts=_HOST, http_client=InProcessHTTPClient(path, engine))
    if db_name != "_system" and create:
        sys_db = client.db("_system")
        if not sys_db.has_database(db_name):
            sys_db.create_database(db_name)
    return client.db(db_name)
