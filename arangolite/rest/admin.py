"""``/_admin/*`` endpoints drivers call: status, statistics, log, log levels, metrics, license,
options, target version, server mode, TLS and JWT information.

Answers describe this process truthfully: the log is what arangolite logged (a ring buffer of
the last records), metrics are counted from the engine, the license is the community edition's
(``{"license": "none"}``; setting one is an enterprise feature: 501). Changing the server mode to
``readonly`` is refused with 501 rather than accepted and ignored.
"""

from __future__ import annotations

import collections
import hashlib
import logging
import os
import resource
import socket
import threading
import time
from typing import Any

from arangolite.errors import HTTP_BAD_PARAMETER, NOT_IMPLEMENTED, ArangoError
from arangolite.rest.http import Context, Response, ok
from arangolite.rest.router import Router
from arangolite.rest.version import VERSION

__all__ = ["register"]

_STARTED = time.time()
_LEVELS = ("FATAL", "ERROR", "WARNING", "INFO", "DEBUG", "TRACE")
_TOPICS = ("general", "agency", "engines", "threads", "requests", "queries", "startup", "ttl")
_log_levels = dict.fromkeys(_TOPICS, "INFO")
_log_settings = {"database": False, "url": False, "username": False}
_settings_lock = threading.Lock()


class _Recorder(logging.Handler):
    """Keeps the last records of the ``arangolite`` loggers for ``/_admin/log``."""

    def __init__(self, size: int = 2000) -> None:
        super().__init__(logging.INFO)
        self.records: collections.deque[tuple[int, float, int, str, str]] = collections.deque(
            maxlen=size
        )
        self._ids = iter(range(1, 1 << 62))

    def emit(self, record: logging.LogRecord) -> None:
        level = _level_number(record.levelname)
        topic = record.name.split(".")[1] if "." in record.name else "general"
        entry = (next(self._ids), record.created, level, topic, record.getMessage())
        self.records.append(entry)


def _level_number(name: str) -> int:
    """ArangoDB's numeric log levels: 0 fatal .. 5 trace (Python's CRITICAL is fatal)."""
    name = {"CRITICAL": "FATAL", "WARN": "WARNING"}.get(name.upper(), name.upper())
    return _LEVELS.index(name) if name in _LEVELS else 3


_RECORDER = _Recorder()
logging.getLogger("arangolite").addHandler(_RECORDER)


def _selected(ctx: Context) -> list[tuple[int, float, int, str, str]]:
    params = ctx.request.params
    records = list(_RECORDER.records)
    if "level" in params:
        wanted = _level_number(params["level"])
        records = [r for r in records if r[2] == wanted]
    else:
        upto = _level_number(params.get("upto", "info"))
        records = [r for r in records if r[2] <= upto]
    if params.get("search"):
        records = [r for r in records if params["search"] in r[4]]
    if "start" in params and params["start"].isdigit():
        records = [r for r in records if r[0] >= int(params["start"])]
    if params.get("sort") == "desc":
        records.reverse()
    offset = int(params.get("offset") or 0)
    size = int(params.get("size") or len(records))
    return records[offset : offset + size]


def read_log(ctx: Context) -> Response:
    records = _selected(ctx)
    return Response(
        200,
        {
            "lid": [r[0] for r in records],
            "level": [r[2] for r in records],
            "timestamp": [int(r[1]) for r in records],
            "topic": [r[3] for r in records],
            "text": [r[4] for r in records],
            "totalAmount": len(records),
        },
    )


def read_log_entries(ctx: Context) -> Response:
    records = _selected(ctx)
    messages = [
        {
            "id": r[0],
            "topic": r[3],
            "level": _LEVELS[r[2]],
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r[1])),
            "message": r[4],
        }
        for r in records
    ]
    return Response(200, {"total": len(messages), "messages": messages})


def get_log_levels(ctx: Context) -> Response:
    with _settings_lock:
        levels = dict(_log_levels)
    if ctx.request.flag("withAppenders"):
        return Response(200, {"global": levels, "appenders": {}})
    return Response(200, levels)


def set_log_levels(ctx: Context) -> Response:
    body = ctx.request.json(default={})
    if isinstance(body, str):
        body = dict.fromkeys(_log_levels, body)
    if not isinstance(body, dict):
        raise ArangoError(HTTP_BAD_PARAMETER, "expecting an object of topic: level")
    return set_levels(body)


def log_topics() -> tuple[str, ...]:
    return _TOPICS


def uptime() -> float:
    return time.time() - _STARTED


def set_levels(body: dict[str, Any]) -> Response:
    """Set log levels per topic (400 for an unknown level); all levels in the answer."""
    with _settings_lock:
        for topic, level in body.items():
            if not isinstance(level, str) or _canonical(level) not in _LEVELS:
                raise ArangoError(HTTP_BAD_PARAMETER, f"invalid log level for {topic}")
            _log_levels[str(topic)] = _canonical(level)
        python_level = {"FATAL": "CRITICAL", "TRACE": "DEBUG"}.get(_log_levels["general"])
        logging.getLogger("arangolite").setLevel(python_level or _log_levels["general"])
        return Response(200, dict(_log_levels))


def _canonical(level: str) -> str:
    level = level.upper()
    return {"WARN": "WARNING", "DEFAULT": "INFO"}.get(level, level)


def get_log_settings(ctx: Context) -> Response:
    with _settings_lock:
        return Response(200, _enabled_settings())


def _enabled_settings() -> dict[str, bool]:
    """The structured log parameters that are on (ArangoDB leaves out the others)."""
    return {k: v for k, v in _log_settings.items() if v}


def set_log_settings(ctx: Context) -> Response:
    body = ctx.request.json(default={})
    if not isinstance(body, dict):
        raise ArangoError(HTTP_BAD_PARAMETER, "expecting an object")
    with _settings_lock:
        for key, value in body.items():
            if key in _log_settings:
                _log_settings[key] = bool(value)
        return Response(200, _enabled_settings())


def status(ctx: Context) -> Response:
    return Response(
        200,
        {
            "server": "arango",
            "version": VERSION,
            "pid": os.getpid(),
            "license": "community",
            "mode": "server",
            "operationMode": "server",
            "foxxApi": False,
            "host": socket.gethostname(),
            "hostname": socket.gethostname(),
            "serverInfo": {
                "role": "SINGLE",
                "writeOpsEnabled": True,
                "readOnly": False,
                "maintenance": False,
                "persistedId": "arangolite",
            },
        },
    )


def statistics(ctx: Context) -> Response:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return ok(
        {
            "time": time.time(),
            "enabled": True,
            "system": {
                "userTime": usage.ru_utime,
                "systemTime": usage.ru_stime,
                "residentSize": usage.ru_maxrss * 1024,
                "numberOfThreads": threading.active_count(),
            },
            "server": {"uptime": time.time() - _STARTED, "physicalMemory": _physical_memory()},
            "client": {},
            "http": {},
        }
    )


def statistics_description(ctx: Context) -> Response:
    groups = [{"group": "system", "name": "Process Statistics", "description": "this process"}]
    figures = [
        {
            "group": "system",
            "identifier": "userTime",
            "name": "User Time",
            "type": "accumulated",
            "units": "seconds",
            "description": "CPU time in user mode",
        },
        {
            "group": "system",
            "identifier": "systemTime",
            "name": "System Time",
            "type": "accumulated",
            "units": "seconds",
            "description": "CPU time in kernel mode",
        },
    ]
    return ok({"groups": groups, "figures": figures})


def _physical_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 0


def metrics(ctx: Context) -> Response:
    engine = ctx.engine
    databases = list(engine.databases.values())
    collections = sum(len(db.collections) for db in databases)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    lines = [
        ("arangodb_server_statistics_server_uptime_total", "counter", time.time() - _STARTED),
        ("arangodb_process_statistics_user_time", "gauge", usage.ru_utime),
        ("arangodb_process_statistics_system_time", "gauge", usage.ru_stime),
        ("arangodb_process_statistics_resident_set_size", "gauge", usage.ru_maxrss * 1024),
        ("arangodb_process_statistics_number_of_threads", "gauge", threading.active_count()),
        ("arangolite_databases", "gauge", len(databases)),
        ("arangolite_collections", "gauge", collections),
    ]
    text = "".join(f"# TYPE {name} {kind}\n{name} {value}\n" for name, kind, value in lines)
    return Response(200, raw=text, headers={"Content-Type": "text/plain; version=0.0.4"})


def license_info(ctx: Context) -> Response:
    return Response(200, {"license": "none"})


def set_license(ctx: Context) -> Response:
    raise ArangoError(NOT_IMPLEMENTED, "licenses are an enterprise feature")


_OPTIONS: dict[str, Any] = {
    "server.authentication": True,
    "server.endpoint": ["tcp://127.0.0.1:8529"],
    "database.extended-names": True,
    "server.options-api": "admin",
    "javascript.enabled": False,
    "foxx.api": False,
    "query.cache-mode": "off",
}


def options(ctx: Context) -> Response:
    return Response(200, dict(_OPTIONS))


def options_description(ctx: Context) -> Response:
    return Response(
        200,
        {
            name: {
                "section": name.split(".")[0],
                "type": type(value).__name__,
                "description": f"arangolite's {name}",
            }
            for name, value in _OPTIONS.items()
        },
    )


def target_version(ctx: Context) -> Response:
    major, minor, patch = (int(p) for p in VERSION.split("."))
    return ok({"version": str(major * 10000 + minor * 100 + patch)})


def set_mode(ctx: Context) -> Response:
    body = ctx.request.json(default={})
    mode = body.get("mode") if isinstance(body, dict) else None
    if mode == "default":
        return ok({"mode": "default"})
    if mode == "readonly":
        raise ArangoError(NOT_IMPLEMENTED, "the read-only server mode")
    raise ArangoError(HTTP_BAD_PARAMETER, "mode must be default or readonly")


def reload_routing(ctx: Context) -> Response:
    return ok({})


def tls(ctx: Context) -> Response:
    return ok({"result": {"keyfile": None, "clientCA": None, "SNI": {}}})


def jwt_secrets(ctx: Context) -> Response:
    from arangolite.rest.auth import guard_of

    digest = hashlib.sha256(guard_of(ctx.engine).secret.encode("utf-8")).hexdigest()
    return ok({"result": {"active": {"sha256": digest}, "passive": []}})


def register(router: Router) -> None:
    router.add("GET", "/_admin/status", status)
    router.add("GET", "/_admin/statistics", statistics)
    router.add("GET", "/_admin/statistics-description", statistics_description)
    router.add("GET", "/_admin/log", read_log, lock_free=True)
    router.add("GET", "/_admin/log/entries", read_log_entries, lock_free=True)
    router.add("GET", "/_admin/log/level", get_log_levels, lock_free=True)
    router.add("PUT", "/_admin/log/level", set_log_levels, lock_free=True)
    router.add("GET", "/_admin/log/structured", get_log_settings, lock_free=True)
    router.add("PUT", "/_admin/log/structured", set_log_settings, lock_free=True)
    router.add("GET", "/_admin/metrics", metrics)
    router.add("GET", "/_admin/metrics/v2", metrics)
    router.add("GET", "/_admin/license", license_info, lock_free=True)
    router.add("PUT", "/_admin/license", set_license, lock_free=True)
    router.add("GET", "/_admin/options", options, lock_free=True)
    router.add("GET", "/_admin/options-description", options_description, lock_free=True)
    router.add("GET", "/_admin/database/target-version", target_version, lock_free=True)
    router.add("PUT", "/_admin/server/mode", set_mode)
    router.add("POST", "/_admin/routing/reload", reload_routing)
    router.add("GET", "/_admin/server/tls", tls, lock_free=True)
    router.add("POST", "/_admin/server/tls", tls, lock_free=True)
    router.add("GET", "/_admin/server/jwt", jwt_secrets, lock_free=True)
    router.add("POST", "/_admin/server/jwt", jwt_secrets, lock_free=True)
