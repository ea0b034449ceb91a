"""Many rows into SQLite in few statements: multi-row ``INSERT ... VALUES (?, ?), (?, ?), ...``.

``executemany`` binds, steps and resets one row at a time, about a microsecond of interpreter
work per row on top of SQLite's own; a commit of 10k documents writes 40k rows or more (the
documents, their change rows, one row per index). :func:`run_many` runs an ``INSERT ... VALUES
(?, ...)`` as statements of many rows each (the same rows, in the same order, with the same
conflict clause: SQLite inserts a multi-row ``VALUES`` row after row, so the result is what
``executemany`` gives), and any other statement with ``executemany``. Statements stay within 999
bound variables (SQLite's smallest build limit) and take a few shapes only (a full chunk, then
powers of two), so they stay in the connection's statement cache.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

__all__ = ["MAX_VARIABLES", "SMALL", "run_many", "statements_for"]

MAX_VARIABLES = 999
SMALL = 8  # rows left over after the powers of two go row by row
_INSERT = re.compile(r"(INSERT\b.*?) VALUES \((\?(?:, \?)*)\)", re.DOTALL)


def statements_for(sql: str, count: int) -> list[tuple[str, int]]:
    """The ``(statement, rows)`` shapes :func:`run_many` uses for ``count`` rows of ``sql``
    (an ``INSERT ... VALUES (?, ...)``; anything else: ``[(sql, 1)] * count``)."""
    found = _INSERT.fullmatch(sql)
    if found is None:
        return [(sql, 1)] * count
    head, marks = found.group(1), "(" + found.group(2) + ")"
    width = marks.count("?")
    out: list[tuple[str, int]] = []
    full = max(1, MAX_VARIABLES // width)
    while count >= full:
        out.append((f"{head} VALUES {','.join([marks] * full)}", full))
        count -= full
    size = 1 << (full.bit_length() - 1)
    while count > SMALL:
        if count >= size:
            out.append((f"{head} VALUES {','.join([marks] * size)}", size))
            count -= size
        size //= 2
    out += [(f"{head} VALUES {marks}", 1)] * count
    return out


def run_many(cur: sqlite3.Cursor, sql: str, rows: Iterable[Sequence[Any]]) -> None:
    """``cur.executemany(sql, rows)``, in multi-row statements when ``sql`` is an ``INSERT ...
    VALUES (?, ...)``."""
    found = _INSERT.fullmatch(sql)
    if found is None:
        cur.executemany(sql, rows)
        return
    if not isinstance(rows, list):
        rows = list(rows)
    width = found.group(2).count("?")
    if len(rows) <= SMALL or set(map(len, rows)) != {width}:  # a bad row: executemany says
        cur.executemany(sql, rows)
        return
    flat = list(chain.from_iterable(rows))
    done = 0
    shape = ""
    params: list[list[Any]] = []
    for statement, n in statements_for(sql, len(rows)):
        if n == 1:
            break
        if statement != shape and params:
            cur.executemany(shape, params)
            params = []
        shape = statement
        params.append(flat[done * width : (done + n) * width])
        done += n
    if params:
        cur.executemany(shape, params)
    if done < len(rows):
        cur.executemany(sql, rows[done:])
