"""Admin endpoints beside :mod:`arangolite.rest.admin`: resetting log levels, the recorded API
calls (``/_admin/server/api-calls``) and ``/_admin/support-info``.

API calls are recorded as ArangoDB's recording API does (time stamp, method, path, database; the
most recent ones within a memory budget); like the AQL query recording they are for admin users
(the auth guard checks). Support info is answered in ``_system`` only (403 elsewhere).
"""

from __future__ import annotations

import os
import platform
import time

from arangolite.errors import FORBIDDEN, ArangoError
from arangolite.rest import admin, recording
from arangolite.rest.http import Context, Response, ok
from arangolite.rest.router import Router
from arangolite.rest.version import VERSION

__all__ = ["register"]

def api_calls(ctx: Context) -> Response:
    return ok({"result": {"calls": recording.calls_of(ctx.engine).entries()}})


def reset_log_levels(ctx: Context) -> Response:
    """``DELETE /_admin/log/level``: every topic back to its startup level (INFO)."""
    return admin.set_levels(dict.fromkeys(admin.log_topics(), "INFO"))


def support_info(ctx: Context) -> Response:
    if ctx.db.name != "_system":
        raise ArangoError(FORBIDDEN)
    host = {
        "platform": platform.system().lower(), "physicalMemory": _memory(),
        "numberOfCores": os.cpu_count() or 1, "processStats": {"processUptime": admin.uptime()},
    }
    return Response(200, {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "deployment": {"type": "single", "version": VERSION, "engine": "rocksdb"},
        "host": host,
    })


def _memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 0


def register(router: Router) -> None:
    router.add("DELETE", "/_admin/log/level", reset_log_levels, lock_free=True)
    router.add("GET", "/_admin/server/api-calls", api_calls, lock_free=True)
    router.add("GET", "/_admin/support-info", support_info, lock_free=True)
