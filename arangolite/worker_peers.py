"""Requests one worker of ``arangolite serve --workers N`` sends the others.

Every worker also listens on a private loopback port. A request that belongs to another worker
(see :mod:`arangolite.worker_routes`) is sent there as it came (method, path, headers and the
body bytes, so authentication runs again on the same credentials) and the answer is relayed
unchanged. Lists are gathered from every worker and concatenated (a worker that cannot be reached
is left out: its jobs and queries are gone); settings are applied in every worker. A request for
the id of a worker that cannot be reached answers 503 (errorNum 503).
"""

from __future__ import annotations

import http.client
import logging
from collections.abc import Mapping

from arangolite import errors, strict_json
from arangolite.errors import ArangoError
from arangolite.rest.http import Response, error_response
from arangolite.worker_routes import LOCAL_HEADER

__all__ = ["Peers"]

_log = logging.getLogger("arangolite.server")
# Not passed on: they describe the client's connection, or are set again for the relayed body.
_HOP = {"connection", "keep-alive", "content-length", "transfer-encoding", "host", "date", "server",
        "expect"}


class Peers:
    """The private ports of all workers (this one's included, never used)."""

    def __init__(self, host: str, ports: list[int], index: int) -> None:
        self.host = host
        self.ports = ports
        self.index = index

    def forward(
        self, owner: int, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> Response:
        """Send the request to worker ``owner`` and return its answer as it is."""
        try:
            status, reply_headers, data = self._send(owner, method, target, headers, body)
        except OSError as exc:
            _log.warning("worker %d cannot reach worker %d: %s", self.index, owner, exc)
            return error_response(ArangoError(errors.HTTP_SERVICE_UNAVAILABLE,
                                              message=f"worker {owner} is not reachable"))
        return Response(status, None, reply_headers, raw=data.decode("utf-8", "replace"))

    def gather(
        self, local: Response, method: str, target: str, headers: Mapping[str, str], body: bytes,
        limit: int | None = None,
    ) -> Response:
        """``local`` with the lists the other workers answer to the same request appended."""
        if local.status != 200 or not isinstance(local.body, list):
            return local
        rows = list(local.body)
        for other in self.others():
            try:
                status, reply_headers, data = self._send(other, method, target, headers, body)
            except OSError as exc:  # a dead worker's jobs and queries are gone: left out
                _log.warning("worker %d cannot reach worker %d: %s", self.index, other, exc)
                continue
            if status != 200:
                return Response(status, None, reply_headers, raw=data.decode("utf-8", "replace"))
            try:
                more = strict_json.loads(data.decode("utf-8", "replace"))
            except ArangoError:
                more = None
            if isinstance(more, list):
                rows.extend(more)
        if limit is not None:
            rows = rows[:limit]
        return Response(200, rows, dict(local.headers))

    def broadcast(
        self, local: Response, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> Response:
        """Apply a request that succeeded here in every other worker too; ``local`` is answered."""
        if local.status >= 300:
            return local
        for other in self.others():
            answer = self.forward(other, method, target, headers, body)
            if answer.status >= 300:
                _log.warning("worker %d refused %s %s: %d", other, method, target, answer.status)
        return local

    def others(self) -> list[int]:
        return [i for i in range(len(self.ports)) if i != self.index]

    def _send(
        self, owner: int, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        # A new connection each time, closed after the answer: a kept one would hold a thread
        # of the owner's private server until its idle timeout.
        sent = {k: v for k, v in headers.items() if k.lower() not in _HOP}
        sent[LOCAL_HEADER] = "1"
        sent["Content-Length"] = str(len(body))
        sent["Connection"] = "close"
        conn = http.client.HTTPConnection(self.host, self.ports[owner])
        try:
            conn.request(method, target, body=body, headers=sent)
            reply = conn.getresponse()
            data = reply.read()
        except http.client.HTTPException as exc:
            raise OSError(f"bad answer from worker {owner}: {exc!r}") from exc
        finally:
            conn.close()
        kept = {k: v for k, v in reply.getheaders() if k.lower() not in _HOP}
        return reply.status, kept, data
