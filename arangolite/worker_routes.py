"""Which worker a request belongs to under ``arangolite serve --workers N``.

A request naming a cursor, stream transaction, async job or running query goes to the worker
whose id it carries (:mod:`arangolite.ids`); lists of such things are gathered from every
worker; settings kept per process (query tracking, the query caches) and bulk deletes of jobs
and slow queries are applied in every worker. Everything else is served where it arrives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from arangolite import ids
from arangolite.rest.router import split_database

__all__ = ["LOCAL_HEADER", "Route", "route"]

#: Set on requests one worker sends another: the receiver serves them itself.
LOCAL_HEADER = "x-arangolite-local"

Kind = Literal["local", "owner", "gather", "broadcast"]


@dataclass(frozen=True)
class Route:
    """Where to serve a request: ``owner`` names a worker index for kind ``owner``."""

    kind: Kind
    owner: int = 0


_LOCAL = Route("local")
_ID_PATHS = (
    re.compile(r"/_api/cursor/(\d+)(?:/\d+)?"),
    re.compile(r"/_api/transaction/(\d+)"),
    re.compile(r"/_api/job/(\d+)(?:/cancel)?"),
)
_QUERY_ID = re.compile(r"/_api/query/(\d+)")
_GATHER = {
    ("GET", "/_api/job/done"), ("GET", "/_api/job/pending"),
    ("GET", "/_api/query/current"), ("GET", "/_api/query/slow"),
}
_BROADCAST = {
    ("DELETE", "/_api/job/all"), ("DELETE", "/_api/job/expired"),
    ("DELETE", "/_api/query/slow"), ("PUT", "/_api/query/properties"),
    ("PUT", "/_api/query-cache/properties"), ("DELETE", "/_api/query-cache"),
    ("DELETE", "/_api/query-plan-cache"),
}


def route(method: str, path: str, headers: dict[str, str]) -> Route:
    """Where ``method path`` (the URL path, ``/_db/<name>`` prefix allowed) is served;
    ``headers`` have lower-case names."""
    if ids.count() == 1 or headers.get(LOCAL_HEADER):
        return _LOCAL
    trx = ids.owner(headers.get("x-arango-trx-id"))
    if trx is not None:
        return _to(trx)
    _, rest = split_database(path)
    rest = rest.rstrip("/") or "/"
    for pattern in _ID_PATHS:
        found = pattern.fullmatch(rest)
        if found:
            return _to(ids.owner(found.group(1)))
    if method == "DELETE":
        found = _QUERY_ID.fullmatch(rest)
        if found:
            return _to(ids.owner(found.group(1)))
    if (method, rest) in _GATHER:
        return Route("gather")
    if (method, rest) in _BROADCAST:
        return Route("broadcast")
    return _LOCAL


def _to(owner: int | None) -> Route:
    if owner is None or owner == ids.index():
        return _LOCAL
    return Route("owner", owner)
