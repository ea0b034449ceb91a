"""ArangoDB's error catalogue and arangolite's one exception type.

Error numbers, HTTP status codes and message templates are data, kept here in one table the way
ArangoDB keeps its ``errors.dat``. Raise sites name a code (``raise ArangoError(DOCUMENT_NOT_FOUND)``
or ``ArangoError(QUERY_PARSE, "syntax error ...")``) and never hand-type a message prefix.
``ArangoError.to_body()`` is the one serialisation to ArangoDB's wire error shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ArangoError", "ErrorCode", "Warning_", "catalogue"]


@dataclass(frozen=True, slots=True)
class ErrorCode:
    """One entry of the catalogue.

    Attributes:
        num: ArangoDB's ``errorNum``.
        http: the HTTP status code ArangoDB answers with.
        template: message template; ``%s`` placeholders are filled from ``ArangoError`` args.
    """

    num: int
    http: int
    template: str


def _c(num: int, http: int, template: str) -> ErrorCode:
    code = ErrorCode(num, http, template)
    _CATALOGUE[num] = code
    return code


_CATALOGUE: dict[int, ErrorCode] = {}

# General
FAILED = _c(1, 500, "failed")
SYS_ERROR = _c(2, 500, "system error: %s")
INTERNAL = _c(4, 500, "internal error")
NOT_IMPLEMENTED = _c(9, 501, "not implemented: %s")
BAD_PARAMETER = _c(10, 400, "bad parameter: %s")
FORBIDDEN = _c(11, 403, "forbidden")
HTTP_BAD_PARAMETER = _c(400, 400, "bad parameter: %s")
HTTP_UNAUTHORIZED = _c(401, 401, "not authorized to execute this request")
HTTP_NOT_FOUND = _c(404, 404, "unknown path '%s'")
HTTP_METHOD_NOT_ALLOWED = _c(405, 405, "method not supported")
HTTP_REQUEST_TOO_LARGE = _c(413, 413, "request entity too large")
HTTP_CORRUPTED_JSON = _c(600, 400, "invalid JSON object: %s")
QUEUE_FULL = _c(21, 503, "queue is full")
HTTP_SERVICE_UNAVAILABLE = _c(503, 503, "service unavailable")
RESOURCE_LIMIT = _c(32, 500, "resource limit exceeded")
SHUTTING_DOWN = _c(30, 503, "shutdown in progress")
# Storage and documents
CONFLICT = _c(1200, 409, "write-write conflict")
DATADIR_INVALID = _c(1201, 500, "invalid database directory: %s")
DOCUMENT_NOT_FOUND = _c(1202, 404, "document not found")
DATA_SOURCE_NOT_FOUND = _c(1203, 404, "collection or view not found: %s")
COLLECTION_PARAMETER_MISSING = _c(1204, 400, "collection parameter missing")
DOCUMENT_HANDLE_BAD = _c(1205, 400, "illegal document identifier: %s")
DUPLICATE_NAME = _c(1207, 409, "duplicate name: %s")
ILLEGAL_NAME = _c(1208, 400, "illegal name: %s")
UNIQUE_CONSTRAINT_VIOLATED = _c(
    1210, 409, "unique constraint violated - in index %s of type %s over '%s'; conflicting key: %s"
)
INDEX_NOT_FOUND = _c(1212, 404, "index not found")
CROSS_COLLECTION_REQUEST = _c(1213, 400, "cross collection request not allowed")
INDEX_HANDLE_BAD = _c(1214, 400, "illegal index identifier: %s")
COLLECTION_TYPE_INVALID = _c(1218, 400, "collection type invalid: %s")
DOCUMENT_KEY_BAD = _c(1221, 400, "illegal document key")
DOCUMENT_KEY_UNEXPECTED = _c(1222, 400, "unexpected document key")
DOCUMENT_TYPE_INVALID = _c(1227, 400, "invalid document type")
DATABASE_NOT_FOUND = _c(1228, 404, "database not found: %s")
DATABASE_NAME_INVALID = _c(1229, 400, "database name invalid: %s")
USE_SYSTEM_DATABASE = _c(1230, 403, "operation only allowed in system database")
INVALID_EDGE_ATTRIBUTE = _c(1233, 400, "edge attribute missing or invalid")
INDEX_CREATION_FAILED = _c(1235, 400, "creating index failed: %s")
DOCUMENT_REV_BAD = _c(1239, 400, "illegal document revision")
# AQL
QUERY_KILLED = _c(1500, 410, "query killed")
QUERY_PARSE = _c(1501, 400, "%s")
QUERY_EMPTY = _c(1502, 400, "query is empty")
QUERY_NUMBER_OUT_OF_RANGE = _c(1504, 400, "number out of range")
QUERY_INVALID_GEO_VALUE = _c(1505, 400, "invalid geo coordinate value")
QUERY_VARIABLE_NAME_INVALID = _c(1510, 400, "variable name '%s' has an invalid format")
QUERY_VARIABLE_REDECLARED = _c(1511, 400, "variable '%s' is assigned multiple times")
QUERY_VARIABLE_NAME_UNKNOWN = _c(1512, 400, "unknown variable '%s'")
QUERY_COLLECTION_LOCK_FAILED = _c(1521, 400, "unable to read-lock collection %s")
QUERY_TOO_MUCH_NESTING = _c(1524, 400, "too much nesting or too many objects")
QUERY_DOCUMENT_ATTRIBUTE_REDECLARED = _c(1530, 400, "attribute '%s' is specified multiple times")
QUERY_FUNCTION_NAME_UNKNOWN = _c(1540, 404, "usage of unknown function '%s()'")
QUERY_FUNCTION_ARGUMENT_NUMBER_MISMATCH = _c(
    1541,
    400,
    "invalid number of arguments for function '%s()', expected number of arguments: "
    "minimum: %s, maximum: %s",
)
QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH = _c(1542, 400, "invalid argument type in call to function '%s()'")
QUERY_INVALID_REGEX = _c(1543, 400, "invalid regex value")
QUERY_BIND_PARAMETERS_INVALID = _c(1550, 400, "invalid structure of bind parameters")
QUERY_BIND_PARAMETER_MISSING = _c(1551, 400, "no value specified for declared bind parameter '%s'")
QUERY_BIND_PARAMETER_UNDECLARED = _c(1552, 400, "bind parameter '%s' was not declared in the query")
QUERY_BIND_PARAMETER_TYPE = _c(1553, 400, "bind parameter '%s' has an invalid value or type")
QUERY_INVALID_ARITHMETIC_VALUE = _c(1561, 400, "invalid arithmetic value")
QUERY_DIVISION_BY_ZERO = _c(1562, 400, "division by zero")
QUERY_ARRAY_EXPECTED = _c(1563, 400, "array expected")
QUERY_FAIL_CALLED = _c(1569, 400, "FAIL(%s) called")
QUERY_GEO_INDEX_MISSING = _c(1570, 400, "no suitable geo index found for geo restriction on '%s'")
QUERY_FULLTEXT_INDEX_MISSING = _c(
    1571, 400, "no suitable fulltext index found for fulltext query on '%s'"
)
QUERY_INVALID_DATE_VALUE = _c(1572, 400, "invalid date value")
QUERY_MULTI_MODIFY = _c(1573, 400, "multi-modify query")
QUERY_INVALID_AGGREGATE_EXPRESSION = _c(1574, 400, "invalid aggregate expression")
QUERY_ACCESS_AFTER_MODIFICATION = _c(1579, 400, "access after data-modification by %s")
QUERY_FUNCTION_INVALID_NAME = _c(1580, 400, "invalid user function name")
QUERY_FUNCTION_INVALID_CODE = _c(1581, 400, "invalid user function code")
QUERY_FUNCTION_NOT_FOUND = _c(1582, 404, "user function '%s()' not found")
QUERY_NOT_FOUND = _c(1591, 404, "query ID not found")
CURSOR_NOT_FOUND = _c(1600, 404, "cursor not found")
CURSOR_BUSY = _c(1601, 409, "cursor is busy")
# Schema validation (the message of a 1620 is the collection schema's ``message``)
VALIDATION_FAILED = _c(1620, 400, "%s")
VALIDATION_BAD_PARAMETER = _c(1621, 400, "invalid schema validation parameter: %s")
# Transactions
TRANSACTION_INTERNAL = _c(1650, 500, "internal transaction error: %s")
TRANSACTION_UNREGISTERED_COLLECTION = _c(
    1652, 400, "Transaction with id '%s' does not contain collection '%s'"
)
TRANSACTION_DISALLOWED_OPERATION = _c(1653, 400, "disallowed operation inside transaction")
TRANSACTION_ABORTED = _c(1654, 410, "transaction aborted")
TRANSACTION_NOT_FOUND = _c(1655, 404, "transaction '%s' not found")
# Graphs
GRAPH_NOT_FOUND = _c(1924, 404, "graph '%s' not found")
# Users and authentication
USER_INVALID_NAME = _c(1700, 400, "invalid user name")
USER_INVALID_PASSWORD = _c(1701, 400, "invalid password")
USER_DUPLICATE = _c(1702, 409, "duplicate user")
USER_NOT_FOUND = _c(1703, 404, "user not found")
# Authentication failures answer HTTP 401 with errorNum 11 (FORBIDDEN's number, not its status);
# kept out of the catalogue so errorNum 11 still maps to 403 there.
UNAUTHORIZED = ErrorCode(11, 401, "not authorized to execute this request")
# Storage engine, key generators and REST layer (added for arangolite.storage / arangolite.rest)
LOCK_TIMEOUT = _c(18, 408, "lock timeout: %s")
LOCKED = _c(28, 500, "locked")  # a stream transaction in use by another request (its lease)
HTTP_PRECONDITION_FAILED = _c(412, 412, "precondition failed")
DATADIR_LOCKED = _c(1107, 500, "database directory is locked: %s")
READ_ONLY = _c(1004, 403, "read only: %s")
FILESYSTEM_FULL = _c(1104, 500, "filesystem full: %s")
CANNOT_WRITE_FILE = _c(15, 500, "cannot write file: %s")
CORRUPTED_DATAFILE = _c(1100, 500, "corrupted datafile: %s")
STORAGE_IO_ERROR = _c(1305, 500, "storage engine I/O error: %s")
NO_INDEX = _c(1209, 400, "no suitable index known")
OUT_OF_KEYS = _c(1225, 500, "out of keys")
DOCUMENT_KEY_MISSING = _c(1226, 400, "missing document key")
INVALID_KEY_GENERATOR = _c(1232, 400, "invalid key generator: %s")
COLLECTION_TYPE_MISMATCH = _c(1237, 400, "collection type mismatch: %s")
GRAPH_COLLECTION_MULTI_USE = _c(
    1920, 400, "multi use of edge collection in edge def: %s"
)
GRAPH_COLLECTION_USE_IN_MULTI_GRAPHS = _c(
    1921, 400, "%s collection already used in edge def"
)
GRAPH_CREATE_MISSING_NAME = _c(1922, 400, "missing graph name")
GRAPH_CREATE_MALFORMED_EDGE_DEFINITION = _c(1923, 400, "malformed edge definition: %s")
GRAPH_DUPLICATE = _c(1925, 409, "graph already exists")
GRAPH_VERTEX_COL_DOES_NOT_EXIST = _c(
    1926, 404, "vertex collection does not exist or is not part of the graph"
)
GRAPH_WRONG_COLLECTION_TYPE_VERTEX = _c(1927, 400, "collection not a vertex collection")
GRAPH_NOT_IN_ORPHAN_COLLECTION = _c(1928, 400, "collection is not in list of orphan collections")
GRAPH_COLLECTION_USED_IN_EDGE_DEF = _c(
    1929, 400, "collection already used in edge def"
)
GRAPH_COLLECTION_USED_IN_ORPHANS = _c(1938, 400, "collection already used in orphans")
GRAPH_EDGE_COLLECTION_NOT_USED = _c(1930, 404, "edge collection not used in graph")
GRAPH_REFERENCED_VERTEX_COLLECTION_NOT_USED = _c(
    1947, 400, "referenced vertex collection is not part of the graph"
)


def catalogue() -> dict[int, ErrorCode]:
    """Return every known error code, by number."""
    return dict(_CATALOGUE)


class ArangoError(Exception):
    """An error ArangoDB would report: carries its ``errorNum``, HTTP code and message.

    Args:
        code: the catalogue entry.
        *args: values for the template's ``%s`` placeholders. With no args and a template that
            has placeholders, the template's fixed prefix (before the first placeholder) is used.
        message: an explicit message, overriding the template.
    """

    def __init__(self, code: ErrorCode, *args: Any, message: str | None = None) -> None:
        if message is None:
            if args:
                message = code.template % tuple(args)
            else:
                message = code.template.split("%s")[0].rstrip(" :-") or code.template
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def error_num(self) -> int:
        """ArangoDB's error number."""
        return self.code.num

    @property
    def http_code(self) -> int:
        """The HTTP status code to answer with."""
        return self.code.http

    def to_body(self) -> dict[str, Any]:
        """Serialise to ArangoDB's error body."""
        return {
            "error": True,
            "code": self.code.http,
            "errorNum": self.code.num,
            "errorMessage": self.message,
        }


@dataclass(frozen=True, slots=True)
class Warning_:
    """A runtime warning collected into a cursor's ``extra.warnings`` (ArangoDB returns null)."""

    code: int
    message: str

    def to_body(self) -> dict[str, Any]:
        """Serialise as ArangoDB does in ``extra.warnings``."""
        return {"code": self.code, "message": self.message}
# AQL user assertions (ASSERT / WARN)
QUERY_USER_ASSERT = _c(1593, 400, "%s")
QUERY_USER_WARN = _c(1594, 400, "%s")
