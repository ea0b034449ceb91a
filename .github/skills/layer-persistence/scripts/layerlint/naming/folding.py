"""Constant folding of Python expressions: is a query text fixed when the module is written?

``Folder.fold(expr)`` answers ``Const`` (a constant, with its value when it is one known value)
or ``Dynamic`` (built at run time, with the offending node and a reason). Names resolve to
module-level constants and to the local assignments of the enclosing function.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from typing import Final, NamedTuple

from .scopes import (
    appended_texts,
    local_bindings,
    memo_on_node,
    mutated_sequences,
    own_nodes,
)

__all__ = [
    "UNKNOWN",
    "Const",
    "Dynamic",
    "Folder",
    "appended_texts",
    "local_bindings",
    "memo_on_node",
    "mutated_sequences",
    "own_nodes",
]


class _Unknown:
    """The value of a constant expression whose exact value is not one known string."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()


class Const(NamedTuple):
    """A constant expression; ``value`` is ``UNKNOWN`` when it may be one of several constants."""

    value: object


class Dynamic(NamedTuple):
    """An expression computed at run time: ``node`` is the non-constant part."""

    node: ast.AST
    reason: str


Folded = Const | Dynamic
_COMBINATORS = (ast.JoinedStr, ast.BinOp, ast.Call, ast.IfExp)


class Folder:
    """Folds expressions against module constants and one function's local bindings.

    Args:
        module_env: module-level constants (name -> value expression).
        local_env: the enclosing function's assignments (name -> every value assigned).
        params: the enclosing function's parameter names (never constant).
        mutated: local sequences grown in place (``parts.append(...)``): text joined from them
            is assembled at run time.
    """

    def __init__(
        self,
        module_env: Mapping[str, ast.expr],
        local_env: Mapping[str, Sequence[ast.expr]] | None = None,
        params: set[str] | None = None,
        mutated: Mapping[str, ast.Call] | None = None,
        appended: Mapping[str, Sequence[ast.expr]] | None = None,
    ) -> None:
        self._module = module_env
        self._local = local_env or {}
        self._params = params or set()
        self._mutated = mutated or {}
        self._appended = appended or {}
        self._active: set[str] = set()

    def fold(self, node: ast.AST) -> Folded:
        """Return whether ``node`` is constant, and its value when known."""
        if isinstance(node, ast.Constant):
            return Const(node.value)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.Attribute):
            return Const(UNKNOWN) if node.attr.isupper() else _dyn(node, "attribute")
        if isinstance(node, ast.JoinedStr):
            return self._fstring(node)
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.IfExp):
            return self._choice([node.body, node.orelse], node)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Tuple | ast.List):
            return self._sequence(node)
        return _dyn(node, "expression")

    def _name(self, node: ast.Name) -> Folded:
        name = node.id
        if name in self._params:
            return _dyn(node, "parameter")
        if name in self._mutated:
            grown = self._mutated[name]
            how = grown.func.attr  # type: ignore[attr-defined]
            return Dynamic(grown, f"`{name}` is assembled at run time with `.{how}()`")
        if name in self._active:
            return Const(UNKNOWN)
        self._active.add(name)
        try:
            if name in self._appended:
                return self._concatenation(self._appended[name])
            if name in self._local:
                return self._choice(list(self._local[name]), node)
            if name in self._module:
                return self.fold(self._module[name])
            return _dyn(node, "name")
        finally:
            self._active.discard(name)

    def _concatenation(self, parts: Sequence[ast.expr]) -> Folded:
        folded = [self._part(part, "`+=` appends") for part in parts]
        values: list[object] = []
        for item in folded:
            if isinstance(item, Dynamic):
                return item
            values.append(item.value)
        if all(isinstance(v, str) for v in values):
            return Const("".join(str(v) for v in values))
        return Const(UNKNOWN)

    def _choice(self, options: list[ast.expr], node: ast.AST) -> Folded:
        folded = [self._part(opt, "a variable is assigned") for opt in options]
        for item in folded:
            if isinstance(item, Dynamic):
                return item
        values = {repr(item.value) for item in folded if isinstance(item, Const)}
        first = folded[0]
        return first if len(values) == 1 else Const(UNKNOWN)

    def _fstring(self, node: ast.JoinedStr) -> Folded:
        pieces: list[object] = []
        for value in node.values:
            inner = value.value if isinstance(value, ast.FormattedValue) else value
            folded = self._part(inner, "an f-string interpolates")
            if isinstance(folded, Dynamic):
                return folded
            pieces.append(folded.value)
        if any(p is UNKNOWN for p in pieces):
            return Const(UNKNOWN)
        return Const("".join(str(p) for p in pieces))

    def _binop(self, node: ast.BinOp) -> Folded:
        how = {ast.Add: "`+` concatenates", ast.Mod: "`%` formats in"}.get(
            type(node.op), "operator"
        )
        left = self._part(node.left, how)
        if isinstance(left, Dynamic):
            return left
        right = self._part(node.right, how)
        if isinstance(right, Dynamic):
            return right
        return Const(_apply(node.op, left.value, right.value))

    def _call(self, node: ast.Call) -> Folded:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("format", "join"):
            how = "`.format()` inserts" if func.attr == "format" else "`.join()` joins"
            parts = [func.value, *node.args, *(k.value for k in node.keywords)]
            folded = [self._part(p, how) for p in parts]
            for item in folded:
                if isinstance(item, Dynamic):
                    return item
            return Const(
                _call_value(func.attr, node, [f.value for f in folded if isinstance(f, Const)])
            )
        return _dyn(node, "call")

    def _sequence(self, node: ast.Tuple | ast.List) -> Folded:
        values: list[object] = []
        for elt in node.elts:
            folded = self._part(elt, "`.join()` joins")
            if isinstance(folded, Dynamic):
                return folded
            values.append(folded.value)
        return Const(UNKNOWN if UNKNOWN in values else tuple(values))

    def _part(self, child: ast.AST, how: str) -> Folded:
        folded = self.fold(child)
        if (
            isinstance(folded, Dynamic)
            and folded.node is child
            and not isinstance(child, _COMBINATORS)
        ):
            return Dynamic(child, f"{how} `{ast.unparse(child)}`")
        return folded


def _dyn(node: ast.AST, what: str) -> Dynamic:
    return Dynamic(node, f"{what} `{ast.unparse(node)}` is not a constant")


def _apply(op: ast.operator, left: object, right: object) -> object:
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    try:
        if isinstance(op, ast.Add):
            return left + right  # type: ignore[operator]
        if isinstance(op, ast.Mod):
            return left % right  # type: ignore[operator]
    except (TypeError, ValueError):
        return UNKNOWN
    return UNKNOWN


def _call_value(attr: str, node: ast.Call, values: list[object]) -> object:
    if UNKNOWN in values or node.keywords or not isinstance(values[0], str):
        return UNKNOWN
    try:
        if attr == "join" and len(values) == 2 and isinstance(values[1], tuple):
            return values[0].join(str(v) for v in values[1])
        if attr == "format":
            return values[0].format(*values[1:])
    except (IndexError, KeyError, ValueError):
        return UNKNOWN
    return UNKNOWN
