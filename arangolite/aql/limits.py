"""Running queries: the registry behind ``/_api/query/current``, kills, maxRuntime and memoryLimit.

Every query execution registers a :class:`RunningQuery` for its duration. A watchdog thread
checks the running queries every few milliseconds; a query that was killed
(``DELETE /_api/query/<id>``), ran past its ``maxRuntime`` or grew the process by more than its
``memoryLimit`` is interrupted: an exception is raised asynchronously in the query's thread, at
the next Python bytecode, so a runaway loop stops even if it never calls back into the engine.
The query then fails with ArangoDB's error (1500 ``query killed``, 32 ``query would use more
memory than allowed``) and its transaction is aborted (inside a stream transaction: its statement
is rolled back, ``storage.savepoint``).

Interruption is confined to the span where it is safe: the compiled query's own code. Commit
and abort run after that span and are never interrupted (see :meth:`RunningQuery.interruptible`).

Memory is accounted three ways: allocations the engine can size up front (``RANGE``,
``REPEAT``, materialised ranges) are charged with :func:`charge` and refused before they
happen; the rows a query materialises (SORT, COLLECT and WINDOW inputs, subquery results, the
result) are followed by the watchdog and checked once more when the query ends (see
:mod:`arangolite.aql.memory`); and, as a backstop for what neither sees (one huge array built by a
single function call), the process's resident-size growth since the query started may not pass
twice the limit (an estimate when several queries run at once).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from arangolite import errors, ids
from arangolite.aql.memory import HeldRows
from arangolite.errors import ArangoError, ErrorCode
from arangolite.storage import waits

__all__ = [
    "QueryInterrupt",
    "RunningQuery",
    "charge",
    "check",
    "current",
    "kill",
    "set_defaults",
    "settle",
    "track",
    "uninterrupted",
]

_POLL = 0.01
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_MEMORY_MESSAGE = "query would use more memory than allowed"
_REFIRE = 0.2  # seconds after which an interrupt that did not stop the query is sent again
_RSS_SLACK = 2  # the resident-size backstop fires at this multiple of the limit


@dataclass
class _Defaults:
    memory_limit: int = 0
    max_runtime: float = 0.0


_DEFAULTS = _Defaults()


def set_defaults(*, memory_limit: int = 0, max_runtime: float = 0.0) -> None:
    """Server-wide defaults (``--query.memory-limit``, ``--query.max-runtime``); 0 is none."""
    _DEFAULTS.memory_limit = max(0, int(memory_limit))
    _DEFAULTS.max_runtime = max(0.0, float(max_runtime))


class QueryInterrupt(BaseException):
    """Raised asynchronously inside a query's thread; never escapes :func:`track`."""


def _rss() -> int:
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _async_raise(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


class RunningQuery:
    """One executing query, as ``/_api/query/current`` lists it (a plain class with slots: every
    query makes one, and a dataclass with default factories cost about 1 us of a 17 us
    ``RETURN 1``)."""

    __slots__ = (
        "_fired", "_fired_at", "_lock", "_state", "bind_vars", "database", "held", "id",
        "max_runtime", "memory", "memory_limit", "peak", "query", "reason", "rss_base", "started",
        "started_mono", "thread_id",
    )

    def __init__(
        self, id: str, database: str, query: str, bind_vars: dict[str, Any],
        max_runtime: float, memory_limit: int, *, rss_base: int = 0,
        held: HeldRows | None = None,
    ) -> None:
        self.id = id
        self.database = database
        self.query = query
        self.bind_vars = bind_vars
        self.max_runtime = max_runtime
        self.memory_limit = memory_limit
        self.thread_id = threading.get_ident()
        self.started = time.time()
        self.started_mono = time.monotonic()
        self.rss_base = rss_base
        self.held = held  # the rows it materialised (under a memory limit)
        self.memory = 0
        self.peak = 0
        self.reason: ErrorCode | None = None
        self._state = "waiting"  # waiting -> running (interruptible) -> done
        self._fired = False
        self._fired_at = 0.0
        self._lock = threading.Lock()

    def to_body(self) -> dict[str, Any]:
        """The entry of ``GET /_api/query/current``."""
        started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started))
        return {
            "id": self.id, "database": self.database, "user": "root", "query": self.query,
            "bindVars": self.bind_vars, "started": started,
            "runTime": round(time.monotonic() - self.started_mono, 6),
            "peakMemoryUsage": self.peak, "state": "executing", "stream": False,
        }

    def kill(self, reason: ErrorCode = errors.QUERY_KILLED) -> None:
        """Stop the query: at once while its code runs, else at its next check."""
        with self._lock:
            if self.reason is None:
                self.reason = reason
            now = time.monotonic()
            if self._state == "running" and (not self._fired or now - self._fired_at > _REFIRE):
                # again after a while: an interrupt landing in a garbage-collector callback is
                # swallowed there, and the query would run on
                self._fired, self._fired_at = True, now
                _async_raise(self.thread_id, QueryInterrupt)

    def charge(self, nbytes: int) -> None:
        """Account ``nbytes`` about to be allocated; 32 when it would pass the limit."""
        self.memory += nbytes
        self.peak = max(self.peak, self.memory)
        if self.memory_limit and self.memory > self.memory_limit:
            self.memory -= nbytes
            raise ArangoError(errors.RESOURCE_LIMIT, message=_MEMORY_MESSAGE)

    def check(self) -> None:
        """Raise the query's error if it was killed or ran out of time."""
        if self.reason is None and self.max_runtime and self._overdue(time.monotonic()):
            self.reason = errors.QUERY_KILLED
        if self.reason is not None:
            raise _error(self.reason)

    def _overdue(self, now: float) -> bool:
        return bool(self.max_runtime) and now - self.started_mono > self.max_runtime

    def holds(self) -> int:
        """Bytes the query holds now: charged allocations plus its materialised rows."""
        return self.memory + (self.held.estimate() if self.held is not None else 0)

    def _over_memory(self, rss: int) -> bool:
        holds = self.holds()
        self.peak = max(self.peak, holds)
        grown = rss - self.rss_base if rss and self.rss_base else 0
        limit = self.memory_limit
        return bool(limit) and (holds > limit or grown > _RSS_SLACK * limit)

    def interruptible(self) -> _Interruptible:
        """The span in which the watchdog may interrupt this thread; pending interrupts are
        cleared on the way out, so nothing after it (commit, abort) can be hit."""
        return _Interruptible(self)

    def stop_error(self) -> ArangoError:
        """The error of a query stopped by an interrupt (killed, unless a limit said why)."""
        return _error(self.reason or errors.QUERY_KILLED)

    def _stopped(self) -> None:
        """Leave the interruptible span: an interrupt fired but not yet delivered is cleared."""
        with self._lock:
            self._state = "done"
            if self._fired:
                _async_raise(self.thread_id, None)


    def _settle(self) -> None:
        """The last look at the rows held, when the query's code is done (the watchdog samples
        only every few milliseconds): 32 when they are over the limit."""
        if self.held is not None and self.memory_limit:
            holds = self.holds()
            self.peak = max(self.peak, holds)
            if holds > self.memory_limit:
                with self._lock:  # it stops by itself: the watchdog must not interrupt it too
                    self.reason = self.reason or errors.RESOURCE_LIMIT
                    self._fired, self._fired_at = True, float("inf")
                raise _error(errors.RESOURCE_LIMIT)


class _Interruptible:
    """``with query.interruptible():`` (a class rather than a generator context: every query
    enters one, and the generator's frame and wrapper cost about 2 us of a 20 us ``RETURN 1``).
    A :class:`QueryInterrupt` inside becomes the query's error; the span always ends with
    :meth:`RunningQuery._stopped`."""

    __slots__ = ("_query",)

    def __init__(self, query: RunningQuery) -> None:
        self._query = query

    def __enter__(self) -> None:
        query = self._query
        with query._lock:
            query._state = "running"
        try:
            query.check()
        except QueryInterrupt:
            query._stopped()
            raise query.stop_error() from None
        except BaseException:
            query._stopped()
            raise

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        query = self._query
        try:
            if kind is None:
                query._settle()
            elif issubclass(kind, QueryInterrupt):
                raise query.stop_error() from None
        except QueryInterrupt:  # (landing in the settling itself)
            raise query.stop_error() from None
        finally:
            query._stopped()


def _error(code: ErrorCode) -> ArangoError:
    if code is errors.RESOURCE_LIMIT:
        return ArangoError(code, message=_MEMORY_MESSAGE)
    return ArangoError(code)


class _Registry:
    def __init__(self) -> None:
        self.queries: dict[str, RunningQuery] = {}
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.watchdog: threading.Thread | None = None
        self.local = threading.local()

    def add(self, query: RunningQuery) -> None:
        with self.lock:
            self.queries[query.id] = query
            if not (query.max_runtime or query.memory_limit):
                return  # nothing to watch: waking the watchdog per query costs more than RETURN 1
            if self.watchdog is None:
                self.watchdog = threading.Thread(target=self._watch, name="arangolite-query-watchdog", daemon=True)
                self.watchdog.start()
        self.wake.set()

    def remove(self, query: RunningQuery) -> None:
        with self.lock:
            self.queries.pop(query.id, None)

    def snapshot(self) -> list[RunningQuery]:
        with self.lock:
            return list(self.queries.values())

    def _watch(self) -> None:
        while True:
            queries = [q for q in self.snapshot() if q.max_runtime or q.memory_limit]
            if not queries:
                self.wake.wait()
                self.wake.clear()
                continue
            now = time.monotonic()
            rss = _rss() if any(q.memory_limit for q in queries) else 0
            for query in queries:
                if query._overdue(now):
                    query.kill(errors.QUERY_KILLED)
                elif query._over_memory(rss):
                    query.kill(errors.RESOURCE_LIMIT)
                elif query.reason is not None:  # killed and still running: interrupt again
                    query.kill(query.reason)
            time.sleep(_POLL)


_REGISTRY = _Registry()


def _limit(options: dict[str, Any], name: str, default: float) -> float:
    value = options.get(name)
    if value is None:
        return default
    if type(value) not in (int, float) or value < 0:
        raise ArangoError(errors.BAD_PARAMETER, f"expecting a non-negative number for '{name}'")
    return float(value) or default


class track:  # lower case: used like a function, ``with track(...) as running:``
    """Register a query for its execution, with its ``maxRuntime`` and ``memoryLimit`` options
    (a class rather than a generator context: every query enters one)."""

    __slots__ = ("_outer", "_running")

    def __init__(
        self, database: str, query: str, bind_vars: dict[str, Any], options: dict[str, Any]
    ) -> None:
        memory_limit = int(_limit(options, "memoryLimit", _DEFAULTS.memory_limit))
        max_runtime = _limit(options, "maxRuntime", _DEFAULTS.max_runtime)
        if memory_limit:
            self._running = RunningQuery(
                ids.new(), database, query, bind_vars, max_runtime, memory_limit,
                rss_base=_rss(), held=HeldRows(),
            )
        else:
            self._running = RunningQuery(ids.new(), database, query, bind_vars, max_runtime, 0)
        self._outer: RunningQuery | None = None

    def __enter__(self) -> RunningQuery:
        running = self._running
        self._outer = getattr(_REGISTRY.local, "query", None)
        _REGISTRY.local.query = running
        _REGISTRY.add(running)
        return running

    def __exit__(self, *exc: object) -> None:
        _REGISTRY.remove(self._running)
        _REGISTRY.local.query = self._outer


def charge(nbytes: int) -> None:
    """Charge an allocation to the query running in this thread (nothing outside a query)."""
    running: RunningQuery | None = getattr(_REGISTRY.local, "query", None)
    if running is not None:
        running.charge(nbytes)


def settle() -> None:
    """32 when the query running in this thread holds more rows than its memory limit allows."""
    running: RunningQuery | None = getattr(_REGISTRY.local, "query", None)
    if running is not None:
        running._settle()


def check() -> None:
    """Raise if the query running in this thread was killed or is past its maxRuntime."""
    running: RunningQuery | None = getattr(_REGISTRY.local, "query", None)
    if running is not None:
        running.check()


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """A span of the query running in this thread (if any) that the watchdog must not interrupt
    (it lets the engine lock go and takes it back); a kill or a maxRuntime passed meanwhile
    raises at its end, once the span is whole again."""
    running: RunningQuery | None = getattr(_REGISTRY.local, "query", None)
    if running is None or running._state != "running":
        yield
        return
    with running._lock:
        running._state = "waiting"
        if running._fired:  # an interrupt sent but not delivered yet must not land in the span
            _async_raise(running.thread_id, None)
            running._fired = False
    try:
        yield
    finally:
        with running._lock:
            running._state = "running"
    running.check()


def current(database: str) -> list[RunningQuery]:
    """The queries running in ``database``."""
    return [q for q in _REGISTRY.snapshot() if q.database == database]


def kill(database: str, query_id: str) -> bool:
    """Kill a running query of ``database``; False when there is none with that id."""
    for query in current(database):
        if query.id == query_id:
            query.kill()
            return True
    return False


# a storage wait (a key lock with ``lockTimeout``) lets the engine lock go and takes it back: a
# query must not be interrupted inside it (``storage.waits``)
waits.set_guard(uninterrupted)
