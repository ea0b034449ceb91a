"""Authentication and access control of ``arangolite serve``, as ArangoDB has them.

- ``Authorization: Basic`` with a user's password (or one of its access tokens);
- ``Authorization: bearer <JWT>`` (HS256, signed with the server secret): a token with
  ``preferred_username`` (as ``/_open/auth`` issues) acts as that user, one without (ArangoDB's
  superuser tokens, carrying ``server_id``) acts as the superuser;
- a missing, wrong or expired credential, or a user without access to the request's database,
  gets HTTP 401 with errorNum 11; a known user lacking the level an operation needs gets 403 with
  errorNum 11.

Database level ``rw`` is needed to create or drop collections, indexes and graphs; ``rw`` on
``_system`` to manage databases and users (a user may always read itself). Document, import and
collection requests need the collection's level: ``ro`` to read, ``rw`` to write; so do the
collections an AQL query names (``arangolite.rest.query_run.check_access``).
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
import time
import warnings
import weakref
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

import jwt
from jwt.warnings import InsecureKeyLengthWarning

from arangolite.errors import FORBIDDEN, HTTP_UNAUTHORIZED, UNAUTHORIZED, ArangoError
from arangolite.rest.auth_users import at_least, users_of
from arangolite.rest.http import Request, Response, error_response
from arangolite.rest.router import split_database
from arangolite.storage.engine import Engine

__all__ = ["USER_HEADER", "Guard", "Principal", "guard_of"]

#: Where the guard names the authenticated user for the server (``arangolite.server`` reads it
#: into ``Request.user`` and never takes it from the client).
USER_HEADER = "x-arangolite-authenticated-user"

# The secret is the operator's choice (ArangoDB accepts short ones too); say so once, not per request.
warnings.filterwarnings("ignore", category=InsecureKeyLengthWarning, module="jwt")
_TOKEN_LIFETIME = 3600
_OPEN = ("/_open/", "/_admin/server/availability")
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
_DB_ADMIN = ("/_api/view", "/_api/analyzer")
_SYSTEM_ADMIN = ("/_api/database", "/_api/user", "/_api/token", "/_admin/")
_ANY_USER = ("/_admin/echo", "/_admin/routing/reload")  # as in ArangoDB: any authenticated user
_ADMIN_READS = ("/_admin/server/aql-queries", "/_admin/server/api-calls")  # the recording API
_COLLECTION_PATHS = ("/_api/document/", "/_api/collection/", "/_api/edges/")


_GUARDS: weakref.WeakKeyDictionary[Engine, Guard] = weakref.WeakKeyDictionary()
_GUARDS_LOCK = threading.Lock()


def guard_of(engine: Engine) -> Guard:
    """The guard serving ``engine`` (a new one with a random secret when it has none)."""
    with _GUARDS_LOCK:
        guard = _GUARDS.get(engine)
    return guard if guard is not None else Guard(engine, secrets.token_hex(32))


@dataclass(frozen=True)
class Principal:
    """Who a request runs as: a user name, or the superuser (``name`` None)."""

    name: str | None

    @property
    def superuser(self) -> bool:
        """True for a superuser JWT."""
        return self.name is None


class Guard:
    """Checks every request of a server with authentication on.

    Args:
        engine: the engine whose ``_system._users`` holds the users.
        secret: the JWT signing secret.
    """

    def __init__(self, engine: Engine, secret: str) -> None:
        # Weakly: ``_GUARDS`` is keyed weakly by the engine, and a strong reference from the
        # value would keep the engine alive after it was closed.
        self._engine = weakref.ref(engine)
        self.secret = secret
        # Set under ``--workers``: catch up on other processes' commits before authenticating,
        # so a user or grant changed through another worker counts at once.
        self.catch_up_first = False
        with _GUARDS_LOCK:
            _GUARDS[engine] = self

    @property
    def engine(self) -> Engine:
        """The engine whose ``_system._users`` holds the users."""
        engine = self._engine()
        if engine is None:
            raise ReferenceError("the engine of this guard is gone")
        return engine

    # -- authentication ------------------------------------------------------------------------

    def login(self, body: Any) -> Response:
        """``POST /_open/auth``: a JWT for a user's name and password, or 401."""
        if not isinstance(body, dict) or not isinstance(body.get("username"), str):
            return error_response(ArangoError(HTTP_UNAUTHORIZED, message="Wrong credentials"))
        name, password = body["username"], body.get("password") or ""
        if not isinstance(password, str) or not users_of(self.engine).verify(name, password):
            return error_response(ArangoError(HTTP_UNAUTHORIZED, message="Wrong credentials"))
        now = int(time.time())
        claims = {
            "preferred_username": name,
            "iss": "arangodb",
            "iat": now,
            "exp": now + _TOKEN_LIFETIME,
        }
        return Response(200, {"jwt": jwt.encode(claims, self.secret, algorithm="HS256")})

    def authenticate(self, header: str | None) -> Principal:
        """The principal of an ``Authorization`` header; 401 (errorNum 11) when there is none."""
        scheme, _, value = (header or "").strip().partition(" ")
        if scheme.lower() == "basic":
            return self._basic(value.strip())
        if scheme.lower() == "bearer":
            return self._bearer(value.strip())
        raise ArangoError(UNAUTHORIZED)

    def _basic(self, value: str) -> Principal:
        try:
            name, _, password = (
                base64.b64decode(value, validate=True).decode("utf-8").partition(":")
            )
        except (binascii.Error, UnicodeDecodeError):
            raise ArangoError(UNAUTHORIZED) from None
        if not users_of(self.engine).verify(name, password):
            raise ArangoError(UNAUTHORIZED)
        return Principal(name)

    def _bearer(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token, self.secret, algorithms=["HS256"], options={"verify_iss": False}
            )
        except jwt.PyJWTError:
            raise ArangoError(UNAUTHORIZED) from None
        name = claims.get("preferred_username")
        if name is None:
            return Principal(None)
        if not isinstance(name, str) or users_of(self.engine).find(name) is None:
            raise ArangoError(UNAUTHORIZED)
        return Principal(name)

    # -- authorisation -------------------------------------------------------------------------

    def __call__(self, method: str, path: str, headers: MutableMapping[str, str]) -> Response | None:
        """The server's authentication hook (run on the headers, before the body is read).

        Returns None when the request may run, after naming its user in ``headers[USER_HEADER]``
        (nothing for the superuser); otherwise the 401/403 answer.
        """
        db_name, rest = split_database(path)
        if self.catch_up_first:
            try:
                self.engine.catch_up()
            except ArangoError as exc:
                return error_response(exc)
        if rest.startswith(_OPEN):
            return None
        try:
            principal = self.authenticate(headers.get("authorization"))
            if principal.name is not None:
                headers[USER_HEADER] = principal.name
                self._authorize(principal.name, Request(method, rest, {}, dict(headers), "", db_name))
        except ArangoError as exc:
            return error_response(exc)
        return None

    def _authorize(self, name: str, request: Request) -> None:
        store = users_of(self.engine)
        db, path, method = request.db_name, request.path, request.method
        if at_least(store.database_level(name, "_system"), "rw") and db == "_system":
            return
        level = store.database_level(name, db)
        if level == "none" or (db not in self.engine.databases and level != "rw"):
            raise ArangoError(UNAUTHORIZED)
        if path.startswith(_SYSTEM_ADMIN):
            self._system_admin(name, request)
            return
        if path.startswith(_COLLECTION_PATHS) or path in ("/_api/import", "/_api/index"):
            self._collection(name, request)
        if _administers(method, path) and not at_least(level, "rw"):
            raise ArangoError(FORBIDDEN)

    def _system_admin(self, name: str, request: Request) -> None:
        path = request.path
        if path.startswith("/_api/database") and request.db_name != "_system":
            return  # the handler answers 1230 (only in _system), as ArangoDB does first
        own = path.startswith((f"/_api/user/{name}", f"/_api/token/{name}"))
        reads_self = own and (request.method == "GET" or path.startswith("/_api/token/"))
        if reads_self or path in ("/_api/database/user", "/_api/database/current"):
            return
        if path in _ANY_USER or (
            path.startswith("/_admin/") and request.method == "GET" and path not in _ADMIN_READS
        ):
            return
        if not at_least(users_of(self.engine).database_level(name, "_system"), "rw"):
            raise ArangoError(FORBIDDEN)

    def _collection(self, name: str, request: Request) -> None:
        parts = [p for p in request.path.split("/") if p]
        coll = parts[2] if len(parts) > 2 else request.params.get("collection")
        if not coll:
            return
        level = users_of(self.engine).collection_level(name, request.db_name, coll)
        writes = request.method in _WRITES
        if not at_least(level, "rw" if writes else "ro"):
            raise ArangoError(FORBIDDEN)


def _administers(method: str, path: str) -> bool:
    """True for requests that create or drop collections, indexes, graphs, views, analyzers."""
    parts = [p for p in path.split("/") if p]
    if method not in _WRITES or len(parts) < 2:
        return False
    if path.startswith(_DB_ADMIN):
        return True
    kind = parts[1]
    if kind in ("collection", "index", "gharial"):
        if method == "POST" and len(parts) == 2:
            return True
        if method == "DELETE" and len(parts) == (4 if kind == "index" else 3):
            return True
        return kind == "collection" and method == "PUT" and parts[-1] in ("rename", "properties")
    return False
