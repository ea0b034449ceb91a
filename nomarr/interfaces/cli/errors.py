"""The one place where exceptions become exit codes and one-line messages.

Exit codes: 0 success, 1 runtime failure, 2 usage error (bad argument or path), 130 interrupted
(Ctrl-C), 143 terminated (SIGTERM).
Every message is one line on stderr saying what happened and what to do; the traceback is shown
only with ``--debug``.
"""

from __future__ import annotations

import re

from nomarr.helpers.errors import (
    ArchiveError,
    BackendUnavailableError,
    ConfigurationError,
    DatabaseMissingError,
    DataDirError,
    DocumentNotFoundError,
    ImportTargetNotEmptyError,
    LibraryPathError,
    LockHeldError,
    NomarrError,
)
from nomarr.workflows.libraries import LibraryConflictError
from nomarr.workflows.lookup import UnknownTagError
from nomarr.workflows.scan_guard import RemovalRefusedError

__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_RUNTIME",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "Terminated",
    "UsageError",
    "explain",
]

EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143
_LOCKED = 1107  # arangolite: the data directory must be migrated, and another process has it open
_MAX_DETAIL = 240
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")
_TRANSPORT = re.compile(r": (ConnectionError|ConnectionAbortedError|ConnectTimeout|ReadTimeout|Timeout)\b")


class UsageError(Exception):
    """A command-line argument is wrong (exit 2); the message says which and how to fix it."""


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop like Ctrl-C, exit 143."""


# What to add to a nomarr error's own message, for a person at the command line.
_CLI_HINTS: dict[type[NomarrError], str] = {
    DocumentNotFoundError: "scan its folder first with nomarr scan DIR, or check the path",
    ImportTargetNotEmptyError: "for example a fresh --data-dir, or an empty ARANGO_DB on a server",
    BackendUnavailableError: "for a local server: docker compose up -d",
    DatabaseMissingError: "on a server create it (arangosh: db._createDatabase(\"nomarr\")) or set ARANGO_DB; "
    "against arangolite --port, set ARANGO_DB=_system",
    ArchiveError: "give a file or directory written by nomarr export",
    LockHeldError: "another nomarr scan of this library is running: wait for it to finish",
}

# Exit code per exception type; anything else is a runtime failure.
_USAGE_ERRORS: tuple[type[BaseException], ...] = (
    UsageError, LibraryPathError, ConfigurationError, LibraryConflictError, RemovalRefusedError, UnknownTagError,
)  # fmt: skip
_PLAIN_MESSAGES: tuple[type[BaseException], ...] = (
    UsageError, LibraryConflictError, RemovalRefusedError, UnknownTagError,
)  # fmt: skip


def explain(exc: BaseException) -> tuple[int, str]:
    """Return the exit code and the one-line message for ``exc``."""
    if isinstance(exc, Terminated):
        return EXIT_TERMINATED, "terminated"
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "interrupted"
    code = EXIT_USAGE if isinstance(exc, _USAGE_ERRORS) else EXIT_RUNTIME
    if isinstance(exc, DataDirError):
        return code, _data_dir_message(exc)
    if isinstance(exc, NomarrError):
        return code, _nomarr_message(exc)
    if isinstance(exc, _PLAIN_MESSAGES):
        return code, str(exc)
    if isinstance(exc, FileExistsError):
        return code, f"{exc.args[0]} already exists: choose another name or pass --force to replace it"
    if isinstance(exc, PermissionError):
        return code, f"permission denied: {exc.filename or exc}: fix its permissions or run as a user who may read it"
    if isinstance(exc, OSError):
        return code, f"{exc.strerror or type(exc).__name__}: {exc.filename or exc}"
    return code, f"internal error: {type(exc).__name__}: {_one_line(str(exc))} (rerun with --debug and report it)"


def _nomarr_message(exc: NomarrError) -> str:
    detail = _compact(exc) if isinstance(exc, BackendUnavailableError) else _one_line(exc.detail)
    text = f"{exc.prefix}: {detail}" if detail else exc.prefix
    own = type(exc).spec().hint if not isinstance(exc, DatabaseMissingError) else ""
    hints = [hint for hint in (own, _cli_hint(exc)) if hint]
    return f"{text} ({'; '.join(hints)})" if hints else text


def _data_dir_message(exc: DataDirError) -> str:
    """A directory to upgrade that others have open, or one that is not usable: different fixes."""
    if exc.error_num == _LOCKED:
        fix = "stop every nomarr command and arangolite server using this directory, then run this again"
    else:
        fix = ("it is not an arangolite data directory, or it is damaged: give --data-dir an empty or new "
               "directory, and restore a backup there with nomarr import")  # fmt: skip
    return f"{exc.prefix}: {_one_line(exc.detail)} ({fix})"


def _cli_hint(exc: NomarrError) -> str:
    return next((hint for klass, hint in _CLI_HINTS.items() if isinstance(exc, klass)), "")


def _compact(exc: BackendUnavailableError) -> str:
    """Keep what was being done and the transport's reason, not the driver's retry chatter."""
    match = _TRANSPORT.search(exc.detail)
    if match is None:
        return _one_line(exc.detail)
    reason = _ERRNO.search(exc.detail)
    if reason:
        why = reason.group(1).strip().lower()
    else:
        why = "timed out" if "Timeout" in match.group(1) else "cannot connect"
    return f"{exc.detail[: match.start()]}: {why}"


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _MAX_DETAIL else flat[: _MAX_DETAIL - 1] + "…"
