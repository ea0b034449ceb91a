"""The loopback server under hostile clients: limits, authentication first, clean 400s."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
import zlib
from collections.abc import Iterator

import pytest
from arango.client import ArangoClient

from arangolite.rest.http_body import BodyLimits
from arangolite.server import ArangoliteServer, ServerLimits, serve

AUTH = "Basic " + base64.b64encode(b"root:pw").decode()


@pytest.fixture
def server() -> Iterator[ArangoliteServer]:
    limits = ServerLimits(workers=4, queue=2, idle_timeout=1.0, body=BodyLimits(1 << 20, 4 << 20))
    srv = serve(0, None, root_password="pw", limits=limits)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()
    srv.engine.close()


def _connect(srv: ArangoliteServer) -> socket.socket:
    sock = socket.create_connection(srv.server_address[:2], timeout=10)
    return sock


def _request(sock: socket.socket, head: str, body: bytes = b"") -> tuple[int, dict[str, str], dict[str, object]]:
    sock.sendall(head.encode() + b"\r\n" + body)
    return _response(sock)


def _response(sock: socket.socket) -> tuple[int, dict[str, str], dict[str, object]]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before a response")
        data += chunk
    header, _, rest = data.partition(b"\r\n\r\n")
    lines = header.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        rest += sock.recv(65536)
    return int(lines[0].split()[1]), headers, json.loads(rest) if rest else {}


def _closed(sock: socket.socket) -> bool:
    sock.settimeout(5)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def _post(path: str, body: bytes, *extra: str, auth: bool = True) -> tuple[str, bytes]:
    lines = [f"POST {path} HTTP/1.1", "Host: x", f"Content-Length: {len(body)}", *extra]
    if auth:
        lines.append(f"Authorization: {AUTH}")
    return "\r\n".join(lines) + "\r\n", body


def test_authentication_before_the_body_is_read(server: ArangoliteServer) -> None:
    sock = _connect(server)
    # announces 1 GiB but sends none of it: refused from the headers alone, connection closed
    head = "POST /_api/document/c HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n"
    status, headers, body = _request(sock, head)
    assert (status, body["errorNum"]) == (401, 401) and headers["connection"] == "close"
    assert _closed(sock)


def test_unauthorized_small_body_keeps_the_connection(server: ArangoliteServer) -> None:
    sock = _connect(server)
    assert _request(sock, *_post("/_api/version", b"{}", auth=False))[0] == 401
    assert _request(sock, "GET /_api/version HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH + "\r\n")[0] == 200


def test_body_over_the_limit_is_413(server: ArangoliteServer) -> None:
    sock = _connect(server)
    head = f"POST /_api/cursor HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\nAuthorization: {AUTH}\r\n"
    status, headers, body = _request(sock, head)
    assert (status, body["errorNum"]) == (413, 413) and headers["connection"] == "close"


def test_inflated_size_is_capped(server: ArangoliteServer) -> None:
    bomb = zlib.compress(b" " * (8 << 20))  # 8 KiB that inflate to 8 MiB, over the 4 MiB cap
    sock = _connect(server)
    status, _, body = _request(sock, *_post("/_api/cursor", bomb, "Content-Encoding: deflate"))
    assert (status, body["errorNum"]) == (413, 413)
    good = zlib.compress(json.dumps({"query": "RETURN 1"}).encode())
    status, _, body = _request(sock, *_post("/_api/cursor", good, "Content-Encoding: deflate"))
    assert status == 201 and body["result"] == [1]


@pytest.mark.parametrize(
    ("head", "payload"),
    [
        ("POST /_api/cursor HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n", b""),
        ("POST /_api/cursor HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n", b""),
        ("POST /_api/cursor HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n"),
    ],
)
def test_bad_framing_is_400_and_closes(server: ArangoliteServer, head: str, payload: bytes) -> None:
    sock = _connect(server)
    status, headers, body = _request(sock, head + f"Authorization: {AUTH}\r\n", payload)
    assert (status, body["errorNum"]) == (400, 400) and headers["connection"] == "close"
    assert _closed(sock)


@pytest.mark.parametrize(
    ("payload", "extra", "error_num"),
    [
        (b'{"query": "RETURN \xff"}', (), 600),
        (b"garbage, not deflate", ("Content-Encoding: deflate",), 400),
        (zlib.compress(b'{"query": "RETURN 1"}')[:-4], ("Content-Encoding: deflate",), 400),
        (b"{}", ("Content-Encoding: br",), 400),
    ],
)
def test_bad_bodies_are_400_and_keep_the_connection(
    server: ArangoliteServer, payload: bytes, extra: tuple[str, ...], error_num: int
) -> None:
    sock = _connect(server)
    status, _, body = _request(sock, *_post("/_api/cursor", payload, *extra))
    assert (status, body["errorNum"]) == (400, error_num)
    assert _request(sock, *_post("/_api/cursor", b'{"query": "RETURN 2"}'))[2]["result"] == [2]


def test_idle_connections_are_closed(server: ArangoliteServer) -> None:
    sock = _connect(server)
    started = time.monotonic()
    assert _closed(sock) and time.monotonic() - started < 4


def test_workers_and_queue_are_bounded(server: ArangoliteServer) -> None:
    idle = [_connect(server) for _ in range(6)]  # 4 workers + 2 queued
    time.sleep(0.2)
    extra = _connect(server)
    status, headers, body = _response(extra)
    assert (status, body["errorNum"]) == (503, 21) and headers["connection"] == "close"
    assert threading.active_count() < 30
    for sock in idle:
        sock.close()


def test_python_arango_gets_answers_not_retries(server: ArangoliteServer) -> None:
    url = f"http://127.0.0.1:{server.server_address[1]}"
    db = ArangoClient(hosts=url, request_timeout=10).db("_system", username="root", password="pw")
    started = time.monotonic()
    coll = db.create_collection("nan")
    with pytest.raises(Exception) as info:
        coll.insert({"a": float("nan")})
    assert getattr(info.value, "error_code", None) == 600
    assert time.monotonic() - started < 5  # an answer, not python-arango's retry back-off


@pytest.mark.parametrize(
    ("head", "status"),
    [
        ("FOO /_api/version HTTP/1.1\r\nHost: x\r\n", 501),  # a method HTTP does not know
        ("GET /_api/version HTTP/1.1\r\n" + "".join(f"X-{i}: y\r\n" for i in range(150)), 431),
        ("GET /_api/version HTTP/1.1\r\nX: " + "a" * 70_000 + "\r\n", 431),
        ("GET /_api/version HTTP/1.1 extra\r\n", 400),  # a garbled request line
    ],
)
def test_requests_the_parser_refuses_get_arangodb_json(server: ArangoliteServer, head: str, status: int) -> None:
    sock = _connect(server)
    code, headers, body = _request(sock, head)
    assert code == status and headers["connection"] == "close"
    assert body["error"] is True and body["errorNum"] == status and body["errorMessage"]
    assert _closed(sock)
