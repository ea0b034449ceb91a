"""SQL prefilters for full scans: ``v.a.b == value`` pushed into the query that reads documents.

A full scan of an on-disk collection whose AQL loop has equality FILTERs no index serves may
read only the rows that can match (:meth:`DiskState.scan` with ``where``). The SQL need only
keep a *superset* of the matches, since the query checks its whole FILTER on every document it
gets. :func:`where_sql` turns ``(path, value)`` pairs into such a condition, and leaves out any
pair for which that superset property is not clear:

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
- null, arrays and objects are not pushed.
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


def _clause(path: str, value: Any) -> tuple[str, list[Any]] | None:
    json_path = _json_path(path)
    if json_path is None:
        return None
    t = type(value)
    if t is bool:
        return "json_extract(doc, ?) = ?", [json_path, int(value)]
    if t is str:
        if not value.isascii() or "\x00" in value:
            return None
        return "json_extract(doc, ?) = ?", [json_path, value]
    if t is int or t is float:
        if t is float and not math.isfinite(value):
            return None
        if abs(value) >= _BIND_LIMIT:
            return None
        margin = max(abs(value) * _WIDTH, _TINY)
        return "json_extract(doc, ?) BETWEEN ? AND ?", [json_path, value - margin, value + margin]
    return None


def where_sql(where: Sequence[tuple[str, Any]]) -> tuple[str, list[Any]]:
    """``(" AND ..." SQL, parameters)`` keeping a superset of the documents whose ``path``
    equals ``value`` (AQL ``==``) for every pair; ``("", [])`` when no pair can be pushed."""
    sql: list[str] = []
    params: list[Any] = []
    for path, value in where:
        found = _clause(path, value)
        if found is not None:
            sql.append(found[0])
            params.extend(found[1])
    return "".join(" AND " + s for s in sql), params
