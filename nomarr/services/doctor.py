"""``nomarr doctor``: check the configuration, the backend and the schema; say how to fix problems.

Each check returns a :class:`Check` (``ok``, ``warning`` or ``problem``, with a detail and a
fix); a problem makes ``nomarr doctor`` exit non-zero. Checks stop at the first problem that
makes the next ones meaningless (no connection, no schema).
"""

from __future__ import annotations

import importlib.metadata
import os
from dataclasses import dataclass, field

from nomarr.helpers.errors import (
    AuthenticationError,
    BackendUnavailableError,
    ConfigurationError,
    DatabaseMissingError,
    DataDirError,
    MigrationError,
    NomarrError,
)
from nomarr.persistence import Database
from nomarr.persistence.migrations import MIGRATIONS
from nomarr.services.backend import AppConfig, BackendInfo, open_database
from nomarr.services.worker_liveness import DEAD, worker_states

__all__ = ["OK", "PROBLEM", "WARNING", "Check", "DoctorReport", "run_checks"]

OK, WARNING, PROBLEM = "ok", "warning", "problem"

_FIXES: dict[type[NomarrError], str] = {
    ConfigurationError: "fix the environment variable named above",
    BackendUnavailableError: "start the server (docker compose up -d) or fix ARANGO_HOST; "
    "unset ARANGO_HOST to use the embedded engine",
    AuthenticationError: "set ARANGO_USERNAME and ARANGO_PASSWORD to the server's credentials "
    "(compose: the ARANGO_PASSWORD it was started with)",
    DatabaseMissingError: "create it: docker compose exec arangodb arangosh --server.password "
    "\"$ARANGO_PASSWORD\" --javascript.execute-string 'db._createDatabase(\"{database}\")', or fix ARANGO_DB",
    DataDirError: "stop the other nomarr process using it, or choose another with --data-dir",
    MigrationError: "upgrade nomarr (pip install -U .) to a version that knows this schema",
}


@dataclass(frozen=True, slots=True)
class Check:
    """One finding.

    Attributes:
        name: what was checked.
        status: ``ok``, ``warning`` or ``problem``.
        detail: what was found.
        fix: what to do about it (empty when ok).
    """

    name: str
    status: str
    detail: str
    fix: str = ""


@dataclass(slots=True)
class DoctorReport:
    """Every check, in order.

    Attributes:
        backend: the backend the configuration selects (None when it is malformed).
        checks: the findings.
    """

    backend: BackendInfo | None = None
    checks: list[Check] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        """True when no check found a problem."""
        return all(check.status != PROBLEM for check in self.checks)


def run_checks(config: AppConfig) -> DoctorReport:
    """Run every check against the configured backend."""
    report = DoctorReport()
    report.checks.append(_check_version())
    try:
        report.backend = config.backend()
        stale_after = config.stale_after()
    except ConfigurationError as exc:
        report.checks.append(_problem("configuration", exc, ""))
        return report
    report.checks.append(_check_location(report.backend))
    try:
        db = open_database(config)
    except NomarrError as exc:
        report.checks.append(_problem("connection", exc, report.backend.database))
        return report
    with db:
        report.checks.append(Check("connection", OK, f"connected to {report.backend.describe()}"))
        report.checks.append(_check_schema(db))
        report.checks.append(_check_workers(db, stale_after))
    return report


def _problem(name: str, exc: NomarrError, database: str) -> Check:
    fix = next((text for klass, text in _FIXES.items() if isinstance(exc, klass)), "see the message")
    detail = " ".join(f"{exc.prefix}: {exc.detail}".split())  # the fix column replaces the hint
    return Check(name, PROBLEM, detail, fix.replace("{database}", database))


def _check_version() -> Check:
    try:
        version = importlib.metadata.version("nomarr")
    except importlib.metadata.PackageNotFoundError:
        return Check("nomarr", WARNING, "running from a source tree that is not installed", "pip install .")
    return Check("nomarr", OK, f"nomarr {version}")


def _check_location(backend: BackendInfo) -> Check:
    if backend.kind == "server":
        return Check("backend", OK, backend.describe())
    path = backend.location
    if os.path.isdir(path) and not os.access(path, os.W_OK):
        return Check("backend", PROBLEM, f"{backend.describe()}: not writable", "fix its permissions or use --data-dir")
    state = "" if os.path.isdir(path) else " (created on first use)"
    return Check("backend", OK, backend.describe() + state)


def _check_schema(db: Database) -> Check:
    latest = max(migration.version for migration in MIGRATIONS)
    version = db.schema_version()
    if version == latest:
        return Check("schema", OK, f"schema version {version} (current)")
    return Check("schema", PROBLEM, f"schema version {version}, this nomarr expects {latest}", _FIXES[MigrationError])


def _check_workers(db: Database, stale_after_s: float) -> Check:
    dead = [state for state in worker_states(db, stale_after_s) if state.verdict == DEAD and state.claims]
    if not dead:
        return Check("workers", OK, "no dead worker holds claims")
    claims = sum(state.claims for state in dead)
    return Check(
        "workers", WARNING, f"{len(dead)} dead worker(s) hold {claims} claim(s)",
        "run nomarr work: it returns their files to the queue",
    )  # fmt: skip
