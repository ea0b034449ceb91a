"""SQL prefilters for full scans: FILTER conditions on ``v.a.b`` pushed into the SQL that reads
documents.

A full scan of an on-disk collection whose AQL loop has FILTERs no index serves may read only
the rows that can match (:meth:`DiskState.scan` with ``where``). The SQL need only keep a
*superset* of the matches, since the query checks its whole FILTER on every document it gets.
:func:`where_sql` turns ``(path, op, value)`` conditions into such a condition (the AND of one
clause per condition), and leaves out any for which that superset property is not clear. The
path must be plain attribute names (letters, digits, ``_``, not starting with a digit):
``json_extract`` reads ``$.a.b`` as AQL reads ``v.a.b`` (a missing attribute, or one under a
non-object, is SQL NULL there and null in AQL). The clauses (``prefilter_match``,
``prefilter_order``):

- ``==``: null (``json_type`` null or missing); ``true`` / ``false`` (``json_extract`` gives
  1 / 0 for them, and for the numbers 1 and 0, which the query then rejects); an ASCII string
  without NUL (a stored string equal to it reads back as that TEXT; arrays and objects come back
  as JSON text, which may equal it: kept, harmless); a number below 2**63 in a window of
  relative width 2**-40 (SQLite's text-to-double conversion need not round as Python's; every
  number AQL finds equal, ``1 == 1.0``, lies in it); not arrays or objects;
- ``!=``: leaves out null / missing for null, the bool itself for a bool, and (SQLite 3.38+)
  for a string or number only a value whose stored JSON text (``doc -> '$.a'``) is the very
  text the store writes for it;
- ``in`` / ``not in`` a list of up to 100 items: any item's ``==`` clause (none pushed if one is
  not), the value read once for all whole numbers up to 2**38 and bools among them
  (``round(json_extract(doc, ?)) IN (...)``) and once for all strings / every item's ``!=``
  clause that is pushed;
- ``>=`` (standing for ``>`` too) and ``<=`` (``<``): a number (widened by the same window) or a
  string without NUL, in AQL's type order (see ``prefilter_order``);
- ``%`` with value ``(n, c)`` for ``v.a % n == c``: an int ``n``, 0 < |n| <= 2**53, and a
  number ``c``; for a whole ``0 <= c < |n| <= 2**38`` the value is read once, clamped so that
  TEXT and numbers beyond the clamp are kept (``prefilter_order``), else only JSON integers
  within +-2**53 are tested and every other value is kept;
- ``or`` (path ``""``) with a list of alternatives, each a list of conditions: the OR of each
  alternative's AND (each keeps a superset of its alternative's matches), not pushed when an
  alternative has no clause pushed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from arangolite.storage.prefilter_match import equal, member, not_equal, not_member
from arangolite.storage.prefilter_order import lower, remainder, upper

__all__ = ["FIELDS", "split_fields", "where_sql"]

FIELDS = "fields"  # ``("", FIELDS, names)``: not a condition, the attributes a query reads

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_CLAUSES: dict[str, Callable[[str, Any], tuple[str, list[Any]] | None]] = {
    "==": equal,
    "!=": not_equal,
    "in": member,
    "not in": not_member,
    ">=": lower,
    "<=": upper,
    "%": remainder,
}


def _json_path(path: str) -> str | None:
    parts = path.split(".")
    if not all(_NAME.match(part) for part in parts):
        return None
    return "$." + path


def _clause(path: str, op: str, value: Any) -> tuple[str, list[Any]] | None:
    if op == "or":
        return _any(value)
    json_path = _json_path(path)
    clause = _CLAUSES.get(op)
    return clause(json_path, value) if json_path is not None and clause is not None else None


def _all(where: Sequence[tuple[str, str, Any]]) -> tuple[list[str], list[Any]]:
    sql: list[str] = []
    params: list[Any] = []
    for path, op, value in where:
        found = _clause(path, op, value)
        if found is not None:
            sql.append(found[0])
            params.extend(found[1])
    return sql, params


def _any(alternatives: Sequence[Sequence[tuple[str, str, Any]]]) -> tuple[str, list[Any]] | None:
    """Any of the alternatives (each the AND of its conditions); None when one of them has no
    clause pushed (it may keep any document)."""
    sql: list[str] = []
    params: list[Any] = []
    for alternative in alternatives:
        found, found_params = _all(alternative)
        if not found:
            return None
        sql.append("(" + " AND ".join(found) + ")")
        params.extend(found_params)
    return "(" + " OR ".join(sql) + ")", params


def split_fields(
    where: Sequence[tuple[str, str, Any]],
) -> tuple[Sequence[tuple[str, str, Any]], tuple[str, ...] | None]:
    """``where`` without its ``("", "fields", names)`` item, and those names (None: none): the
    top-level attributes the query reads of each document, when that is all it reads
    (``aql.projection``); a scan that prefilters may then return only those."""
    fields = [item for item in where if item[1] == FIELDS]
    if not fields:
        return where, None
    return [item for item in where if item[1] != FIELDS], tuple(fields[0][2])


def where_sql(where: Sequence[tuple[str, str, Any]]) -> tuple[str, list[Any]]:
    """``(" AND ..." SQL, parameters)`` keeping a superset of the documents for which every
    ``(path, op, value)`` holds in AQL (``op``: a key of ``_CLAUSES``, or ``or`` with
    ``value`` a list of alternatives, each a list of conditions that must all hold);
    ``("", [])`` when none can be pushed."""
    sql, params = _all(where)
    return "".join(" AND " + s for s in sql), params
