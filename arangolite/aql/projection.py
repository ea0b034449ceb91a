"""Projections: the top-level attributes of a FOR variable a query reads, when that is all it
reads (ArangoDB's ``reduce-extraction-to-projection``).

A full scan that prefilters in SQL may then return only those attributes of each document
(``storage.scan_sql``), which costs less to decode. :func:`projected` is conservative: any use
of the variable other than ``v.name`` or ``v["name"]`` (the document passed whole: ``RETURN v``,
a function argument, ``v[*]``, ``v[@x]``, a traversal start, an ``UPDATE v``), a ``COLLECT ...
INTO`` anywhere (it captures every variable), or a second declaration of the same name anywhere
in the query (a shadowing ``FOR``, ``LET``, ``COLLECT`` or traversal variable) gives None: the
whole document. Reading ``v.a.b`` or ``v.a[0]`` projects ``a`` whole.
"""

from __future__ import annotations

import re
from typing import Any

from arangolite.aql import ast

__all__ = ["MAX_FIELDS", "projected"]

MAX_FIELDS = 8  # more attributes than this: the whole document
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")  # (a JSON path ``$.name`` as written)
_DECLARING = (
    ast.For, ast.Let, ast.Collect, ast.Aggregate, ast.Traversal, ast.ShortestPath, ast.Window,
)


def _declares(node: Any, var: str) -> int:
    """How many of the string fields (nested in tuples too) of a declaring node name ``var``."""
    found = 0
    stack = [getattr(node, f) for f in node.__dataclass_fields__ if f not in ("line", "column")]
    while stack:
        item = stack.pop()
        if item == var and type(item) is str:
            found += 1
        elif type(item) is tuple:
            stack.extend(item)
    return found


def _read_name(node: Any, var: str) -> str | None:
    """``name`` when ``node`` is ``var.name`` or ``var["name"]``."""
    name: object
    if isinstance(node, ast.Attribute):
        obj, name = node.obj, node.name
    elif isinstance(node, ast.Index) and isinstance(node.index, ast.Literal):
        obj, name = node.obj, node.index.value
    else:
        return None
    if isinstance(obj, ast.Name) and obj.name == var and type(name) is str:
        return name
    return None


def projected(query: ast.Query, var: str) -> tuple[str, ...] | None:
    """The attributes of ``var`` the whole ``query`` reads (sorted, ``_key`` always among
    them), or None when it may read the document whole (see the module's docstring)."""
    names = {"_key"}
    read: set[int] = set()  # ids of the Name nodes read through a static attribute
    declarations = 0
    nodes = list(ast.iter_nodes(query))
    for node in nodes:
        if isinstance(node, ast.Collect) and node.into is not None:
            return None
        if isinstance(node, _DECLARING):
            declarations += _declares(node, var)
        name = _read_name(node, var)
        if name is not None:
            if not _NAME.match(name):
                return None
            names.add(name)
            read.add(id(node.obj))
    if declarations != 1 or len(names) > MAX_FIELDS:
        return None
    for node in nodes:
        if isinstance(node, ast.Name) and node.name == var and id(node) not in read:
            return None
    return tuple(sorted(names))
