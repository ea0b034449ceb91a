"""Turn driver and transport failures into nomarr exceptions.

The mapping is data: ArangoDB error numbers and HTTP codes to nomarr exception classes. Every
persistence call goes through :func:`translate`, so callers only ever see
:class:`~nomarr.helpers.errors.NomarrError` subclasses carrying the original ``errorNum`` and
HTTP status.
"""

from __future__ import annotations

import requests
from arango.exceptions import ArangoClientError, ArangoServerError

from nomarr.helpers.errors import (
    AuthenticationError,
    BackendUnavailableError,
    CollectionMissingError,
    ConflictError,
    DatabaseMissingError,
    DocumentNotFoundError,
    DuplicateKeyError,
    InvalidKeyError,
    NomarrError,
    QueryError,
    TransactionError,
)

__all__ = ["CONFLICT", "ERROR_NUM_MAP", "HTTP_MAP", "UNAVAILABLE_HTTP", "from_server_error", "is_connection_failure", "translate"]

CONFLICT = 1200
UNAVAILABLE_HTTP = 503

ERROR_NUM_MAP: dict[int, type[NomarrError]] = {
    11: AuthenticationError,  # forbidden
    1200: ConflictError,  # write-write conflict
    1202: DocumentNotFoundError,
    1203: CollectionMissingError,  # data source (collection or view) not found
    1205: InvalidKeyError,  # illegal document handle
    1210: DuplicateKeyError,  # unique constraint violated
    1221: InvalidKeyError,  # illegal document key
    1228: DatabaseMissingError,
    1650: TransactionError,
    1652: TransactionError,  # collection not declared in the transaction
    1653: TransactionError,
    1654: TransactionError,  # transaction aborted
    1655: TransactionError,  # transaction not found
}

HTTP_MAP: dict[int, type[NomarrError]] = {
    401: AuthenticationError,
    503: BackendUnavailableError,
    504: BackendUnavailableError,
}

_CONNECTION_ERRORS = (ConnectionError, requests.exceptions.ConnectionError, requests.exceptions.Timeout)


def is_connection_failure(exc: BaseException) -> bool:
    """Return True when ``exc`` means the server could not be reached or did not answer."""
    return isinstance(exc, _CONNECTION_ERRORS)


def translate(exc: BaseException, context: str) -> NomarrError:
    """Return the nomarr exception for a driver or transport failure.

    Args:
        exc: what the driver raised.
        context: what was being done, e.g. ``"query library_files.UPSERT_BATCH"``.
    """
    if isinstance(exc, NomarrError):
        return exc
    if isinstance(exc, ArangoServerError):
        return _from_server(exc, context)
    if is_connection_failure(exc):
        return BackendUnavailableError(f"{context}: {type(exc).__name__}: {exc}")
    if isinstance(exc, ArangoClientError):
        return TransactionError(f"{context}: {exc.message}")
    return QueryError(f"{context}: {type(exc).__name__}: {exc}")


def _from_server(exc: ArangoServerError, context: str) -> NomarrError:
    return from_server_error(exc.error_code, exc.http_code, exc.error_message or exc.message, context)


def from_server_error(num: int | None, http: int | None, message: str, context: str) -> NomarrError:
    """Return the nomarr exception for an ArangoDB error answer (``errorNum``, HTTP status).

    Shared by both drivers: python-arango's and python-arango-async's server errors carry the
    same fields.
    """
    klass = ERROR_NUM_MAP.get(num) if num is not None else None
    klass = klass or (HTTP_MAP.get(http) if http is not None else None) or QueryError
    return klass(f"{context}: {message}", error_num=num, http_code=http)
