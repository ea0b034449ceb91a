"""python-arango-async on arangolite in process: an async HTTP client over a sync transport.

arangolite answers python-arango's ``HTTPClient.send_request`` synchronously. This adapter is an
``arangoasync.http.HTTPClient`` that runs each request on a worker thread
(:func:`asyncio.to_thread`), so the event loop never blocks on the engine, and converts between
the two drivers' request and response types. Nothing of python-arango-async is patched.

Per request, the conversion here costs some 7 us (a point read) to 40 us (a 1,000-file upsert),
the thread hand-off 60-200 us after a short request and 1-4 ms after a long one (measured on a
shared 2-core machine at load average 5-7, timing the transport inside and outside). The hand-off
is the price of an event loop that stays free while the engine works, and is kept: a request is
never run on the loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

from arango.http import HTTPClient as SyncHTTPClient
from arangoasync.http import HTTPClient
from arangoasync.request import Request
from arangoasync.response import Response
from arangoasync.serialization import JsonSerializer

from nomarr.persistence.arango_client import strict_serializer

__all__ = ["AsyncOverSyncHTTPClient", "StrictJsonSerializer"]


class AsyncOverSyncHTTPClient(HTTPClient):  # type: ignore[misc]  # arangoasync ships no type hints
    """Serve python-arango-async's requests through a python-arango ``HTTPClient``.

    Args:
        transport: a sync transport, e.g. ``arangolite.InProcessHTTPClient(None)``; it may be
            shared with a sync ``Database`` on the same engine.
    """

    def __init__(self, transport: SyncHTTPClient) -> None:
        self.transport = transport

    def create_session(self, host: str) -> Any:
        """Return the sync transport's session for ``host`` (the host is kept for URLs)."""
        return (host.rstrip("/"), self.transport.create_session(host))

    async def close_session(self, session: Any) -> None:
        """Nothing to close: the sync transport owns its sessions."""

    async def send_request(self, session: Any, request: Request) -> Response:
        """Send ``request`` through the sync transport on a worker thread."""
        host, sync_session = session
        auth = None if request.auth is None else (request.auth.username, request.auth.password)
        answer = await asyncio.to_thread(
            self.transport.send_request,
            sync_session,
            request.method.name.lower(),
            host + request.endpoint,
            request.normalized_headers(),
            request.normalized_params(),
            request.data,
            auth,
        )
        raw = answer.raw_body
        return Response(
            method=request.method,
            url=answer.url,
            headers=answer.headers,
            status_code=answer.status_code,
            status_text=answer.status_text,
            raw_body=raw.encode("utf-8") if isinstance(raw, str) else raw,
        )


class StrictJsonSerializer(JsonSerializer):  # type: ignore[misc]  # arangoasync ships no type hints
    """python-arango-async's serializer hook with the sync client's strict JSON check.

    A bind variable that is not strict JSON raises
    :class:`~nomarr.helpers.errors.BindVarsNotSerializableError` naming its path, before
    anything is sent (see :func:`nomarr.persistence.arango_client.strict_serializer`).
    """

    def dumps(self, data: Any) -> str:
        """Serialise a request body as strict JSON."""
        return strict_serializer(data)
