"""Which lease of a stream transaction a request takes (``storage.stream_lease``), before the
engine lock.

As in ArangoDB: a request running in a stream transaction (its ``x-arango-trx-id``, on a
route that takes part in stream transactions: ``Router.add(..., in_stream=True)``) that only
reads documents (``GET`` and ``HEAD``, a batch read ``PUT /_api/document/<coll>?onlyget=true``)
shares the lease with other readers; every other one (writes, AQL cursors, whose transaction
context ArangoDB always leases for writing) takes it alone. Commit (``PUT
/_api/transaction/<id>``) and abort (``DELETE``) take it alone too, whether or not they carry the
header; status and listing take none. Other routes ignore the header and take no lease.
"""

from __future__ import annotations

from urllib.parse import unquote

from arangolite.rest.http import Request
from arangolite.storage.engine import Engine
from arangolite.storage.stream_lease import Lease

__all__ = ["Taken", "give_back", "take"]

_TRANSACTION = "/_api/transaction"
_ENDINGS = {"PUT": "commit", "DELETE": "abort"}

Taken = tuple[Lease, bool] | None  # the lease and whether it is held alone


def take(engine: Engine, request: Request, trx_id: str = "") -> Taken:
    """The lease ``request`` needs, taken (waiting without the engine lock), or None
    (``trx_id``: the stream transaction it runs in, if any)."""
    path = request.path
    if path.startswith(_TRANSACTION):
        ending = _ENDINGS.get(request.method)
        tid = path[len(_TRANSACTION) + 1:]
        if ending is None or not path.startswith(_TRANSACTION + "/") or "/" in tid:
            return None
        return _take(engine, request, unquote(tid), write=True, ending=ending)
    if not trx_id:
        return None
    return _take(engine, request, trx_id, write=not _reads_only(request))


def _take(engine: Engine, request: Request, tid: str, *, write: bool, ending: str = "") -> Taken:
    # a transaction of another database is not found there (1655): its lease is not waited for;
    # never wait for a lease holding the engine lock (should this thread hold it)
    lease = engine.streams.take(
        tid, request.db_name, write=write, ending=ending, waiting=engine.lock.released
    )
    return None if lease is None else (lease, write)


def _reads_only(request: Request) -> bool:
    if request.method in ("GET", "HEAD"):
        return True
    return (
        request.method == "PUT"
        and request.path.startswith("/_api/document/")
        and request.flag("onlyget")
    )


def give_back(engine: Engine, taken: Taken) -> None:
    """End the request's use of the lease it took."""
    if taken is not None:
        engine.streams.give_back(taken[0], write=taken[1])
