"""The AQL query results cache and the query plan cache, as ArangoDB has them.

**Results cache** (``/_api/query-cache``): its ``mode`` is ``off`` (the default), ``on`` (every
cacheable query unless it passes ``cache: false``) or ``demand`` (only queries passing
``cache: true``). A query is cacheable when it does not modify data, calls only deterministic
functions, runs outside a stream transaction and is not a streaming cursor; it touches a system
collection only with ``includeSystem``. Entries are kept per database (at most ``maxResults``,
least recently used dropped first; results bigger than ``maxEntrySize`` bytes are not stored, nor
when the database's entries would exceed ``maxResultsSize``). An entry is keyed by the query
text, its bind parameters and ``fullCount``; it is dropped as soon as any collection of its
database has changed (a conservative form of ArangoDB's per-collection invalidation: a query can
reach collections it does not name, through graphs or ``DOCUMENT()``).

**Plan cache** (``/_api/query-plan-cache``): arangolite keeps the compiled plan of every query
text (``arangolite.aql.executor.plan_for``); a query run with ``usePlanCache: true`` is listed
here with its hits (at most 128 per database, as ArangoDB's ``--query.plan-cache-max-entries``
default; the least recently used leave first), and clearing the list also drops those compiled
plans.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from arangolite.errors import BAD_PARAMETER, ArangoError
from arangolite.rest.per_engine import PerEngine
from arangolite.storage.database import Database

__all__ = ["CachedResult", "QueryCaches", "caches_of"]

_MODES = ("off", "on", "demand")
_LIMITS = {"maxResults": 128, "maxResultsSize": 268435456, "maxEntrySize": 16777216}
_MAX_PLANS = 128  # per database, ArangoDB's --query.plan-cache-max-entries default


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _hash(*parts: str) -> str:
    return str(int.from_bytes(hashlib.blake2b("\0".join(parts).encode(), digest_size=8).digest(), "big"))


def _signature(db: Database) -> tuple[tuple[str, int, int], ...]:
    """What changes whenever a collection of ``db`` is written, created, dropped or renamed."""
    return tuple((name, c.cid, c.version) for name, c in sorted(db.collections.items()))


@dataclass
class CachedResult:
    """One results-cache entry."""

    query: str
    bind_vars: dict[str, Any]
    rows: list[Any]
    stats: dict[str, Any]
    data_sources: list[str]
    signature: tuple[tuple[str, int, int], ...]
    size: int
    run_time: float
    started: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    hits: int = 0

    def to_body(self, key: str) -> dict[str, Any]:
        return {
            "hash": key, "query": self.query, "bindVars": self.bind_vars, "size": self.size,
            "results": len(self.rows), "hits": self.hits, "runTime": self.run_time,
            "started": self.started, "dataSources": self.data_sources,
        }


class _Results(OrderedDict[str, CachedResult]):
    """One database's entries, least recently used first, with their total size kept as they
    come and go (so a store does not add up every entry)."""

    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def put(self, key: str, entry: CachedResult) -> None:
        self.drop(key)
        self[key] = entry
        self.size += entry.size

    def drop(self, key: str) -> None:
        old = self.pop(key, None)
        if old is not None:
            self.size -= old.size

    def shrink(self, max_results: int, max_size: int) -> None:
        """Drop the least recently used entries until both limits hold."""
        while self and (len(self) > max_results or self.size > max_size):
            self.size -= self.popitem(last=False)[1].size


@dataclass
class PlanEntry:
    """One plan-cache entry (a query run with ``usePlanCache``)."""

    query: str
    bind_vars: dict[str, Any]
    full_count: bool
    data_sources: list[str]
    created: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    hits: int = 0

    def to_body(self, key: str) -> dict[str, Any]:
        return {
            "hash": key, "query": self.query, "queryHash": _hash(self.query),
            "bindVars": self.bind_vars, "fullCount": self.full_count,
            "dataSources": self.data_sources, "created": self.created, "hits": self.hits,
            "memoryUsage": len(self.query) + len(_canonical(self.bind_vars)),
        }


class QueryCaches:
    """The results cache (server-wide properties, entries per database) and plan-cache entries."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.properties: dict[str, Any] = {"mode": "off", **_LIMITS, "includeSystem": False}
        self.results: dict[str, _Results] = {}
        self.plans: dict[str, OrderedDict[str, PlanEntry]] = {}

    # -- properties ------------------------------------------------------------------------------

    def configure(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Apply ``PUT /_api/query-cache/properties`` (400 on a bad mode or limit)."""
        new = dict(self.properties)
        if "mode" in changes:
            if changes["mode"] not in _MODES:
                raise ArangoError(BAD_PARAMETER, "mode must be one of 'off', 'on', 'demand'")
            new["mode"] = changes["mode"]
        for name in _LIMITS:
            if name in changes:
                value = changes[name]
                if type(value) not in (int, float) or value < 1:
                    raise ArangoError(BAD_PARAMETER, f"{name} must be a positive number")
                new[name] = int(value)
        if "includeSystem" in changes:
            new["includeSystem"] = bool(changes["includeSystem"])
        with self.lock:
            self.properties = new
            if new["mode"] == "off":
                self.results.clear()
            for entries in self.results.values():
                entries.shrink(new["maxResults"], new["maxResultsSize"])
        return dict(new)

    # -- results ---------------------------------------------------------------------------------

    def wanted(self, options: dict[str, Any]) -> bool:
        """Whether this query asks for (or allows) the results cache in the current mode."""
        mode = self.properties["mode"]
        return (mode == "on" and options.get("cache") is not False) or (
            mode == "demand" and options.get("cache") is True
        )

    def cacheable(self, compiled: Any, data_sources: list[str]) -> bool:
        """Read-only, deterministic, and system collections only with ``includeSystem``."""
        if compiled.has_writes or not all(f.deterministic for f in compiled.functions):
            return False
        return self.properties["includeSystem"] or not any(n.startswith("_") for n in data_sources)

    @staticmethod
    def key(query: str, bind_vars: dict[str, Any], options: dict[str, Any]) -> str:
        return _hash(query, _canonical(bind_vars), str(bool(options.get("fullCount"))))

    def lookup(self, db: Database, key: str) -> CachedResult | None:
        """A still valid entry (a stale one is dropped), counting the hit."""
        with self.lock:
            entries = self.results.get(db.name)
            entry = entries.get(key) if entries else None
            if entry is None or entries is None:
                return None
            if entry.signature != _signature(db):
                entries.drop(key)
                return None
            entries.move_to_end(key)
            entry.hits += 1
            return entry

    def signature(self, db: Database) -> tuple[tuple[str, int, int], ...]:
        """Take before running a query: an entry stored with it is stale once anything changed."""
        return _signature(db)

    def store(self, db: Database, key: str, entry: CachedResult) -> None:
        """Keep ``entry`` unless it is too big (``maxEntrySize``) or the data changed meanwhile."""
        with self.lock:
            if entry.size > self.properties["maxEntrySize"] or entry.signature != _signature(db):
                return
            entries = self.results.setdefault(db.name, _Results())
            entries.put(key, entry)
            entries.shrink(self.properties["maxResults"], self.properties["maxResultsSize"])

    def entries(self, db: Database) -> list[dict[str, Any]]:
        """``GET /_api/query-cache/entries``: the database's valid entries."""
        with self.lock:
            entries = self.results.get(db.name, _Results())
            current = _signature(db)
            for key in [k for k, e in entries.items() if e.signature != current]:
                entries.drop(key)
            return [e.to_body(k) for k, e in entries.items()]

    def clear(self, db: Database) -> None:
        with self.lock:
            self.results.pop(db.name, None)

    # -- plans -----------------------------------------------------------------------------------

    def note_plan(
        self, db: Database, query: str, bind_vars: dict[str, Any], full_count: bool,
        data_sources: list[str],
    ) -> None:
        """Record a run with ``usePlanCache: true`` (a hit when the plan was listed already; at
        most ``_MAX_PLANS`` per database, the least recently used dropped first)."""
        collection_binds = {k: v for k, v in bind_vars.items() if k.startswith("@")}
        key = _hash(query, _canonical(collection_binds), str(full_count))
        with self.lock:
            plans = self.plans.setdefault(db.name, OrderedDict())
            entry = plans.get(key)
            if entry is None:
                plans[key] = PlanEntry(query, collection_binds, full_count, data_sources)
                if len(plans) > _MAX_PLANS:  # the least recently used leaves
                    plans.popitem(last=False)
            else:
                entry.hits += 1
                plans.move_to_end(key)

    def plan_entries(self, db: Database) -> list[dict[str, Any]]:
        with self.lock:
            return [e.to_body(k) for k, e in self.plans.get(db.name, OrderedDict()).items()]

    def clear_plans(self, db: Database) -> list[str]:
        """Forget the database's plan entries; the query texts whose compiled plans to drop."""
        with self.lock:
            dropped = self.plans.pop(db.name, OrderedDict())
        return [e.query for e in dropped.values()]


#: The query caches of one engine (one server).
caches_of: PerEngine[QueryCaches] = PerEngine(QueryCaches)
