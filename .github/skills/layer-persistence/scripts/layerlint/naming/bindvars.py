"""Which keys an ``.aql.execute(..., bind_vars=...)`` call passes, when that is knowable."""

from __future__ import annotations

import ast

from .calls import ExecuteCall
from .folding import local_bindings, own_nodes

__all__ = ["passed_keys", "passed_values"]

_MUTATORS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "__setitem__"})
_KEY_ADDERS = frozenset({ast.Assign, ast.Call})


def passed_keys(site: ExecuteCall) -> set[str] | None:
    """Return the bind variable keys of a call, or None when they cannot be read statically.

    Readable: no ``bind_vars`` (no keys), a dict literal with string keys, ``dict(a=...)``, or a
    local name assigned one such dict and then only given more keys by ``name["k"] = ...``.
    """
    if not site.bind_known:
        return None
    expr = site.bind_vars
    if expr is None or (isinstance(expr, ast.Constant) and expr.value is None):
        return set()
    keys = _literal_keys(expr)
    if keys is not None or not isinstance(expr, ast.Name):
        return keys
    return _local_dict_keys(site.scope, expr.id)


def _literal_keys(expr: ast.expr) -> set[str] | None:
    if isinstance(expr, ast.Dict):
        keys = [k.value if isinstance(k, ast.Constant) else None for k in expr.keys]
        return (
            {k for k in keys if isinstance(k, str)}
            if all(isinstance(k, str) for k in keys)
            else None
        )
    if isinstance(expr, ast.Call) and _is_dict_call(expr) and all(k.arg for k in expr.keywords):
        return {str(k.arg) for k in expr.keywords}
    return None


def _is_dict_call(expr: ast.Call) -> bool:
    return isinstance(expr.func, ast.Name) and expr.func.id == "dict" and not expr.args


def _local_dict_keys(scope: ast.AST | None, name: str) -> set[str] | None:
    local, params = local_bindings(scope)
    values = local.get(name, [])
    if name in params or len(values) != 1 or scope is None:
        return None
    keys = _literal_keys(values[0])
    if keys is None:
        return None
    for node in own_nodes(scope):
        if type(node) not in _KEY_ADDERS:
            continue  # only assignments and calls add keys
        extra = _added_key(node, name)
        if extra is None:
            return None
        keys |= extra
    return keys


def _added_key(node: ast.AST, name: str) -> set[str] | None:
    """Return keys ``node`` adds to dict ``name`` ({} if none), or None when it is opaque."""
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Subscript) and _is_name(target.value, name):
                key = target.slice
                return (
                    {key.value}
                    if isinstance(key, ast.Constant) and isinstance(key.value, str)
                    else None
                )
    mutated = (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and _is_name(node.func.value, name)
        and node.func.attr in _MUTATORS
    )
    return None if mutated else set()


def _is_name(expr: ast.expr, name: str) -> bool:
    return isinstance(expr, ast.Name) and expr.id == name


def passed_values(site: ExecuteCall) -> dict[str, ast.expr]:
    """Return the bind variables of a call whose key and value expression are readable.

    Read from a dict literal (or ``dict(k=...)``) passed directly, or assigned once to a local
    name and then given keys with ``name["k"] = value``. Unreadable entries are left out.
    """
    if not site.bind_known or site.bind_vars is None:
        return {}
    expr = site.bind_vars
    if isinstance(expr, ast.Name):
        local, params = local_bindings(site.scope)
        values = local.get(expr.id, [])
        if expr.id in params or len(values) != 1:
            return {}
        found = _literal_values(values[0])
        for node in own_nodes(site.scope) if site.scope is not None else ():
            if type(node) is ast.Assign:
                found.update(_assigned_value(node, expr.id))
        return found
    return _literal_values(expr)


def _literal_values(expr: ast.expr) -> dict[str, ast.expr]:
    if isinstance(expr, ast.Dict):
        return {
            k.value: v
            for k, v in zip(expr.keys, expr.values, strict=True)
            if isinstance(k, ast.Constant) and isinstance(k.value, str)
        }
    if isinstance(expr, ast.Call) and _is_dict_call(expr):
        return {str(k.arg): k.value for k in expr.keywords if k.arg}
    return {}


def _assigned_value(node: ast.AST, name: str) -> dict[str, ast.expr]:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if (
                isinstance(target, ast.Subscript)
                and _is_name(target.value, name)
                and isinstance(target.slice, ast.Constant)
                and isinstance(target.slice.value, str)
            ):
                return {target.slice.value: node.value}
    return {}
