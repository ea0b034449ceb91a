"""The options of ``arangolite serve`` (``arangolite.cli`` runs the server).

Option names follow ``arangod``'s where it has one (``--server.maximal-threads``,
``--http.keep-alive-timeout``, ``--query.memory-limit``, ``--query.max-runtime``,
``--transaction.streaming-lock-timeout``).
"""

from __future__ import annotations

import argparse
import os

from arangolite.aql import limits as query_limits
from arangolite.rest.http_body import BodyLimits
from arangolite.server import ServerLimits
from arangolite.storage import stream_lease

__all__ = ["build_parser", "configure"]

_MIB = 1024 * 1024


def build_parser() -> argparse.ArgumentParser:
    """The command's options."""
    parser = argparse.ArgumentParser(prog="arangolite", description="Serve arangolite over HTTP.")
    add = parser.add_argument
    add("--host", default="127.0.0.1",
        help="address to bind (default 127.0.0.1; others only with authentication)")
    add("--port", type=int, default=8529, help="port (default 8529; 0: any free one)")
    add("--data", default=None, help="data directory (default: in memory)")
    add(
        "--root-password",
        default=os.environ.get("ARANGO_ROOT_PASSWORD", os.environ.get("ARANGOLITE_ROOT_PASSWORD")),
        help="password of root; turns authentication on (env ARANGO_ROOT_PASSWORD; "
        "default: no authentication)",
    )
    add("--jwt-secret-keyfile", help="file holding the JWT signing secret (as arangod's "
        "--server.jwt-secret-keyfile); turns authentication on")
    add("--workers", dest="processes", type=int, default=1,
        help="worker processes serving the port, each with its own engine on the --data "
        "directory (default 1; more need --data)")
    defaults = ServerLimits()
    add("--server.maximal-threads", dest="workers", type=int, default=defaults.workers,
        help=f"worker threads serving connections (default {defaults.workers})")
    add("--server.maximal-queue-size", dest="queue", type=int, default=defaults.queue,
        help=f"connections waiting for a worker before new ones get 503 (default {defaults.queue})")
    add("--http.keep-alive-timeout", dest="idle", type=float, default=defaults.idle_timeout,
        help=f"seconds an idle or stalled connection is kept (default {defaults.idle_timeout:g})")
    add("--http.max-body-size", dest="max_body", type=int, default=defaults.body.max_body // _MIB,
        help="largest request body in MiB, also after inflating deflate/gzip (default "
        f"{defaults.body.max_body // _MIB}); larger requests get 413")
    add("--query.memory-limit", dest="memory_limit", type=int, default=0,
        help="default memory limit of one AQL query in bytes (0: none); a query's own "
        "memoryLimit option overrides it")
    add("--query.max-runtime", dest="max_runtime", type=float, default=0.0,
        help="default maxRuntime of an AQL query in seconds (0: none)")
    add("--transaction.streaming-lock-timeout", dest="streaming_lock_timeout", type=_seconds,
        default=stream_lease.LOCK_TIMEOUT,
        help="seconds a request waits while another request uses the same stream transaction, "
        f"then gets 28 (default {stream_lease.LOCK_TIMEOUT:g})")
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0:  # also NaN
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def configure(args: argparse.Namespace) -> ServerLimits:
    """Apply the query-limit defaults of ``args``; the server limits it asks for."""
    query_limits.set_defaults(memory_limit=args.memory_limit, max_runtime=args.max_runtime)
    stream_lease.set_default_lock_timeout(args.streaming_lock_timeout)
    body = BodyLimits(max_body=args.max_body * _MIB, max_inflated=args.max_body * _MIB)
    return ServerLimits(workers=args.workers, queue=args.queue, idle_timeout=args.idle, body=body)
