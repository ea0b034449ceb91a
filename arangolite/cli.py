"""The ``arangolite`` command: ``arangolite serve`` serves the engine over HTTP.

    arangolite serve --port 8529 --data DIR --root-password PW --jwt-secret-keyfile FILE

Authentication is on when a root password (``--root-password`` or ``ARANGO_ROOT_PASSWORD``) or a
JWT secret keyfile is given; without either the server only binds loopback addresses. SIGTERM and
SIGINT stop accepting connections, let running requests finish and close the data directory, so
every acknowledged write is on disk.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import secrets
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import Any

from arangolite import gc_pause
from arangolite.errors import ArangoError
from arangolite.rest.auth import Guard
from arangolite.rest.auth_users import users_of
from arangolite.server import ArangoliteServer
from arangolite.server_cli import build_parser, configure
from arangolite.storage.engine import open_engine
from arangolite.workers import Plan, supervise

__all__ = ["main", "serve_main"]

_log = logging.getLogger("arangolite.server")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _secret(keyfile: str | None) -> str:
    if keyfile is None:
        return secrets.token_hex(32)
    text = Path(keyfile).read_text(encoding="utf-8").strip()
    if not text:
        raise ValueError(f"JWT secret keyfile {keyfile} is empty")
    return text


def serve_main(argv: list[str] | None = None, prog: str = "arangolite serve") -> int:
    """Parse ``argv`` and serve until SIGTERM or SIGINT; return the exit status."""
    parser = build_parser()
    parser.prog = prog
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    gc_pause.for_batches()
    limits = configure(args)
    auth = args.root_password is not None or args.jwt_secret_keyfile is not None
    if not auth and not _is_loopback(args.host):
        print(
            f"{prog}: error: refusing to serve {args.host} without authentication: "
            "give --root-password (or ARANGO_ROOT_PASSWORD) or bind 127.0.0.1",
            file=sys.stderr,
        )
        return 2
    if args.processes < 1:
        print(f"{prog}: error: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.processes > 1 and args.data is None:
        print(
            f"{prog}: error: --workers {args.processes} needs --data: worker processes share "
            "their state through the data directory, and the in-memory store has none",
            file=sys.stderr,
        )
        return 2
    try:
        secret = _secret(args.jwt_secret_keyfile)
        engine = open_engine(args.data)
    except (OSError, ValueError, ArangoError) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 1
    guard = None
    if auth:
        guard = Guard(engine, secret)
        users_of(engine).set_password("root", args.root_password or "")
    if args.processes > 1:
        engine.close()
        return _serve_workers(args, prog, Plan(args.processes, args.data, limits,
                                               secret if auth else None))
    try:
        server = ArangoliteServer(
            args.port, engine, limits=limits, authenticate=guard, host=args.host
        )
    except OSError as exc:
        engine.close()
        return _listen_failed(prog, args, exc)
    return _run(server)


def _serve_workers(args: Any, prog: str, plan: Plan) -> int:
    try:
        listener = socket.create_server((args.host, args.port), backlog=128)
    except OSError as exc:
        return _listen_failed(prog, args, exc)
    return supervise(plan, listener)


def _listen_failed(prog: str, args: Any, exc: OSError) -> int:
    if exc.errno == errno.EADDRINUSE:
        print(
            f"{prog}: error: port {args.port} on {args.host} is already in use: stop the "
            "server holding it or pick another --port",
            file=sys.stderr,
        )
        return 1
    print(f"{prog}: error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
    return 1


def _run(server: ArangoliteServer) -> int:
    """Serve; on SIGTERM/SIGINT stop accepting, wait for running requests, close the engine."""

    def _stop(signum: int, frame: Any) -> None:
        del signum, frame
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    host, port = server.server_address[:2]
    _log.info("arangolite listening on http://%s:%d", host, port)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        with server.engine.lock:  # running requests finish (and commit) first
            server.engine.close()
        _log.info("arangolite stopped; data closed")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``arangolite serve ...``; the options alone (``arangolite --port 8529``) also serve."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "serve":
        return serve_main(argv[1:])
    if argv and not argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        print(
            f"arangolite: error: unknown command {argv[0]!r} (try: arangolite serve --help)",
            file=sys.stderr,
        )
        return 2
    return serve_main(argv, prog="arangolite")


if __name__ == "__main__":
    sys.exit(main())
