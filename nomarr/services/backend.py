"""Which database backend nomarr uses, from the environment and the command line, and opening it.

Environment (see :data:`ENVIRONMENT`): ``ARANGO_HOST`` selects a real ArangoDB server (with
``ARANGO_USERNAME``, ``ARANGO_PASSWORD``, ``ARANGO_DB``); without it nomarr runs the embedded
engine in ``NOMARR_DATA_DIR`` (``--data-dir`` wins), else in the user's data directory.
``NOMARR_STALE_AFTER`` is the seconds of heartbeat silence after which a worker counts as dead.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from nomarr.helpers.errors import ConfigurationError
from nomarr.persistence import ConnectionSettings, Database
from nomarr.persistence.arango_client import default_data_dir

__all__ = ["DEFAULT_STALE_AFTER_S", "ENVIRONMENT", "AppConfig", "BackendInfo", "open_database"]

DEFAULT_STALE_AFTER_S = 30.0

ENVIRONMENT: tuple[tuple[str, str], ...] = (
    ("ARANGO_HOST", "ArangoDB server URL, e.g. http://127.0.0.1:8529 (unset: embedded engine)"),
    ("ARANGO_USERNAME", "server user (default root)"),
    ("ARANGO_PASSWORD", "server password (default empty)"),
    ("ARANGO_DB", "database name (default nomarr)"),
    ("NOMARR_DATA_DIR", "embedded engine directory (default: the user data dir); --data-dir wins"),
    ("ARANGOLITE_CACHE_MB", "embedded engine's document cache in MB (default 128); --cache-mb wins"),
    ("NOMARR_STALE_AFTER", f"seconds without heartbeat before a worker is dead (default {DEFAULT_STALE_AFTER_S:g})"),
)
"""Every environment variable nomarr reads, with a one-line description (for ``--help``)."""


@dataclass(frozen=True, slots=True)
class BackendInfo:
    """Where the data lives, for people.

    Attributes:
        kind: ``"embedded"`` (arangolite in this process) or ``"server"`` (ArangoDB).
        location: the data directory or the server URL.
        database: the database name.
        username: the server user (empty when embedded).
    """

    kind: str
    location: str
    database: str
    username: str = ""

    def describe(self) -> str:
        """Return a one-line description, e.g. ``embedded arangolite in /data (database nomarr)``."""
        if self.kind == "embedded":
            return f"embedded arangolite in {self.location} (database {self.database})"
        return f"ArangoDB server {self.location} (database {self.database}, user {self.username})"


@dataclass(frozen=True, slots=True)
class AppConfig:
    """nomarr's configuration: environment variables overridden by command-line options.

    Attributes:
        environ: the environment to read.
        data_dir: ``--data-dir``; overrides ``NOMARR_DATA_DIR``.
        cache_mb: ``--cache-mb``, the embedded engine's document cache in MB; overrides
            ``ARANGOLITE_CACHE_MB`` (which the engine reads itself).
        stale_after_s: ``--stale-after``; overrides ``NOMARR_STALE_AFTER``.
    """

    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    data_dir: str | None = None
    stale_after_s: float | None = None
    cache_mb: float | None = None

    def settings(self) -> ConnectionSettings:
        """Return the connection settings (raises ConfigurationError for malformed values)."""
        _check_host(self.environ.get("ARANGO_HOST", ""))
        settings = ConnectionSettings.from_env(self.environ)
        if self.data_dir:
            settings = replace(settings, data_dir=os.path.abspath(os.path.expanduser(self.data_dir)))
        if self.cache_mb is not None:
            if not (math.isfinite(self.cache_mb) and self.cache_mb >= 0):
                raise ConfigurationError(f"--cache-mb must be a number of MB >= 0, got {self.cache_mb:g}")
            settings = replace(settings, cache_mb=self.cache_mb)
        return settings

    def backend(self) -> BackendInfo:
        """Describe the backend these settings select."""
        settings = self.settings()
        if settings.embedded:
            location = os.path.abspath(settings.data_dir or default_data_dir())
            return BackendInfo("embedded", location, settings.db_name)
        return BackendInfo("server", settings.host or "", settings.db_name, settings.username)

    def stale_after(self) -> float:
        """Seconds of heartbeat silence after which a worker counts as dead."""
        if self.stale_after_s is not None:
            return _positive(self.stale_after_s, "--stale-after")
        raw = self.environ.get("NOMARR_STALE_AFTER", "")
        if not raw:
            return DEFAULT_STALE_AFTER_S
        try:
            return _positive(float(raw), "NOMARR_STALE_AFTER")
        except ValueError:
            raise ConfigurationError(f"NOMARR_STALE_AFTER={raw!r} is not a number of seconds") from None


def _check_host(host: str) -> None:
    """Refuse an ARANGO_HOST without ``http://`` or ``https://`` (the driver's error is cryptic)."""
    if host and not host.lower().startswith(("http://", "https://")):
        raise ConfigurationError(
            f"ARANGO_HOST={host!r} lacks the scheme: add http:// (for example ARANGO_HOST=http://{host})"
        )


def _positive(value: float, name: str) -> float:
    if value <= 0:
        raise ConfigurationError(f"{name} must be a positive number of seconds, got {value:g}")
    return value


def open_database(config: AppConfig) -> Database:
    """Open the configured database (creating the schema when missing) and return it.

    Raises:
        ConfigurationError: malformed environment values.
        BackendUnavailableError, AuthenticationError, DatabaseMissingError, DataDirError,
            MigrationError: the backend cannot be used; each message says how to fix it.
    """
    return Database.open(config.settings())
