"""Request and response objects of the REST layer, and small helpers shared by the handlers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from arangolite import strict_json
from arangolite.errors import BAD_PARAMETER, ArangoError
from arangolite.storage.doc_text import text_of

if TYPE_CHECKING:
    from arangolite.storage.database import Database
    from arangolite.storage.engine import Engine
    from arangolite.storage.transactions import Transaction

__all__ = ["Request", "Response", "error_response", "ok"]

# one encoder for every response (``json.dumps`` with options builds one per call); bodies are
# JSON trees (parsed bodies, documents, query results), never cyclic, so no cycle bookkeeping
_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False).encode
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


@dataclass
class Request:
    """One HTTP request, already split into database, path, query parameters and headers.

    ``headers`` keys are lower-case. ``body`` is the raw text (empty when there is none).
    ``user`` is the authenticated user (None: no authentication, or the superuser).
    """

    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    db_name: str = "_system"
    user: str | None = None
    _parsed: Any = field(default=None, repr=False)
    _has_parsed: bool = field(default=False, repr=False)
    ahead: Any = field(default=None, repr=False)  # what the route's parse ahead made (router)

    def json(self, *, default: Any = None) -> Any:
        """The body parsed as JSON (``default`` when empty); 600 when ArangoDB would refuse it.

        NaN, Infinity, numbers beyond a double, lone surrogates and over-deep nesting are refused
        too (see :mod:`arangolite.strict_json`).
        """
        if self._has_parsed:
            return self._parsed
        value = default if not self.body.strip() else strict_json.loads(self.body)
        self._parsed, self._has_parsed = value, True
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean query parameter (``true``/``false``/``1``/``0``)."""
        raw = self.params.get(name)
        if raw is None:
            return default
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        return default

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Context:
    """What a handler works with: the engine, the request's database and its stream transaction."""

    engine: Engine
    request: Request
    db: Database
    trx: Transaction | None = None


@dataclass
class Response:
    """A handler's answer: status, JSON-able body (``raw`` text wins when set) and headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: str | None = None

    def text(self) -> str:
        """The body as sent (documents read from the store as their stored text: see
        ``storage.doc_text``)."""
        if self.raw is not None:
            return self.raw
        body = self.body
        if body is None:
            return ""
        if type(body) is dict:
            rows = body.get("result")
            if type(rows) is list and rows and text_of(rows[0]) is not None:
                return _with_stored_rows(body, rows)
            stored = text_of(body)  # a document read
            if stored is not None:
                return stored
        return _encode(body)


def _with_stored_rows(body: dict[str, Any], rows: list[Any]) -> str:
    """``body`` encoded, its ``result`` rows that are stored documents as their stored text
    (the others encoded as usual). Only when every attribute before ``result`` is a scalar:
    then the first ``"result":0`` of the body encoded with a 0 there is that attribute (a
    string holding it has its quotes escaped)."""
    for name, value in body.items():
        if name == "result":
            break
        if type(value) in (dict, list):
            return _encode(body)
    parts = []
    for row in rows:
        stored = text_of(row)
        parts.append(stored if stored is not None else _encode(row))
    head = _encode({**body, "result": 0})
    return head.replace('"result":0', '"result":[' + ",".join(parts) + "]", 1)


def ok(body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A success response with ArangoDB's ``error``/``code`` attributes added."""
    out = {"error": False, "code": status}
    out.update(body)
    return Response(status, out, headers or {})


def error_response(exc: ArangoError, extra: dict[str, Any] | None = None) -> Response:
    """ArangoDB's error body for ``exc``."""
    body = exc.to_body()
    if extra:
        body.update(extra)
    return Response(exc.http_code, body)


def require_object(value: Any, what: str = "body") -> dict[str, Any]:
    """``value`` when it is a JSON object; 400 bad parameter otherwise."""
    if not isinstance(value, dict):
        raise ArangoError(BAD_PARAMETER, f"expecting JSON object {what}")
    return value
