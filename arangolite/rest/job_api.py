"""``/_api/job``: the stored results of asynchronous requests (``rest/jobs.py``), as ArangoDB has them.

``GET /_api/job/{id}`` answers 200 once the job is done, 204 while it is pending; ``GET
/_api/job/done | pending`` lists ids; ``PUT /_api/job/{id}`` fetches (and removes) a result;
``PUT /_api/job/{id}/cancel`` cancels a pending job; ``DELETE /_api/job/{id} | all | expired``.
"""

from __future__ import annotations

from arangolite.errors import HTTP_BAD_PARAMETER, ArangoError
from arangolite.rest.http import Context, Response
from arangolite.rest.jobs import registry_of
from arangolite.rest.router import Router

__all__ = ["register"]


def get_job(ctx: Context, job_id: str) -> Response:
    registry = registry_of(ctx.engine)
    if job_id in ("done", "pending"):
        return registry.list(ctx.request, job_id)
    if not job_id.isdigit():
        raise ArangoError(HTTP_BAD_PARAMETER, "expecting GET /_api/job/<job-id>, /done or /pending")
    return registry.status(ctx.request, job_id)


def fetch_job(ctx: Context, job_id: str) -> Response:
    return registry_of(ctx.engine).fetch(ctx.request, job_id)


def cancel_job(ctx: Context, job_id: str) -> Response:
    return registry_of(ctx.engine).cancel(ctx.request, job_id)


def delete_job(ctx: Context, job_id: str) -> Response:
    return registry_of(ctx.engine).delete(ctx.request, job_id)


def register(router: Router) -> None:
    # Job requests touch no storage: they answer while a long job holds the engine.
    router.add("GET", "/_api/job/{job_id}", get_job, lock_free=True)
    router.add("PUT", "/_api/job/{job_id}", fetch_job, lock_free=True)
    router.add("PUT", "/_api/job/{job_id}/cancel", cancel_job, lock_free=True)
    router.add("DELETE", "/_api/job/{job_id}", delete_job, lock_free=True)
