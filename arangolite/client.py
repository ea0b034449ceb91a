"""``InProcessHTTPClient``: python-arango's pluggable HTTP client, served by the in-process engine.

python-arango builds its requests as usual; instead of going over a socket they are dispatched to
arangolite's router and answered with ArangoDB's wire JSON, so the driver's response handling and
exception mapping run unchanged.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from arango.http import HTTPClient
from arango.response import Response
from requests.structures import CaseInsensitiveDict

from arangolite.errors import NOT_IMPLEMENTED, ArangoError
from arangolite.rest.http import error_response
from arangolite.rest.http_body import BodyLimits, inflate
from arangolite.rest.resources import default_router
from arangolite.rest.router import dispatch, make_request
from arangolite.storage.engine import Engine, open_engine
from arangolite.strict_json import decode_utf8

__all__ = ["InProcessHTTPClient", "InProcessSession"]

_LIMITS = BodyLimits()
_REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    304: "Not Modified",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    410: "Gone",
    412: "Precondition Failed",
    500: "Internal Server Error",
    501: "Not Implemented",
}


class InProcessSession:
    """Stands in for ``requests.Session``: nothing to pool or close."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.verify: Any = True

    def close(self) -> None:
        """Nothing to release."""


class InProcessHTTPClient(HTTPClient):
    """Serve python-arango's requests from an :class:`Engine` in this process.

    Args:
        path: data directory (None: in memory). Ignored when ``engine`` is given. Engines of one
            path are shared within the process.
        engine: an engine to serve from.
        cache_mb: decoded-document cache of the engine opened on ``path`` (see :class:`Engine`;
            None: ``$ARANGOLITE_CACHE_MB``, else 128); an engine already open on the path keeps
            its own.
    """

    def __init__(
        self, path: str | None = None, engine: Engine | None = None, *, cache_mb: float | None = None
    ) -> None:
        self.engine = engine if engine is not None else open_engine(path, cache_mb=cache_mb)
        self.router = default_router()

    def create_session(self, host: str) -> Any:
        return InProcessSession(host)

    def send_request(
        self,
        session: Any,
        method: str,
        url: str,
        headers: MutableMapping[str, str] | None = None,
        params: MutableMapping[str, str] | None = None,
        data: Any = None,
        auth: Any = None,
    ) -> Response:
        path, url_query = _split(url)
        query = dict(url_query)
        if params:
            query.update({str(k): str(v) for k, v in params.items()})
        hdrs = dict(headers or {})
        try:
            body = _body(data, hdrs)
            request = make_request(method, path, query, hdrs, body)
            answer = dispatch(self.engine, self.router, request)
        except ArangoError as exc:
            answer = error_response(exc)
        # the defaults first: a header of the answer replaces one of any case
        out_headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(_DEFAULT_HEADERS)
        if answer.headers:
            out_headers.update(answer.headers)
        raw = "" if method.lower() == "head" else answer.text()
        return Response(
            method=method,
            url=url,
            headers=out_headers,
            status_code=answer.status,
            status_text=_REASONS.get(answer.status, ""),
            raw_body=raw,
        )


_DEFAULT_HEADERS = {"content-type": "application/json; charset=utf-8", "server": "ArangoDB"}
_URLS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}
_URLS_KEPT = 512


def _split(url: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``(path, query parameters)`` of ``url``, split once per distinct URL (python-arango
    sends a handful over and over)."""
    found = _URLS.get(url)
    if found is None:
        parts = urlsplit(url)
        found = (parts.path, tuple(parse_qsl(parts.query, keep_blank_values=True)))
        if len(_URLS) >= _URLS_KEPT:
            _URLS.clear()
        _URLS[url] = found
    return found


def _body(data: Any, headers: dict[str, str]) -> str:
    if data is None:
        return ""
    if isinstance(data, str):
        return data
    if isinstance(data, bytes):
        encoding = {k.lower(): v for k, v in headers.items()}.get("content-encoding", "")
        return decode_utf8(inflate(data, encoding, _LIMITS))
    raise ArangoError(NOT_IMPLEMENTED, "multipart requests (batch API)")
