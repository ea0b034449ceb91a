"""The one place nomarr connects to ArangoDB.

With ``ARANGO_HOST`` set, nomarr talks to that server (``ARANGO_USERNAME``, ``ARANGO_PASSWORD``,
``ARANGO_DB``). Without it, nomarr runs arangolite, the embedded ArangoDB-compatible engine, in a
data directory: ``NOMARR_DATA_DIR``, else the user's data directory (platformdirs); the value
``":memory:"`` keeps everything in memory (tests). The same python-arango code runs on both.

Request bodies go through :func:`strict_serializer`, so a bind variable that is not strict JSON
raises :class:`~nomarr.helpers.errors.BindVarsNotSerializableError` (a ``TypeError``) naming its
path before anything is sent. "Server unreachable", "wrong credentials" and "database missing"
surface as one nomarr exception each, whose message says how to fix it.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import platformdirs
from arango.client import ArangoClient
from arango.database import StandardDatabase
from arango.http import DefaultHTTPClient, HTTPClient

from nomarr.helpers.errors import (
    BindVarsNotSerializableError,
    ConfigurationError,
    DatabaseMissingError,
    DataDirError,
)
from nomarr.helpers.json_strict import find_non_json
from nomarr.persistence.error_mapping import translate
from nomarr.persistence.retry import RetryPolicy

__all__ = [
    "EMBEDDED_HOST",
    "MEMORY",
    "ArangoConnection",
    "ConnectionSettings",
    "connect",
    "create_client",
    "default_data_dir",
    "strict_serializer",
]

MEMORY = ":memory:"
EMBEDDED_HOST = "http://arangolite"
_BIND_VARS_PATH = "body['bindVars']"
_CONNECT_RETRIES = 2  # the transport's own retries of refused connections (urllib3)
_CONNECT_BACKOFF_S = 0.1


def default_data_dir() -> str:
    """Return the embedded engine's default data directory (under the user's data dir)."""
    return os.path.join(platformdirs.user_data_dir("nomarr", appauthor=False), "arangolite")


@dataclass(frozen=True, slots=True)
class ConnectionSettings:
    """Where and how to connect.

    Attributes:
        host: ArangoDB URL; None selects the embedded engine.
        username: user for a real server.
        password: password for a real server.
        db_name: database to use.
        data_dir: embedded engine directory, or ``":memory:"``; None means the default.
        cache_mb: the embedded engine's decoded-document cache, in MB; None means
            ``ARANGOLITE_CACHE_MB``, else arangolite's default (128). Engines are shared per
            directory within a process: the first to open one sets it.
        request_timeout_s: HTTP timeout for a real server.
        create_database: create ``db_name`` when missing (default: only when embedded).
        retry: backoff for transient failures outside units of work.
    """

    host: str | None = None
    username: str = "root"
    password: str = field(default="", repr=False)
    db_name: str = "nomarr"
    data_dir: str | None = None
    cache_mb: float | None = None
    request_timeout_s: float = 60.0
    create_database: bool | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    @property
    def embedded(self) -> bool:
        """True when no server is configured and arangolite runs in process."""
        return self.host is None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ConnectionSettings:
        """Read ``ARANGO_HOST``, ``ARANGO_USERNAME``, ``ARANGO_PASSWORD``, ``ARANGO_DB``,
        ``NOMARR_DATA_DIR`` and ``NOMARR_REQUEST_TIMEOUT``."""
        env = os.environ if environ is None else environ
        timeout = env.get("NOMARR_REQUEST_TIMEOUT", "60")
        try:
            timeout_s = float(timeout)
        except ValueError:
            raise ConfigurationError(f"NOMARR_REQUEST_TIMEOUT={timeout!r} is not a number") from None
        return cls(
            host=env.get("ARANGO_HOST") or None,
            username=env.get("ARANGO_USERNAME", "root"),
            password=env.get("ARANGO_PASSWORD", ""),
            db_name=env.get("ARANGO_DB", "nomarr"),
            data_dir=env.get("NOMARR_DATA_DIR") or None,
            request_timeout_s=timeout_s,
        )

    def with_db(self, db_name: str) -> ConnectionSettings:
        """Return a copy of these settings for another database."""
        return replace(self, db_name=db_name)


def strict_serializer(body: Any) -> str:
    """Serialise a request body as strict JSON (python-arango ``serializer`` hook).

    Raises:
        BindVarsNotSerializableError: naming the path of the first bad value, with bind
            variables named ``bind_vars[...]``.
    """
    problem = find_non_json(body, "body")
    if problem:
        raise BindVarsNotSerializableError(problem.replace(_BIND_VARS_PATH, "bind_vars", 1))
    return json.dumps(body, separators=(",", ":"), allow_nan=False)


def create_client(settings: ConnectionSettings, http_client: HTTPClient | None = None) -> ArangoClient:
    """Return a python-arango client for ``settings`` using the strict serializer.

    Args:
        settings: connection settings.
        http_client: transport override (the bench wraps arangolite's to count requests).
    """
    if http_client is None:
        http_client = (
            _embedded_http_client(settings.data_dir, settings.cache_mb)
            if settings.embedded
            else DefaultHTTPClient(
                request_timeout=settings.request_timeout_s,
                retry_attempts=_CONNECT_RETRIES,
                backoff_factor=_CONNECT_BACKOFF_S,
            )
        )
    return ArangoClient(
        hosts=settings.host or EMBEDDED_HOST,
        http_client=http_client,
        serializer=strict_serializer,
        request_timeout=settings.request_timeout_s,
    )


def _embedded_http_client(data_dir: str | None, cache_mb: float | None = None) -> HTTPClient:
    """Open the embedded engine on ``data_dir`` (its document cache: ``cache_mb``).

    Raises:
        DataDirError: the directory is not an arangolite directory (or of a newer format, or
            damaged), or cannot be created or written. Several processes may share it.
        ConfigurationError: the engine or one of its dependencies cannot be imported.
    """
    path = default_data_dir() if data_dir is None else data_dir
    try:
        engine = importlib.import_module("arangolite")  # imported only when the engine is used
        client: HTTPClient = engine.InProcessHTTPClient(path=None if path == MEMORY else path, cache_mb=cache_mb)
    except ImportError as exc:  # a broken install, not a bad directory: say so, touch nothing
        raise ConfigurationError(
            f"the embedded engine cannot start: {exc} (reinstall nomarr with its dependencies: "
            "pip install --upgrade ., or pip install -e '.[dev]' in a checkout)"
        ) from exc
    except Exception as exc:  # arangolite's ArangoError (1201 invalid) or OSError
        code = getattr(getattr(exc, "code", None), "num", None)
        detail = str(exc) if path in str(exc) else f"{path}: {exc}"  # arangolite's names the path
        raise DataDirError(detail, error_num=code) from exc
    return client


class ArangoConnection:
    """An open connection: the client and the handle of nomarr's database.

    Attributes:
        settings: what it was opened with.
        client: the python-arango client.
        db: the database handle (``StandardDatabase``).
    """

    def __init__(self, settings: ConnectionSettings, client: ArangoClient, db: StandardDatabase):
        self.settings = settings
        self.client = client
        self.db = db

    def system_db(self) -> StandardDatabase:
        """Return a handle on ``_system`` with the same credentials."""
        return _db_handle(self.client, self.settings, "_system")

    def close(self) -> None:
        """Close the client's HTTP sessions."""
        self.client.close()


def connect(settings: ConnectionSettings | None = None, http_client: HTTPClient | None = None) -> ArangoConnection:
    """Open a connection and check it works.

    Args:
        settings: defaults to :meth:`ConnectionSettings.from_env`.
        http_client: transport override.

    Raises:
        BackendUnavailableError: the server cannot be reached.
        AuthenticationError: the server rejected the credentials.
        DatabaseMissingError: the database does not exist and may not be created.
    """
    settings = settings or ConnectionSettings.from_env()
    client = create_client(settings, http_client)
    db = _db_handle(client, settings, settings.db_name)
    try:
        _check_database(db, settings)
    except DatabaseMissingError:
        if not _may_create(settings):
            raise
        _create_database(client, settings)
    return ArangoConnection(settings, client, db)


def _db_handle(client: ArangoClient, settings: ConnectionSettings, name: str) -> StandardDatabase:
    return client.db(name, username=settings.username, password=settings.password)


def _check_database(db: StandardDatabase, settings: ConnectionSettings) -> None:
    where = settings.host or "embedded engine"
    try:
        db.properties()
    except Exception as exc:
        raise translate(exc, f"opening database {settings.db_name!r} at {where}") from exc


def _may_create(settings: ConnectionSettings) -> bool:
    return settings.embedded if settings.create_database is None else settings.create_database


def _create_database(client: ArangoClient, settings: ConnectionSettings) -> None:
    sys_db = _db_handle(client, settings, "_system")
    try:
        if not sys_db.has_database(settings.db_name):
            sys_db.create_database(settings.db_name)
    except Exception as exc:
        raise translate(exc, f"creating database {settings.db_name!r}") from exc
