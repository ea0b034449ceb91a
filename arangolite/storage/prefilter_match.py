"""Prefilter clauses for (in)equality: ``==`` (null included), ``!=``, ``IN`` and ``NOT IN``.

Each returns ``(sql, params)`` keeping a superset of the documents whose value at ``json_path``
satisfies the AQL condition, or None when that is not clear (see :mod:`.prefilter`).
"""

from __future__ import annotations

import json
import math
import sqlite3
from typing import Any

__all__ = ["ARROW", "equal", "is_number", "member", "not_equal", "not_member", "number_margin"]

Clause = tuple[str, list[Any]]
_WIDTH = 2.0**-40
_TINY = 1e-300
_BIND_LIMIT = 2**63
_WHOLE = 2**38  # a stored double within 2**-40 of a whole number up to this rounds to it
_LIST_LIMIT = 100  # IN lists longer than this are not pushed (one clause per item)
_TEXT = json.JSONEncoder(ensure_ascii=False).encode  # scalars as the store writes them
ARROW = sqlite3.sqlite_version_info >= (3, 38, 0)  # SQLite's ``->`` (a value's JSON text)


def is_number(value: Any) -> bool:
    """A finite int or float (not a bool) SQLite can be given as a parameter."""
    t = type(value)
    if t is float and not math.isfinite(value):
        return False
    return (t is int or t is float) and abs(value) < _BIND_LIMIT


def number_margin(value: int | float) -> float:
    """Half the width of the window a number is matched in (SQLite's text-to-double conversion
    need not round as Python's does)."""
    return max(abs(value) * _WIDTH, _TINY)


def equal(json_path: str, value: Any) -> Clause | None:
    """``== value``: null (also a missing attribute), a bool, an ASCII string without NUL, a
    number in a window; not arrays or objects."""
    t = type(value)
    if value is None:  # json_type is NULL for a missing path (or one under a non-object)
        return "coalesce(json_type(doc, ?), 'null') = 'null'", [json_path]
    if t is bool:
        return "json_extract(doc, ?) = ?", [json_path, int(value)]
    if t is str:
        if not value.isascii() or "\x00" in value:
            return None
        return "json_extract(doc, ?) = ?", [json_path, value]
    if is_number(value):
        margin = number_margin(value)
        return "json_extract(doc, ?) BETWEEN ? AND ?", [json_path, value - margin, value + margin]
    return None


def not_equal(json_path: str, value: Any) -> Clause | None:
    """``!= value``: leaves out only values certainly equal to a null, bool, string or number.

    A string or number is left out when its stored JSON text (``doc -> path``, SQLite's JSON
    text of the value as written) is exactly the JSON text of ``value`` as the store writes it:
    that text decodes to ``value``. Any other text (``1.0`` for ``1``, another escape) is kept.
    (Not pushed with an SQLite older than 3.38, which has no ``->``.)
    """
    if value is None:
        return "coalesce(json_type(doc, ?), 'null') != 'null'", [json_path]
    t = type(value)
    if t is bool:
        return "json_type(doc, ?) IS NOT ?", [json_path, "true" if value else "false"]
    if ARROW and (t is str or t is int or (t is float and math.isfinite(value))):
        try:
            text = _TEXT(value)
            text.encode("utf-8")  # (a lone surrogate is not stored, nor bound)
        except (UnicodeEncodeError, ValueError):
            return None
        return "(doc -> ?) IS NOT ?", [json_path, text]
    return None


def member(json_path: str, values: Any) -> Clause | None:
    """``IN values`` (a list): a superset of the documents equal to one of the items; none for
    an empty list. The value is read once for all the whole numbers and bools among the items
    (:func:`_whole_members`) and once for all the strings (``json_extract(doc, ?) IN (...)``);
    every other item has its own equality clause (:func:`equal`)."""
    if type(values) is not list or len(values) > _LIST_LIMIT:
        return None
    if not values:
        return "0", []
    wholes: list[int] = []
    strings: list[str] = []
    sql: list[str] = []
    params: list[Any] = []
    for item in values:
        t = type(item)
        if t is bool or (is_number(item) and abs(item) <= _WHOLE and item == int(item)):
            wholes.append(int(item))
            continue
        found = equal(json_path, item)
        if found is None:
            return None
        if t is str:
            strings.append(item)
        else:
            sql.append(found[0])
            params.extend(found[1])
    if strings:
        sql.insert(0, f"json_extract(doc, ?) IN ({', '.join('?' * len(strings))})")
        params[:0] = [json_path, *strings]
    if wholes:
        sql.insert(0, f"round(json_extract(doc, ?)) IN ({', '.join('?' * len(wholes))})")
        params[:0] = [json_path, *wholes]
    return "(" + " OR ".join(sql) + ")", params


def not_member(json_path: str, values: Any) -> Clause | None:
    """``NOT IN values`` (a list): every item's ``!=`` clause that can be pushed (each keeps a
    superset of the values unequal to its item, so together they keep those unequal to all)."""
    if type(values) is not list or not values or len(values) > _LIST_LIMIT:
        return None
    sql: list[str] = []
    params: list[Any] = []
    for item in values:
        found = not_equal(json_path, item)
        if found is not None:
            sql.append(found[0])
            params.extend(found[1])
    return (" AND ".join(sql), params) if sql else None
