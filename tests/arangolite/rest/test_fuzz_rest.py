"""Fuzzing the REST layer: every request gets an ArangoDB answer, none a 500 or a dropped connection.

In process, random methods, routes, path segments, query parameters, headers and bodies (valid
JSON, NaN, truncated text, deep nesting) go through the router. Over a socket, the loopback
server gets random framing (Content-Length, encodings, garbage header lines) and must always
answer with a complete HTTP response.
"""

from __future__ import annotations

import socket
import threading
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arangolite.server import ArangoliteServer, ServerLimits, serve
from tests.arangolite.fuzz_cases import fresh_engine, problem, rest_requests, send

_ENGINE = None


def _engine() -> Any:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = fresh_engine([1, "a", None, [2], {"b": 3}])
    return _ENGINE


@settings(max_examples=1000, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rest_requests())
def test_every_request_gets_an_arangodb_answer(case: tuple[str, str, str, dict[str, str]]) -> None:
    method, path, body, headers = case
    response = send(_engine(), method, path, body, headers)
    assert problem(response) is None, (method, path, body[:200], headers, response.text()[:300])


@pytest.fixture(scope="module")
def server() -> Iterator[ArangoliteServer]:
    srv = serve(0, None, limits=ServerLimits(workers=4, queue=8, idle_timeout=5.0))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()
    srv.engine.close()


_LENGTHS = st.sampled_from(["exact", "missing", "short", "negative", "junk", "huge", "twice"])
_ENCODINGS = st.sampled_from(["", "deflate", "gzip", "br", "deflate-garbled", "gzip-truncated"])


def _wire(method: str, path: str, body: bytes, length: str, encoding: str, junk: list[str]) -> bytes:
    if encoding == "deflate":
        body = zlib.compress(body)
    elif encoding == "gzip":
        compressor = zlib.compressobj(wbits=31)
        body = compressor.compress(body) + compressor.flush()
    elif encoding == "gzip-truncated":
        body = zlib.compress(body)[:-3]
    elif encoding == "deflate-garbled":
        body = b"\x00garbled" + body
    lines = [f"{method} {path} HTTP/1.1", "Host: fuzz"]
    name = encoding.split("-")[0]
    if name:
        lines.append(f"Content-Encoding: {name}")
    announced = {"exact": str(len(body)), "short": str(max(0, len(body) - 2)), "negative": "-1",
                 "junk": "12abc", "huge": str(1 << 40), "missing": None, "twice": str(len(body))}[length]
    if announced is not None:
        lines.append(f"Content-Length: {announced}")
    if length == "twice":
        lines.append(f"Content-Length: {len(body) + 5}")
    lines.extend(junk)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogatepass") + body


def _read_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rest_requests(), _LENGTHS, _ENCODINGS,
       st.lists(st.text(max_size=12).filter(lambda t: "\r" not in t and "\n" not in t), max_size=2))
def test_server_always_answers(server: ArangoliteServer, case: tuple[str, str, str, dict[str, str]],
                               length: str, encoding: str, junk: list[str]) -> None:
    method, path, body, _ = case
    path = "/_db/_system" + "".join(c if c.isascii() and c.isprintable() and c != " " else "%20" for c in path)
    sock = socket.create_connection(server.server_address[:2], timeout=10)
    try:
        sock.sendall(_wire(method, path, body.encode("utf-8", "surrogatepass"), length, encoding, junk))
        if length == "short":
            sock.shutdown(socket.SHUT_WR)  # the body ends early: the server must not wait forever
        head = _read_response(sock)
    finally:
        sock.close()
    assert head.startswith(b"HTTP/1."), (method, path, length, encoding, junk, head[:200])
    status = int(head.split()[1])
    assert status < 500 or status in (501, 503) or b'"errorNum":32' in head, head[:300]
