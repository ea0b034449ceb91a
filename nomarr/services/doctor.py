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
from nomarr.services.worker_liveness import (
    DEAD,
    STOPPED,
    WorkerState,
    release_dead_workers,
    worker_states,
)
from nomarr.workflows.tag_forms import normalise_stored_tags, tags_not_nfc

__all__ = ["OK", "PROBLEM", "WARNING", "Check", "DoctorReport", "run_checks"]

OK, WARNING, PROBLEM = "ok", "warning", "problem"
_KEEP_STOPPED_S = 3600.0

_FIXES: dict[type[NomarrError], str] = {
    ConfigurationError: "fix the environment variable named above",
    BackendUnavailableError: "start the server (docker compose up -d) or fix ARANGO_HOST; "
    "unset ARANGO_HOST to use the embedded engine",
    AuthenticationError: "set ARANGO_USERNAME and ARANGO_PASSWORD to the server's credentials "
    "(compose: the ARANGO_PASSWORD it was started with)",
    DatabaseMissingError: "create it: docker compose exec arangodb arangosh --server.password "
    "\"$ARANGO_PASSWORD\" --javascript.execute-string 'db._createDatabase(\"{database}\")', or fix ARANGO_DB "
    "(against arangolite --port: ARANGO_DB=_system)",
    DataDirError: "if another nomarr process uses it, wait for it or use a server; if it is not an arangolite "
    "directory or is damaged, choose another with --data-dir and restore a backup with nomarr import",
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


def run_checks(config: AppConfig, *, repair: bool = False) -> DoctorReport:
    """Run every check against the configured backend.

    Args:
        config: the configuration.
        repair: also prune what housekeeping finds (old worker rows, orphan tags, dead claims)
            and convert tags stored before Unicode normalisation to NFC.
    """
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
        report.checks.append(_check_workers(db, stale_after, repair))
        report.checks.append(_check_tag_forms(db, repair))
        report.checks.append(_check_orphan_tags(db, repair))
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


def _check_workers(db: Database, stale_after_s: float, repair: bool) -> Check:
    states = worker_states(db, stale_after_s)
    dead = [state for state in states if state.verdict == DEAD and state.claims]
    idle = [state for state in states if not state.claims and _old_row(state)]
    if repair and (dead or idle):
        released = release_dead_workers(db, stale_after_s)
        pruned = sum(int(db.health.remove(state.worker_id)) for state in worker_states(db, stale_after_s)
                     if not state.claims and state.verdict in (STOPPED, DEAD))  # fmt: skip
        return Check("workers", OK, f"repaired: {released.claims} claim(s) of dead workers released, "
                     f"{pruned + released.forgotten} old worker row(s) removed")  # fmt: skip
    if not dead and not idle:
        return Check("workers", OK, "no dead worker holds claims; no old worker rows")
    parts = []
    if dead:
        parts.append(f"{len(dead)} dead worker(s) hold {sum(state.claims for state in dead)} claim(s)")
    if idle:
        parts.append(f"{len(idle)} row(s) of stopped or dead workers")
    return Check("workers", WARNING, "; ".join(parts), "run nomarr doctor --repair (or nomarr work, which does it too)")


def _old_row(state: WorkerState) -> bool:
    """A dead worker's row, or a stopped one's older than an hour (the last run's stay visible)."""
    return state.verdict == DEAD or (state.verdict == STOPPED and state.age_s > _KEEP_STOPPED_S)


def _check_tag_forms(db: Database, repair: bool) -> Check:
    if repair:
        tags, files = normalise_stored_tags(db, prune=False)  # _check_orphan_tags, next, removes the old tags
        detail = f"repaired: {tags} tag(s) of {files} file(s) converted to NFC" if tags else "every stored tag is in NFC"
        return Check("tag forms", OK, detail)
    bad = tags_not_nfc(db)
    if not bad:
        return Check("tag forms", OK, "every stored tag is in NFC")
    return Check("tag forms", WARNING, f"{len(bad)} tag(s) stored before Unicode normalisation (find may miss them)",
                 "run nomarr doctor --repair (converts them to NFC, merging duplicates)")  # fmt: skip


def _check_orphan_tags(db: Database, repair: bool) -> Check:
    if repair:
        removed = db.housekeeping.remove_orphan_tags()
        return Check("tags", OK, f"repaired: {removed} tag(s) no file carries removed" if removed else "no orphan tags")
    orphans = db.housekeeping.count_orphan_tags()
    if not orphans:
        return Check("tags", OK, "every stored tag is carried by a file")
    return Check("tags", WARNING, f"{orphans} tag(s) no file carries (left by removed files)", "run nomarr doctor --repair")
