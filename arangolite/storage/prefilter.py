"""SQL prefilters for full scans: ``v.a.b == value`` (or a range) pushed into the SQL that reads documents.

A full scan of an on-disk collection whose AQL loop has equality or range FILTERs no index serves may
read only the rows that can match (:meth:`DiskState.scan` with ``where``). The SQL need only
keep a *superset* of the matches, since the query checks its whole FILTER on every document it
gets. :func:`where_sql` turns ``(path, op, value)`` triples into such a condition, and leaves out
any for which that superset property is not clear:

- the path must be plain attribute names (letters, digits, ``_``, not starting with a digit):
  ``json_extract`` reads ``$.a.b`` as AQL reads ``v.a.b`` (a missing attribute, or one under a
  non-object, is SQL NULL there and null in AQL);
- a string must be ASCII without NUL: a stored string equal to it is then written with ASCII
  escapes only, which SQLite's JSON reader decodes exactly; ``json_extract`` gives a JSON string
  as TEXT (arrays and objects as their JSON text, which may equal the value: kept, harmless);
- a number (not a bool) is matched by a window of relative width 2**-40 around it (``BETWEEN``),
  not ``=``: SQLite's text-to-double conversion need not round as Python's does, and an integer
  beyond 2**63 is not bound (the pair is left out). Every number AQL finds equal (``1 == 1.0``)
  lies in the window;
- ``true`` / ``false``: ``json_extract`` gives 1 / 0 for them (and for the numbers 1 and 0,
  which the query then rejects);
- null, arrays and objects are not pushed;
- a range bound is pushed for a number only (as ``>=`` / ``<=`` widened by the same window):
  a lower bound must keep every string, array and object (above numbers in AQL's type order):
  ``json_extract`` gives them as TEXT, which SQLite orders above every number ("an INTEGER or
  REAL value is less than any TEXT or BLOB value"); an upper bound must keep every null,
  missing value and bool (below numbers), which ``json_type`` tells; ``json_extract`` gives 1 /
  0 for bools, which can only add rows to a lower bound.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["where_sql"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_WIDTH = 2.0**-40
_TINY = 1e-300
_BIND_LIMIT = 2**63


def _json_path(path: str) -> str | None:
    parts = path.split(".")
    if not all(_NAME.match(part) for part in parts):
        return None
    return "$." + path


def _number(value: Any) -> bool:
    t = type(value)
    if t is float and not math.isfinite(value):
        return False
    return (t is int or t is float) and abs(value) < _BIND_LIMIT


def _bound(json_path: str, op: str, value: Any) -> tuple[str, list[Any]] | None:
    """``>=`` (also for ``>``) or ``<=`` (also ``<``) a number: AQL's type order puts null,
    missing and bools below every number, strings, arrays and objects above."""
    if not _number(value):
        return None
    margin = max(abs(value) * _WIDTH, _TINY)
    if op == ">=":  # strings, arrays and objects come back as TEXT, above every number in SQLite
        return "json_extract(doc, ?) >= ?", [json_path, value - margin]
    return (
        "(coalesce(json_type(doc, ?), 'null') IN ('null', 'true', 'false')"
        " OR json_extract(doc, ?) <= ?)",
        [json_path, json_path, value + margin],
    )


def _clause(path: str, op: str, value: Any) -> tuple[str, list[Any]] | None:
    json_path = _json_path(path)
    if json_path is None:
        return None
    if op != "==":
        return _bound(json_path, op, value)
    t = type(value)
    if t is bool:
        return "json_extract(doc, ?) = ?", [json_path, int(value)]
    if t is str:
        if not value.isascii() or "\x00" in value:
            return None
        return "json_extract(doc, ?) = ?", [json_path, value]
    if t is int or t is float:
        if not _number(value):
            return None
        margin = max(abs(value) * _WIDTH, _TINY)
        return "json_extract(doc, ?) BETWEEN ? AND ?", [json_path, value - margin, value + margin]
    return None


def where_sql(where: Sequence[tuple[str, str, Any]]) -> tuple[str, list[Any]]:
    """``(" AND ..." SQL, parameters)`` keeping a superset of the documents for which every
    ``(path, op, value)`` holds in AQL (``op``: ``==``; ``>=`` standing for ``>`` or ``>=``,
    ``<=`` for ``<`` or ``<=``); ``("", [])`` when none can be pushed."""
    sql: list[str] = []
    params: list[Any] = []
    for path, op, value in where:
        found = _clause(path, op, value)
        if found is not None:
            sql.append(found[0])
            params.extend(found[1])
    return "".join(" AND " + s for s in sql), params
