"""Asynchronous requests (``x-arango-async: true | store``): the jobs of each engine, as ArangoDB has them.

A request carrying ``x-arango-async`` is answered at once with 202; it then runs on a small pool
of worker threads. With ``store`` the answer carries ``x-arango-async-id`` and the job's response
is kept until fetched (``PUT /_api/job/{id}``, which removes it) or deleted
(``DELETE /_api/job/{id} | all | expired?stamp=``). ``GET /_api/job/{id}`` answers 200 once the
job is done, 204 while it is pending; ``GET /_api/job/done | pending`` lists ids (``count`` limits
them); ``PUT /_api/job/{id}/cancel`` cancels a pending job. Job requests never take the engine
lock, so they answer while a long job runs. The router hands a request to :func:`submit`; the
``/_api/job`` routes (``rest/job_api.py``) read :func:`registry_of`.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from arangolite import ids
from arangolite.errors import HTTP_NOT_FOUND, ArangoError
from arangolite.rest.http import Request, Response, ok

if TYPE_CHECKING:
    from arangolite.storage.engine import Engine

__all__ = ["JobRegistry", "registry_of", "submit"]

Run = Callable[[Request], Response]  # serves one request (the router's dispatch, bound)
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
        self._lock = threading.Lock()

    def submit(self, request: Request, run: Run) -> Response:
        """Start ``request`` in the background; 202 (with the job id when it is stored)."""
        mode = (request.header("x-arango-async") or "").lower()
        headers = {k: v for k, v in request.headers.items() if k != "x-arango-async"}
        inner = dataclasses.replace(request, headers=headers)
        future = self._pool.submit(run, inner)
        if mode != "store":
            return Response(202, None)
        job = _Job(ids.new(), request.db_name, time.time(), future)
        with self._lock:
            self._jobs[job.id] = job
        return Response(202, None, {"x-arango-async-id": job.id})

    def _job(self, request: Request, job_id: str) -> _Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.db_name != request.db_name:
            raise ArangoError(HTTP_NOT_FOUND, message="job not found")
        return job

    def list(self, request: Request, status: str) -> Response:
        done = status == "done"
        with self._lock:
            jobs = [j for j in self._jobs.values() if j.db_name == request.db_name]
        ids = [j.id for j in jobs if j.future.done() == done]
        count = request.params.get("count")
        if count and count.isdigit():
            ids = ids[: int(count)]
        return Response(200, ids)

    def status(self, request: Request, job_id: str) -> Response:
        job = self._job(request, job_id)
        if not job.future.done():
            return Response(204, None)
        return Response(200, None, {"x-arango-async-id": job.id})

    def fetch(self, request: Request, job_id: str) -> Response:
        job = self._job(request, job_id)
        if not job.future.done():
            return Response(204, None)
        with self._lock:
            self._jobs.pop(job.id, None)
        answer = job.future.result()
        return dataclasses.replace(answer, headers={**answer.headers, "x-arango-async-id": job.id})

    def cancel(self, request: Request, job_id: str) -> Response:
        job = self._job(request, job_id)
        job.future.cancel()  # a job already running finishes; its result is dropped
        with self._lock:
            self._jobs.pop(job.id, None)
        return ok({"result": True})

    def delete(self, request: Request, which: str) -> Response:
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


def registry_of(engine: Engine) -> JobRegistry:
    """The jobs of ``engine`` (made at its first asynchronous request)."""
    with _LOCK:
        registry = _REGISTRIES.get(engine)
        if registry is None:
            registry = _REGISTRIES[engine] = JobRegistry()
        return registry


def submit(engine: Engine, request: Request, run: Run) -> Response:
    """Run an ``x-arango-async`` request in the background with ``run`` (the router calls this)."""
    engine.database(request.db_name)  # 1228 now, not in the job
    return registry_of(engine).submit(request, run)
