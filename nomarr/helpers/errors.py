"""nomarr's exception types and their message catalogue.

One root, :class:`NomarrError`; one leaf per way an operation fails. Message prefixes and fix
hints are data in :data:`CATALOGUE` (as ArangoDB keeps its own ``errors.dat``): a raise site names
the class and passes only the variable detail, never a hand-typed message. Every message starts
with the class's fixed :attr:`NomarrError.prefix`, so callers and tests can match on it. Errors
that came from ArangoDB carry its ``errorNum`` (:attr:`NomarrError.error_num`) and HTTP status
(:attr:`NomarrError.http_code`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

__all__ = [
    "CATALOGUE",
    "ArchiveError",
    "AuthenticationError",
    "BackendUnavailableError",
    "BindVarsNotSerializableError",
    "CollectionMissingError",
    "ConfigurationError",
    "ConflictError",
    "DataDirError",
    "DatabaseMissingError",
    "DocumentNotFoundError",
    "DuplicateKeyError",
    "ErrorSpec",
    "ImportTargetNotEmptyError",
    "InvalidJobTypeError",
    "InvalidKeyError",
    "LibraryPathError",
    "LockHeldError",
    "MigrationError",
    "NomarrError",
    "QueryError",
    "TransactionError",
    "UnreadableFileError",
]


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    """One catalogue entry.

    Attributes:
        prefix: the fixed start of every message of this error.
        hint: how to fix it, appended to the message when not empty.
    """

    prefix: str
    hint: str = ""

    def render(self, detail: str, origin: str) -> str:
        """Return ``"<prefix>: <detail> [origin] (<hint>)"`` leaving out the empty parts."""
        text = f"{self.prefix}: {detail}" if detail else self.prefix
        if origin:
            text = f"{text} [{origin}]"
        return f"{text} ({self.hint})" if self.hint else text


CATALOGUE: dict[str, ErrorSpec] = {
    "NomarrError": ErrorSpec("nomarr error"),
    "InvalidKeyError": ErrorSpec(
        "invalid document key",
        "keys are 1-254 characters of a-z A-Z 0-9 _ - : . @ ( ) + , = ; $ ! * ' %",
    ),
    "InvalidJobTypeError": ErrorSpec(
        "invalid job type",
        "job types are 1-64 characters of a-z 0-9 _ - . :, starting with a letter",
    ),
    "BindVarsNotSerializableError": ErrorSpec(
        "value is not JSON-serialisable",
        "pass only None, bool, int, finite float, str, list, tuple and dict with str keys",
    ),
    "DocumentNotFoundError": ErrorSpec("document not found"),
    "DuplicateKeyError": ErrorSpec("document already exists"),
    "ConflictError": ErrorSpec(
        "write-write conflict", "another writer changed the document; retry the operation"
    ),
    "BackendUnavailableError": ErrorSpec(
        "database backend unavailable",
        "start ArangoDB or fix ARANGO_HOST; unset ARANGO_HOST to use the embedded engine",
    ),
    "AuthenticationError": ErrorSpec(
        "ArangoDB rejected the credentials", "check ARANGO_USERNAME and ARANGO_PASSWORD"
    ),
    "DatabaseMissingError": ErrorSpec(
        "database does not exist",
        "create it on the server (arangosh: db._createDatabase(name)) or fix ARANGO_DB",
    ),
    "CollectionMissingError": ErrorSpec(
        "collection does not exist", "run ensure_schema(db) before using the database"
    ),
    "QueryError": ErrorSpec("query failed"),
    "TransactionError": ErrorSpec("transaction failed"),
    "MigrationError": ErrorSpec("schema migration failed"),
    "ArchiveError": ErrorSpec("archive is not a valid nomarr export"),
    "ImportTargetNotEmptyError": ErrorSpec(
        "import target database is not empty", "import only into a freshly created database"
    ),
    "ConfigurationError": ErrorSpec("invalid configuration"),
    "LockHeldError": ErrorSpec("lock is held by another holder", "wait for it to be released or expire"),
    "DataDirError": ErrorSpec(
        "embedded data directory unusable",
        "stop the other nomarr process using it, or pick another with --data-dir or NOMARR_DATA_DIR",
    ),
    "UnreadableFileError": ErrorSpec("cannot read audio file"),
    "LibraryPathError": ErrorSpec(
        "library path is not usable", "give an existing directory you are allowed to read"
    ),
}


class NomarrError(Exception):
    """Root of every error nomarr raises.

    Args:
        detail: the variable part of the message (what failed, which key).
        error_num: ArangoDB's ``errorNum`` when the error came from ArangoDB.
        http_code: the HTTP status code when the error came from ArangoDB.

    Attributes:
        detail: as passed.
        error_num: as passed.
        http_code: as passed.
        prefix: the fixed start of this class's messages (class attribute).
    """

    prefix: ClassVar[str] = "nomarr error"

    def __init__(
        self, detail: str = "", *, error_num: int | None = None, http_code: int | None = None
    ) -> None:
        self.detail = detail
        self.error_num = error_num
        self.http_code = http_code
        super().__init__(self.spec().render(detail, _origin(error_num, http_code)))

    @classmethod
    def spec(cls) -> ErrorSpec:
        """Return this class's catalogue entry (inherited from the nearest catalogued base)."""
        for klass in cls.__mro__:
            if klass.__name__ in CATALOGUE:
                return CATALOGUE[klass.__name__]
        return CATALOGUE["NomarrError"]

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.prefix = cls.spec().prefix


def _origin(error_num: int | None, http_code: int | None) -> str:
    parts = []
    if error_num is not None:
        parts.append(f"ArangoDB error {error_num}")
    if http_code is not None:
        parts.append(f"HTTP {http_code}")
    return ", ".join(parts)


class InvalidKeyError(NomarrError, ValueError):
    """A document key or id failed validation before it reached a query."""


class InvalidJobTypeError(NomarrError, ValueError):
    """A queue job type is not of the allowed form (checked before it reaches a query)."""


class BindVarsNotSerializableError(NomarrError, TypeError):
    """A value bound to a query (or written to an archive) is not strict JSON.

    The detail names the value's path, e.g. ``bind_vars['doc']['tags'][2]``.
    """


class DocumentNotFoundError(NomarrError, LookupError):
    """The requested document does not exist (ArangoDB 1202)."""


class DuplicateKeyError(NomarrError):
    """A document with that key already exists (ArangoDB 1210)."""


class ConflictError(NomarrError):
    """A concurrent writer changed the same document (ArangoDB 1200)."""


class BackendUnavailableError(NomarrError):
    """The ArangoDB server cannot be reached, timed out or answered 503."""


class AuthenticationError(NomarrError):
    """ArangoDB rejected the username or password (HTTP 401)."""


class DatabaseMissingError(NomarrError):
    """The configured database does not exist on the server (ArangoDB 1228)."""


class CollectionMissingError(NomarrError):
    """A collection the query uses does not exist (ArangoDB 1203)."""


class QueryError(NomarrError):
    """An AQL query failed for a reason not covered by a more specific error."""


class TransactionError(NomarrError):
    """A stream transaction could not begin, commit or abort, or was used after it ended."""


class MigrationError(NomarrError):
    """A schema migration failed or the stored schema is newer than this code."""


class ArchiveError(NomarrError):
    """An export archive is missing, malformed or of an unknown format."""


class ImportTargetNotEmptyError(NomarrError):
    """``import_`` was asked to restore into a database that already holds data."""


class ConfigurationError(NomarrError, ValueError):
    """Connection settings (environment variables) are inconsistent or malformed."""


class LockHeldError(NomarrError):
    """A workflow needed a lock that another holder has."""


class DataDirError(NomarrError):
    """The embedded engine cannot open its data directory (not an arangolite directory, a newer
    format, damaged, or not writable)."""


class UnreadableFileError(NomarrError):
    """An audio file cannot be opened or parsed (missing, no permission, not audio, damaged)."""


class LibraryPathError(NomarrError):
    """A library directory is missing, not a directory, or cannot be read."""
