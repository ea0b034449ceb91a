"""Serve arangolite's REST API on a loopback port (``python -m arangolite.server``).

The same router as the in-process client, behind the standard library's threading HTTP server.
Only ``127.0.0.1`` is bound. By default there is no authentication; with ``--root-password`` (or
``ARANGOLITE_ROOT_PASSWORD``) every request must carry HTTP basic auth for ``root`` with that
password, and others get ArangoDB's 401 answer — enough for clients to test their credential
handling against a server.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hmac
import json
import logging
import os
import signal
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from arangolite import errors
from arangolite.errors import ArangoError
from arangolite.rest.router import Router, default_router, dispatch, make_request
from arangolite.storage.engine import Engine, open_engine

__all__ = ["ArangoliteServer", "main", "serve"]

_log = logging.getLogger("arangolite.server")


class ArangoliteServer(ThreadingHTTPServer):
    """A threading HTTP server holding the engine and router its handlers use."""

    daemon_threads = True

    def __init__(
        self, port: int, engine: Engine, router: Router | None = None, root_password: str | None = None
    ) -> None:
        self.engine = engine
        self.router = router or default_router()
        self.root_password = root_password
        super().__init__(("127.0.0.1", port), _Handler)

    def authorized(self, header: str | None) -> bool:
        """True when no password is set, or ``header`` is basic auth for root with it."""
        if self.root_password is None:
            return True
        if not header or not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return user == "root" and hmac.compare_digest(password, self.root_password)


class _Handler(BaseHTTPRequestHandler):
    server: ArangoliteServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the client's delayed ACK
    # would hold every keep-alive response back by ~40 ms.
    disable_nagle_algorithm = True
    server_version = "ArangoDB"
    sys_version = ""

    def _serve(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not self.server.authorized(self.headers.get("authorization")):
            self._reply(401, {}, json.dumps(ArangoError(errors.HTTP_UNAUTHORIZED).to_body()))
            return
        if self.headers.get("content-encoding") == "deflate":
            raw = zlib.decompress(raw)
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        headers = {k: v for k, v in self.headers.items()}
        request = make_request(self.command, parts.path, params, headers, raw)
        answer = dispatch(self.server.engine, self.server.router, request)
        self._reply(answer.status, answer.headers, answer.text())

    def _reply(self, status: int, headers: dict[str, str], text: str) -> None:
        body = b"" if self.command == "HEAD" else text.encode("utf-8")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        _log.debug(format, *args)


def serve(port: int, data: str | None, root_password: str | None = None) -> ArangoliteServer:
    """A server on ``127.0.0.1:port`` for the engine of ``data`` (None: in memory)."""
    return ArangoliteServer(port, open_engine(data), root_password=root_password)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: serve until Ctrl-C or SIGTERM, then shut down cleanly."""
    parser = argparse.ArgumentParser(prog="arangolite", description=__doc__)
    parser.add_argument("--port", type=int, default=8529, help="loopback port (default 8529)")
    parser.add_argument("--data", default=None, help="data directory (default: in memory)")
    parser.add_argument(
        "--root-password",
        default=os.environ.get("ARANGOLITE_ROOT_PASSWORD"),
        help="require basic auth as root with this password (env ARANGOLITE_ROOT_PASSWORD; "
        "default: no authentication)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = serve(args.port, args.data, args.root_password)

    def _terminate(signum: int, frame: Any) -> None:
        del signum, frame
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _terminate)
    _log.info("arangolite listening on http://127.0.0.1:%d", server.server_address[1])
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
