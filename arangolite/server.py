"""Serve arangolite's REST API over HTTP (``arangolite serve``, ``python -m arangolite.server``).

The same router as the in-process client, behind the standard library's HTTP request parser.
``127.0.0.1`` is bound unless told otherwise (``arangolite serve --host``). Connection handling is built to survive hostile clients:

- a bounded pool of worker threads (``--server.maximal-threads``) with a bounded queue of waiting
  connections (``--server.maximal-queue-size``); beyond it a connection gets 503 at once;
- idle keep-alive connections and stalled uploads are closed after ``--http.keep-alive-timeout``;
- authentication runs on the headers, *before* the body is read (see :data:`Authenticate`);
- the body size (413), its ``Content-Length`` (400), its compression (400, and 413 when it
  inflates beyond the cap) and its UTF-8 are checked before the router sees it; whenever a body
  is left unread the answer says ``Connection: close`` and the connection is closed.

By default there is no authentication; ``arangolite serve`` plugs in
:class:`arangolite.rest.auth.Guard` (users, basic auth, JWT, permissions) as the hook.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import json
import logging
import socket
import threading
from collections.abc import Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from arangolite import errors
from arangolite.errors import ArangoError
from arangolite.rest.auth import USER_HEADER
from arangolite.rest.http import Response, error_response
from arangolite.rest.http_body import BodyLimits, check_size, content_length, inflate
from arangolite.rest.resources import default_router
from arangolite.rest.router import Router, dispatch, make_request
from arangolite.storage.engine import Engine, open_engine
from arangolite.strict_json import decode_utf8
from arangolite.worker_balance import Balance
from arangolite.worker_peers import Peers
from arangolite.worker_routes import route

__all__ = ["ArangoliteServer", "Authenticate", "ServerLimits", "basic_root_auth", "main", "serve"]

_log = logging.getLogger("arangolite.server")

#: Called with (method, path, headers) before a request's body is read: None lets the request
#: through, a Response (typically ArangoDB's 401) is sent instead and the body is never read.
Authenticate = Callable[[str, str, MutableMapping[str, str]], Response | None]

_DRAIN_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class ServerLimits:
    """What one server lets its clients use.

    Attributes:
        workers: threads serving connections (ArangoDB's ``--server.maximal-threads``).
        queue: connections allowed to wait for a worker; more get 503 at once.
        idle_timeout: seconds a connection may stay silent (idle keep-alive or a stalled body).
        body: request body limits (413).
    """

    workers: int = 64
    queue: int = 256
    idle_timeout: float = 60.0
    body: BodyLimits = field(default_factory=BodyLimits)


def basic_root_auth(root_password: str | None) -> Authenticate:
    """The hook requiring HTTP basic auth as ``root`` with ``root_password`` (None: no auth)."""

    def authenticate(method: str, path: str, headers: MutableMapping[str, str]) -> Response | None:
        del method, path
        if root_password is None or _basic_root(headers.get("authorization"), root_password):
            return None
        return error_response(ArangoError(errors.HTTP_UNAUTHORIZED))

    return authenticate


def _basic_root(header: str | None, password: str) -> bool:
    if not header or not header.startswith("Basic "):
        return False
    try:
        user, _, given = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    return user == "root" and hmac.compare_digest(given.encode(), password.encode())


class ArangoliteServer(HTTPServer):
    """An HTTP server holding the engine and router its handlers use, with a bounded worker pool.

    Args:
        port: loopback port (0: any free port).
        engine: the engine to serve.
        router: the routing table (default: every resource).
        root_password: shorthand for ``authenticate=basic_root_auth(root_password)``.
        limits: worker, queue, timeout and body limits.
        authenticate: the authentication hook, run before a body is read. It may name the
            authenticated user in ``headers[USER_HEADER]``, which becomes ``Request.user``.
        host: address to bind (``arangolite serve`` refuses non-loopback ones without auth).
        sock: an already listening socket to accept on instead (``--workers``: shared by every
            worker, so accepting never blocks: another worker may have taken the connection).
        peers: the other workers, to which requests for their cursors, transactions, jobs and
            queries are forwarded (see :mod:`arangolite.worker_routes`).
        balance: the open-connection counts of all workers, to spread connections over them.
    """

    def __init__(
        self,
        port: int,
        engine: Engine,
        router: Router | None = None,
        root_password: str | None = None,
        *,
        limits: ServerLimits | None = None,
        authenticate: Authenticate | None = None,
        host: str = "127.0.0.1",
        sock: socket.socket | None = None,
        peers: Peers | None = None,
        balance: Balance | None = None,
    ) -> None:
        self.engine = engine
        self.peers = peers
        self.balance = balance
        self.router = router or default_router()
        self.limits = limits or ServerLimits()
        self.authenticate: Authenticate = authenticate or basic_root_auth(root_password)
        self._pool = ThreadPoolExecutor(self.limits.workers, thread_name_prefix="arangolite-http")
        self._slots = threading.BoundedSemaphore(self.limits.workers + self.limits.queue)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        if sock is None:
            super().__init__((host, port), _Handler)
            return
        super().__init__(sock.getsockname()[:2], _Handler, bind_and_activate=False)
        self.socket.close()
        sock.setblocking(False)
        self.socket = sock
        self.server_address = sock.getsockname()
        self.server_name, self.server_port = "localhost", self.server_address[1]

    def get_request(self) -> tuple[socket.socket, Any]:
        """Accept a connection (which blocks, whatever the listening socket does)."""
        if self.balance is not None and self.balance.defer():
            raise BlockingIOError("left to a less busy worker")
        conn, address = self.socket.accept()
        conn.setblocking(True)
        if self.balance is not None:
            self.balance.opened()
        return conn, address

    def shutdown_request(self, request: Any) -> None:
        super().shutdown_request(request)
        if self.balance is not None:
            self.balance.closed()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Hand the connection to the pool, or answer 503 when workers and queue are full."""
        if not self._slots.acquire(blocking=False):
            _refuse(request, errors.QUEUE_FULL)
            self.shutdown_request(request)
            return
        try:
            self._pool.submit(self._work, request, client_address)
        except RuntimeError:  # the pool is shutting down
            self._slots.release()
            self.shutdown_request(request)

    def _work(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            with self._open_lock:
                self._open.discard(request)
            self.shutdown_request(request)
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that vanished is routine; anything else is logged with its traceback."""
        _log.debug("connection from %s ended with an error", client_address, exc_info=True)

    def server_close(self) -> None:
        """Stop accepting, end idle connections, let running requests finish."""
        super().server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._open_lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RD)

    def drain(self) -> None:
        """After :meth:`server_close`: wait until the requests still running have answered."""
        self._pool.shutdown(wait=True)


def _refuse(sock: socket.socket, code: errors.ErrorCode) -> None:
    body = json.dumps(ArangoError(code).to_body()).encode()
    head = (
        f"HTTP/1.1 {code.http} Service Unavailable\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with contextlib.suppress(OSError):
        sock.sendall(head + body)


class _Handler(BaseHTTPRequestHandler):
    server: ArangoliteServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the client's delayed ACK
    # would hold every keep-alive response back by ~40 ms.
    disable_nagle_algorithm = True
    server_version = "ArangoDB"
    sys_version = ""

    def setup(self) -> None:
        self.timeout = self.server.limits.idle_timeout  # type: ignore[misc]
        super().setup()

    def _serve(self) -> None:
        try:
            length = content_length(self.headers.get("content-length"), self.headers.get("transfer-encoding"))
        except ArangoError as exc:
            self._send(error_response(exc), body_left=-1)
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        headers.pop(USER_HEADER, None)
        denied = self.server.authenticate(self.command, urlsplit(self.path).path, headers)
        if denied is not None:
            self._send(denied, body_left=length)
            return
        try:
            check_size(length, self.server.limits.body)
        except ArangoError as exc:
            self._send(error_response(exc), body_left=length)
            return
        raw = self.rfile.read(length) if length else b""
        if len(raw) < length:  # the client stopped sending (or timed out) mid-body
            short = ArangoError(errors.HTTP_BAD_PARAMETER, message="bad parameter: the body ended "
                                f"after {len(raw)} of the {length} bytes of its Content-Length")
            self._send(error_response(short), body_left=-1)
            return
        self._send(self._answer(raw, headers), body_left=0)

    def _answer(self, raw: bytes, headers: dict[str, str]) -> Response:
        try:
            text = decode_utf8(inflate(raw, headers.get("content-encoding"), self.server.limits.body))
            parts = urlsplit(self.path)
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            user = headers.pop(USER_HEADER, None)
            request = make_request(self.command, parts.path, params, headers, text)
            request.user = user
        except ArangoError as exc:
            return error_response(exc)
        peers = self.server.peers
        where = route(self.command, parts.path, headers) if peers is not None else None
        if peers is None or where is None or where.kind == "local":
            return dispatch(self.server.engine, self.server.router, request)
        sent = {k: v for k, v in self.headers.items() if k.lower() != USER_HEADER}
        if where.kind == "owner":
            return peers.forward(where.owner, self.command, self.path, sent, raw)
        answer = dispatch(self.server.engine, self.server.router, request)
        if where.kind == "broadcast":
            return peers.broadcast(answer, self.command, self.path, sent, raw)
        count = params.get("count", "")
        limit = int(count) if count.isdigit() else None
        return peers.gather(answer, self.command, self.path, sent, raw, limit)

    def _send(self, answer: Response, body_left: int) -> None:
        """Send ``answer``; with ``body_left`` bytes unread (-1: unknown) drain or close."""
        if body_left and not (0 < body_left <= _DRAIN_LIMIT and self._drain(body_left)):
            self.close_connection = True
        text = answer.text()
        body = b"" if self.command == "HEAD" else text.encode("utf-8", "backslashreplace")
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if not any(name.lower() == "content-type" for name in answer.headers):
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if body:
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A request line or headers the HTTP parser refused (400, 414, 431, 501, 505): ArangoDB's
        JSON error body instead of the standard library's HTML page, and the connection closed."""
        self.close_connection = True
        self.request_version = "HTTP/1.1"  # also when the request line was too garbled to say
        reason = message or self.responses.get(code, ("error",))[0]
        body = json.dumps({"error": True, "code": code, "errorNum": code,
                           "errorMessage": f"{reason.lower()}: {explain or 'malformed request'}"})
        data = body.encode()
        self.send_response(code, message)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        if getattr(self, "command", None) != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(data)

    def _drain(self, length: int) -> bool:
        """Read and drop a small unread body so the connection can be kept."""
        try:
            return len(self.rfile.read(length)) == length
        except OSError:
            return False

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format: str, *args: Any) -> None:
        _log.debug(format, *args)


def serve(
    port: int,
    data: str | None,
    root_password: str | None = None,
    *,
    limits: ServerLimits | None = None,
    authenticate: Authenticate | None = None,
    host: str = "127.0.0.1",
) -> ArangoliteServer:
    """A server on ``host:port`` for the engine of ``data`` (None: in memory)."""
    return ArangoliteServer(
        port, open_engine(data), root_password=root_password, limits=limits,
        authenticate=authenticate, host=host,
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m arangolite.server``: the same as ``arangolite serve``."""
    from arangolite.cli import serve_main

    return serve_main(argv)


if __name__ == "__main__":
    import sys

    sys.exit(main())
