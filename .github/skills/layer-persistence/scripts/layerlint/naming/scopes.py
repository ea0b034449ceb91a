"""What one function's own scope holds: its nodes, its local bindings, how it builds values.

Each analysis is computed once per function node and kept on the node (``memo_on_node``): the
rules ask the same questions about the same functions many times.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "appended_texts",
    "local_bindings",
    "memo_on_node",
    "mutated_sequences",
    "own_nodes",
]

_T = TypeVar("_T")
_MISSING = object()


def memo_on_node(fn: Callable[[Any], _T]) -> Callable[[Any], _T]:
    """Cache ``fn(node)`` on the node itself (AST nodes live as long as their module)."""
    attribute = f"_nomarr_{fn.__name__}"

    @functools.wraps(fn)
    def wrapper(node: Any) -> _T:
        if node is None:
            return fn(node)
        memo = node.__dict__  # a dict look-up: no AttributeError raised on every first call
        value = memo.get(attribute, _MISSING)
        if value is _MISSING:
            value = memo[attribute] = fn(node)
        return value  # type: ignore[no-any-return]

    return wrapper


@memo_on_node
def local_bindings(func: ast.AST | None) -> tuple[dict[str, list[ast.expr]], set[str]]:
    """Return a function's local assignments (name -> values) and its parameter names."""
    if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
        return {}, set()
    params = {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)}
    params.update(a.arg for a in (func.args.vararg, func.args.kwarg) if a is not None)
    found: dict[str, list[ast.expr]] = {}
    for node in _walk_own_scope(func):
        for name, value in _binding(node):
            found.setdefault(name, []).append(value)
    return found, params


_MUTATORS = frozenset({"append", "extend", "insert", "appendleft", "extendleft"})


@memo_on_node
def mutated_sequences(func: ast.AST | None) -> dict[str, ast.Call]:
    """Return the local names a function grows in place (``parts.append(...)``), by first call."""
    if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
        return {}
    found: dict[str, ast.Call] = {}
    for node in _walk_own_scope(func):
        if (
            type(node) is ast.Call
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _MUTATORS
            and isinstance(node.func.value, ast.Name)
        ):
            name = node.func.value.id
            if name not in found or node.lineno < found[name].lineno:
                found[name] = node
    return found


@memo_on_node
def appended_texts(func: ast.AST | None) -> dict[str, list[ast.expr]]:
    """Return locals built as ``x = first`` then ``x += more`` (in order), by name.

    Only names whose every binding is a statement of the function's own body (not inside a
    branch or loop) qualify: their value is then the concatenation, in source order.
    """
    if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
        return {}
    local, _ = local_bindings(func)
    parts: dict[str, list[ast.expr]] = {}
    for stmt in func.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                parts[target.id] = [stmt.value] if target.id not in parts else []
        elif (
            isinstance(stmt, ast.AugAssign)
            and isinstance(stmt.op, ast.Add)
            and isinstance(stmt.target, ast.Name)
            and parts.get(stmt.target.id)
        ):
            parts[stmt.target.id].append(stmt.value)
    return {
        name: values
        for name, values in parts.items()
        if len(values) > 1 and len(local.get(name, ())) == len(values)
    }


def own_nodes(func: ast.AST) -> list[ast.AST]:
    """Return the nodes of a function's own scope (nested functions' bodies left out).

    For a function of a walked module (``SourceFile``) this is the list the walk kept, which
    holds only the node types of ``source.INDEXED`` (assignments, calls, comparisons, ...);
    callers look for those only.
    """
    return _walk_own_scope(func)


def _walk_own_scope(func: ast.AST) -> list[ast.AST]:
    known: list[ast.AST] | None = getattr(func, "_nomarr_own_nodes", None)
    if known is not None:
        return known
    out: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        out.append(node)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(node))
    return out


_BINDERS = frozenset({ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr})


def _binding(node: ast.AST) -> list[tuple[str, ast.expr]]:
    kind = type(node)
    if kind not in _BINDERS:
        return []
    if kind is ast.Assign:
        return [(t.id, node.value) for t in node.targets if isinstance(t, ast.Name)]  # type: ignore[attr-defined]
    target, value = node.target, node.value  # type: ignore[attr-defined]
    if kind is ast.NamedExpr:
        return [(target.id, value)]
    return [(target.id, value)] if isinstance(target, ast.Name) and value is not None else []
