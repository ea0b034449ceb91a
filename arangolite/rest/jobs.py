"""Asynchronous requests (``x-arango-async: true | store``) and ``/_api/job``, as ArangoDB has them.

A request carrying ``x-arango-async`` is answered at once with 202; it then runs on a small pool
of worker threads. With ``store`` the answer carries ``x-arango-async-id`` and the job's response
is kept until fetched (``PUT /_api/job/{id}``, which removes it) or deleted
(``DELETE /_api/job/{id} | all | expired?stamp=``). ``GET /_api/job/{id}`` answers 200 once the
job is done, 204 while it is pending; ``GET /_api/job/done | pending`` lists ids (``count`` limits
them); ``PUT /_api/job/{id}/cancel`` cancels a pending job. Job requests never take the engine
lock, so they answer while a long job runs.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from arangolite.errors import (
    BAD_PARAMETER,
    DATABASE_NOT_FOUND,
    HTTP_METHOD_NOT_ALLOWED,
    HTTP_NOT_FOUND,
    ArangoError,
)
from arangolite.rest.http import Request, Response, error_response, ok

if TYPE_CHECKING:
    from arangolite.rest.router import Router
    from arangolite.storage.engine import Engine

__all__ = ["JobRegistry", "handle"]

Dispatch = Callable[["Engine", "Router", Request], Response]
_WORKERS = 4
_REGISTRIES: weakref.WeakKeyDictionary[Engine, JobRegistry] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


@dataclasses.dataclass
class _Job:
    id: str
    db_name: str
    stamp: float
    future: Future[Response]


class JobRegistry:
    """The stored jobs of one engine and the threads running them."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="arangolite-job")
        self._jobs: dict[str, _Job] = {}
        self._ids = itertools.count(int(time.time() * 1000))
        self._lock = threading.Lock()

    def submit(self, engine: Engine, router: Router, request: Request, run: Dispatch) -> Response:
        """Start ``request`` in the background; 202 (with the job id when it is stored)."""
        mode = (request.header("x-arango-async") or "").lower()
        headers = {k: v for k, v in request.headers.items() if k != "x-arango-async"}
        inner = dataclasses.replace(request, headers=headers)
        future = self._pool.submit(run, engine, router, inner)
        if mode != "store":
            return Response(202, None)
        job = _Job(str(next(self._ids)), request.db_name, time.time(), future)
        with self._lock:
            self._jobs[job.id] = job
        return Response(202, None, {"x-arango-async-id": job.id})

    def _job(self, request: Request, job_id: str) -> _Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.db_name != request.db_name:
            raise ArangoError(HTTP_NOT_FOUND, message="job not found")
        return job

    def serve(self, request: Request) -> Response:
        """Answer one ``/_api/job`` request."""
        parts = [p for p in request.path.split("/") if p][2:]
        method = request.method
        if method == "GET" and parts in (["done"], ["pending"]):
            return self._list(request, parts[0])
        if method == "GET" and len(parts) == 1 and parts[0].isdigit():
            return self._status(request, parts[0])
        if method == "PUT" and len(parts) == 1:
            return self._fetch(request, parts[0])
        if method == "PUT" and len(parts) == 2 and parts[1] == "cancel":
            return self._cancel(request, parts[0])
        if method == "DELETE" and len(parts) == 1:
            return self._delete(request, parts[0])
        if method == "GET" and len(parts) == 1 or not parts:
            raise ArangoError(BAD_PARAMETER, "expecting GET /_api/job/<job-id>, /done or /pending")
        raise ArangoError(HTTP_METHOD_NOT_ALLOWED)

    def _list(self, request: Request, status: str) -> Response:
        done = status == "done"
        with self._lock:
            jobs = [j for j in self._jobs.values() if j.db_name == request.db_name]
        ids = [j.id for j in jobs if j.future.done() == done]
        count = request.params.get("count")
        if count and count.isdigit():
            ids = ids[: int(count)]
        return Response(200, ids)

    def _status(self, request: Request, job_id: str) -> Response:
        job = self._job(request, job_id)
        if not job.future.done():
            return Response(204, None)
        return Response(200, None, {"x-arango-async-id": job.id})

    def _fetch(self, request: Request, job_id: str) -> Response:
        job = self._job(request, job_id)
        if not job.future.done():
            return Response(204, None)
        with self._lock:
            self._jobs.pop(job.id, None)
        answer = job.future.result()
        return dataclasses.replace(answer, headers={**answer.headers, "x-arango-async-id": job.id})

    def _cancel(self, request: Request, job_id: str) -> Response:
        job = self._job(request, job_id)
        job.future.cancel()  # a job already running finishes; its result is dropped
        with self._lock:
            self._jobs.pop(job.id, None)
        return ok({"result": True})

    def _delete(self, request: Request, which: str) -> Response:
        with self._lock:
            if which == "all":
                doomed = [j for j in self._jobs.values() if j.db_name == request.db_name]
            elif which == "expired":
                stamp = float(request.params.get("stamp") or 0)
                doomed = [
                    j
                    for j in self._jobs.values()
                    if j.db_name == request.db_name and j.stamp < stamp
                ]
            else:
                found = self._jobs.get(which)
                if found is None or found.db_name != request.db_name:
                    raise ArangoError(HTTP_NOT_FOUND, message="job not found")
                doomed = [found]
            for job in doomed:
                del self._jobs[job.id]
        return ok({"result": True})


def _registry(engine: Engine) -> JobRegistry:
    with _LOCK:
        registry = _REGISTRIES.get(engine)
        if registry is None:
            registry = _REGISTRIES[engine] = JobRegistry()
        return registry


def handle(engine: Engine, router: Router, request: Request, run: Dispatch) -> Response | None:
    """The answer for an async request or a ``/_api/job`` request; None for any other request."""
    is_job_api = request.path == "/_api/job" or request.path.startswith("/_api/job/")
    if not is_job_api and not request.header("x-arango-async"):
        return None
    try:
        if request.db_name not in engine.databases:
            raise ArangoError(DATABASE_NOT_FOUND, request.db_name)
        registry = _registry(engine)
        if is_job_api:
            return registry.serve(request)
        router.match(request.method, request.path)  # unknown paths fail now, not in the job
        return registry.submit(engine, router, request, run)
    except ArangoError as exc:
        return error_response(exc)
