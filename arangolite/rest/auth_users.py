"""Users, their passwords, access tokens and permissions, kept in ``_system``'s ``_users`` collection.

One document per user (``_key``: a digest of the name, so any name is allowed), written through
ordinary transactions and therefore as durable as any other document. Passwords are stored as
salted SHA-256 (as ArangoDB's ``authData.simple``). Permissions are ``rw`` / ``ro`` / ``none`` per
database, with ``*`` as the wildcard database, and per collection (``*`` wildcard too); an unset
collection level falls back to the wildcard, then to the database level, as in ArangoDB.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import secrets
import threading
import time
import weakref
from typing import TYPE_CHECKING, Any

from arangolite.errors import (
    BAD_PARAMETER,
    DATA_SOURCE_NOT_FOUND,
    USER_DUPLICATE,
    USER_INVALID_NAME,
    USER_NOT_FOUND,
    ArangoError,
)

if TYPE_CHECKING:
    from arangolite.storage.engine import Engine

__all__ = ["LEVELS", "UserStore", "users_of"]

LEVELS = ("rw", "ro", "none")
_RANK = {"none": 0, "ro": 1, "rw": 2}
_COLLECTION = "_users"
_STORES: weakref.WeakKeyDictionary[Engine, UserStore] = weakref.WeakKeyDictionary()
_STORES_LOCK = threading.Lock()


def users_of(engine: Engine) -> UserStore:
    """The user store of ``engine`` (one per engine)."""
    with _STORES_LOCK:
        store = _STORES.get(engine)
        if store is None:
            store = _STORES[engine] = UserStore(engine)
        return store


def _digest(password: str, salt: str) -> str:
    return hashlib.sha256((salt + password).encode("utf-8")).hexdigest()


def _key(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()


def at_least(level: str, needed: str) -> bool:
    """True when permission ``level`` grants ``needed`` (``rw`` > ``ro`` > ``none``)."""
    return _RANK.get(level, 0) >= _RANK[needed]


def _own_copy(doc: dict[str, Any]) -> dict[str, Any]:
    """The user attributes of a stored document, deep-copied: a stored document is shared (the
    document cache, kept scans, the in-memory collection) and never changed in place."""
    return copy.deepcopy({k: v for k, v in doc.items() if not k.startswith("_")})


class UserStore:
    """CRUD on users and their grants; every change is one committed transaction."""

    def __init__(self, engine: Engine) -> None:
        # Weakly: ``_STORES`` is keyed weakly by the engine, and a strong reference from the
        # value would keep every engine (and all its documents) alive after it was closed.
        self._engine = weakref.ref(engine)
        # name -> document, read once under the engine lock, then kept in step with every write:
        # authentication reads it without the engine lock, so it answers while a query runs.
        # It is read again when the collection changed otherwise (another process's commit,
        # seen when this one catches up, or a direct write to ``_users``).
        self._cache: dict[str, dict[str, Any]] | None = None
        self._seen: tuple[int, int] | None = None

    @property
    def engine(self) -> Engine:
        """The engine whose ``_system._users`` this store serves."""
        engine = self._engine()
        if engine is None:
            raise ReferenceError("the engine of this user store is gone")
        return engine

    # -- storage -----------------------------------------------------------------------------

    def _mark(self) -> tuple[int, int] | None:
        """What changes whenever ``_system._users`` is written (None: it does not exist)."""
        coll = self.engine.database("_system").collections.get(_COLLECTION)
        return None if coll is None else (coll.cid, coll.version)

    def _users(self) -> dict[str, dict[str, Any]]:
        cache = self._cache
        if cache is not None and self._seen == self._mark():
            return cache
        with self.engine.lock:
            mark = self._mark()
            if self._cache is None or self._seen != mark:
                self._cache = {d["user"]: d for d in self._load()}
                self._seen = mark
            return self._cache

    def _load(self) -> list[dict[str, Any]]:
        system = self.engine.database("_system")
        if _COLLECTION not in system.collections:
            return []
        trx = system.begin(read=[_COLLECTION])
        try:
            return list(trx.collection(_COLLECTION).all())
        finally:
            trx.abort()

    def _handle_write(self, doc: dict[str, Any] | None, name: str) -> None:
        system = self.engine.database("_system")
        with self.engine.lock:
            users = self._users()
            if _COLLECTION not in system.collections:
                system.create_collection(_COLLECTION, 2, {"isSystem": True})
            trx = system.begin(write=[_COLLECTION])
            try:
                handle = trx.collection(_COLLECTION)
                if doc is None:
                    handle.remove(_key(name))
                else:
                    handle.insert(dict(doc, _key=_key(name)), overwrite_mode="replace")
                trx.commit()
            except BaseException:
                trx.abort()
                raise
            if doc is None:
                users.pop(name, None)
            else:
                users[name] = dict(doc, _key=_key(name))
            self._seen = self._mark()

    def find(self, name: str) -> dict[str, Any] | None:
        """The user's document, or None."""
        return self._users().get(name)

    def get(self, name: str) -> dict[str, Any]:
        """The user's document; 1703 when there is none."""
        doc = self.find(name)
        if doc is None:
            raise ArangoError(USER_NOT_FOUND)
        return doc

    def all(self) -> list[dict[str, Any]]:
        """Every user document."""
        return list(self._users().values())

    # -- users -------------------------------------------------------------------------------

    def create(
        self, name: Any, password: Any = "", active: Any = True, extra: Any = None
    ) -> dict[str, Any]:
        """A new user (1700 bad name, 1702 duplicate) without any permission."""
        if not isinstance(name, str) or not name or len(name) > 256:
            raise ArangoError(USER_INVALID_NAME)
        with self.engine.lock:
            if self.find(name) is not None:
                raise ArangoError(USER_DUPLICATE)
            doc: dict[str, Any] = {"user": name, "databases": {}, "tokens": []}
            doc.update(_profile(password or "", active, extra or {}))
            self._handle_write(doc, name)
            return doc

    def modify(self, name: str, body: dict[str, Any], *, replace: bool) -> dict[str, Any]:
        """Update (merge ``extra``) or replace a user's password, active flag and extra data."""
        with self.engine.lock:
            doc = _own_copy(self.get(name))
            if replace:
                doc.update(
                    _profile(
                        body.get("passwd") or "", body.get("active", True), body.get("extra") or {}
                    )
                )
            else:
                if "passwd" in body:
                    doc.update(_password(body["passwd"] or ""))
                if "active" in body:
                    doc["active"] = bool(body["active"])
                if isinstance(body.get("extra"), dict):
                    doc["extra"] = {**doc.get("extra", {}), **body["extra"]}
            self._handle_write(doc, name)
            return doc

    def remove(self, name: str) -> None:
        """Delete a user (1703 when missing)."""
        with self.engine.lock:
            self.get(name)
            self._handle_write(None, name)

    def set_password(self, name: str, password: str) -> None:
        """Create or reset ``name`` (``root`` at server start) with full rights."""
        with self.engine.lock:
            doc = self.find(name)
            if doc is None:
                doc = self.create(name, password)
                self.grant(name, "*", None, "rw")
                return
            self.modify(name, {"passwd": password, "active": True}, replace=False)

    def verify(self, name: str, password: str) -> bool:
        """True when ``name`` is active and ``password`` is its password or a live access token."""
        doc = self.find(name)
        if doc is None or not doc.get("active", True):
            return False
        stored = doc.get("passwd", {})
        if hmac.compare_digest(_digest(password, stored.get("salt", "")), stored.get("hash", "")):
            return True
        now = time.time()
        hashed = hashlib.sha256(password.encode("utf-8")).hexdigest()
        return any(
            hmac.compare_digest(t["hash"], hashed) and t["valid_until"] > now
            for t in doc.get("tokens", [])
        )

    # -- permissions ---------------------------------------------------------------------------

    def database_level(self, name: str, db: str) -> str:
        """The user's level on database ``db`` (``none`` for an unknown user)."""
        doc = self.find(name)
        if doc is None or not doc.get("active", True):
            return "none"
        dbs = doc.get("databases", {})
        for entry in (dbs.get(db), dbs.get("*")):
            if entry and entry.get("permission"):
                return str(entry["permission"])
        return "none"

    def collection_level(self, name: str, db: str, coll: str) -> str:
        """The user's effective level on ``coll`` of ``db``."""
        doc = self.find(name)
        if doc is None:
            return "none"
        dbs = doc.get("databases", {})
        for db_key in (db, "*"):
            grants = (dbs.get(db_key) or {}).get("collections", {})
            for key in (coll, "*"):
                if key in grants:
                    return str(grants[key])
        return self.database_level(name, db)

    def grant(self, name: str, db: str, coll: str | None, level: Any) -> None:
        """Set a database (``coll`` None) or collection level."""
        if level not in LEVELS:
            raise ArangoError(BAD_PARAMETER, "grant must be one of rw, ro, none")
        with self.engine.lock:
            doc = _own_copy(self.get(name))
            self._check_target(db, coll)
            entry = doc.setdefault("databases", {}).setdefault(db, {})
            if coll is None:
                entry["permission"] = level
            else:
                entry.setdefault("collections", {})[coll] = level
            self._handle_write(doc, name)

    def reset(self, name: str, db: str, coll: str | None) -> None:
        """Remove a database or collection grant (a collection then inherits the database's)."""
        with self.engine.lock:
            doc = _own_copy(self.get(name))
            entry = doc.get("databases", {}).get(db, {})
            if coll is None:
                entry.pop("permission", None)
            else:
                entry.get("collections", {}).pop(coll, None)
            self._handle_write(doc, name)

    def _check_target(self, db: str, coll: str | None) -> None:
        if db != "*":
            database = self.engine.database(db)
            if coll not in (None, "*") and coll not in database.collections:
                raise ArangoError(DATA_SOURCE_NOT_FOUND, coll)

    def levels(self, name: str, full: bool) -> dict[str, Any]:
        """Every database's level (with ``full``: and each collection's)."""
        out: dict[str, Any] = {}
        for db_name, db in self.engine.databases.items():
            level = self.database_level(name, db_name)
            if not full:
                if level != "none":
                    out[db_name] = level
                continue
            colls = {c: self.collection_level(name, db_name, c) for c in db.collections}
            out[db_name] = {"permission": level, "collections": colls}
        return out

    # -- access tokens ---------------------------------------------------------------------------

    def create_token(self, name: str, label: Any, valid_until: Any) -> dict[str, Any]:
        """A new access token for ``name``; the token text is returned only here."""
        if not isinstance(label, str) or not isinstance(valid_until, int | float):
            raise ArangoError(BAD_PARAMETER, "expecting name (string) and valid_until (number)")
        with self.engine.lock:
            doc = _own_copy(self.get(name))
            tokens = doc.setdefault("tokens", [])
            if any(t["name"] == label for t in tokens):
                raise ArangoError(USER_DUPLICATE, message=f"duplicate access token name '{label}'")
            text = "v1." + secrets.token_hex(32)
            token = {
                "id": max((t["id"] for t in tokens), default=0) + 1,
                "name": label,
                "valid_until": int(valid_until),
                "created_at": int(time.time()),
                "fingerprint": "v1..." + text[-6:],
                "hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            }
            tokens.append(token)
            self._handle_write(doc, name)
            return {**public_token(token), "token": text}

    def remove_token(self, name: str, token_id: int) -> None:
        """Delete access token ``token_id`` of ``name`` (404 when missing)."""
        with self.engine.lock:
            doc = _own_copy(self.get(name))
            kept = [t for t in doc.get("tokens", []) if t["id"] != token_id]
            if len(kept) == len(doc.get("tokens", [])):
                raise ArangoError(USER_NOT_FOUND, message=f"access token {token_id} not found")
            doc["tokens"] = kept
            self._handle_write(doc, name)


def public_token(token: dict[str, Any]) -> dict[str, Any]:
    """A token as listed: everything but its hash."""
    out = {k: v for k, v in token.items() if k != "hash"}
    out["active"] = token["valid_until"] > time.time()
    return out


def public_user(doc: dict[str, Any]) -> dict[str, Any]:
    """A user as ``/_api/user`` shows it."""
    return {"user": doc["user"], "active": doc.get("active", True), "extra": doc.get("extra", {})}


def _password(password: Any) -> dict[str, Any]:
    if not isinstance(password, str):
        raise ArangoError(BAD_PARAMETER, "passwd must be a string")
    salt = secrets.token_hex(8)
    return {"passwd": {"method": "sha256", "salt": salt, "hash": _digest(password, salt)}}


def _profile(password: Any, active: Any, extra: Any) -> dict[str, Any]:
    if not isinstance(extra, dict):
        raise ArangoError(BAD_PARAMETER, "extra must be an object")
    return {
        **_password(password),
        "active": True if active is None else bool(active),
        "extra": extra,
    }
