"""Compile AQL expressions into Python expression source.

Generated expressions refer to names the executor provides in the query's globals: the
operators of ``arangolite.aql.operators`` (``eq``, ``lt``, ``add`` ...), ``tb`` (truthiness),
``K`` (the constants table), ``rt`` (the per-execution runtime) and one ``F<n>`` wrapper per
function called.
"""

from __future__ import annotations

from typing import Any

import arangolite.functions  # noqa: F401 - registers every AQL function
from arangolite import errors
from arangolite.aql import ast
from arangolite.aql.scope import Names, Scope, Variable
from arangolite.aql.values import to_bool
from arangolite.errors import ArangoError
from arangolite.functions.registry import check_arity, lookup

_OPS = {
    "==": "eq",
    "!=": "ne",
    "<": "lt",
    "<=": "le",
    ">": "gt",
    ">=": "ge",
    "IN": "in_",
    "NOT IN": "not_in",
    "+": "add",
    "-": "sub",
    "*": "mul",
    "/": "div",
    "%": "mod",
    "LIKE": "like",
    "NOT LIKE": "not_like",
    "=~": "regex_match",
    "!~": "regex_not_match",
}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}  # x op c  <=>  c flipped-op x
_BOOL_OPS = {"==", "!=", "<", "<=", ">", ">=", "IN", "NOT IN", "LIKE", "NOT LIKE"}
_WARNING_OPS = {"/", "%", "=~", "!~"}


_EXACT = 2**53


def _small_positive_int(node: Any) -> bool:
    return isinstance(node, ast.Literal) and type(node.value) is int and 0 < node.value <= _EXACT


def _safe_divisor(node: ast.Binary) -> bool:
    """``x / n`` or ``x % n`` with ``n`` a non-zero number literal: the only warning of those
    operators (division by zero) cannot happen, so the call needs no guard."""
    right = node.right
    return (
        node.op in ("/", "%")
        and isinstance(right, ast.Literal)
        and type(right.value) in (int, float)
        and right.value != 0
    )


def bind_local(name: str) -> str:
    """The local name a bind parameter's value is loaded into at the start of a query."""
    return "bv_" + name


def bind_type(name: str) -> tuple[str, str]:
    """A local set when the query starts (name, expression): a bind parameter's type when it is
    a number or a string, None otherwise (ordering compares Python's operator may decide)."""
    local = bind_local(name)
    return "bvt_" + name, f"type({local}) if type({local}) in (int, float, str) else None"


def bind_plain(name: str) -> tuple[str, str]:
    """A local set when the query starts (name, expression): whether a bind parameter's value is
    a string or null, which Python's ``==`` compares as AQL does."""
    local = bind_local(name)
    return "bvp_" + name, f"type({local}) is str or {local} is None"


def is_constant(node: Any) -> bool:
    """True when an expression has no variables, bind parameters, calls or subqueries."""
    if isinstance(node, ast.Literal):
        return True
    if isinstance(node, ast.ArrayLit):
        return all(is_constant(i) for i in node.items)
    if isinstance(node, ast.ObjectLit):
        return all(isinstance(i.key, str) and is_constant(i.value) for i in node.items)
    return False


def constant_value(node: Any) -> Any:
    """Value of an expression for which ``is_constant`` holds."""
    if isinstance(node, ast.Literal):
        return node.value
    if isinstance(node, ast.ArrayLit):
        return [constant_value(i) for i in node.items]
    return {i.key: constant_value(i.value) for i in node.items}


class ExprCodegen:
    """Expression half of the query compiler (mixed into ``QueryCompiler``)."""

    names: Names
    scope: Scope
    consts: list[Any]
    functions: list[Any]
    geo_calls: dict[int, tuple[str, list[str]]]
    collections: set[str]
    bind_names: set[str]
    bind_facts: dict[str, str]  # locals computed from bind values when the query starts
    covered: dict[int, str]  # FILTER conjuncts (ids) -> the flag of the range read covering them

    # hooks provided by the statement compiler
    def compile_subquery(self, query: ast.Query) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def const(self, value: Any) -> str:
        """Reference to a constant in the ``K`` table."""
        self.consts.append(value)
        return f"K[{len(self.consts) - 1}]"

    def tmp(self) -> str:
        """A fresh temporary name for walrus assignments."""
        return self.names.fresh("t")

    # ------------------------------------------------------------------ entry points

    def expr(self, node: Any) -> str:
        """Python source evaluating ``node`` to its AQL value."""
        method = getattr(self, "_e_" + type(node).__name__)
        return str(method(node))

    def cond(self, node: Any) -> str:
        """Python source evaluating ``node`` to a Python bool (AQL truthiness); a FILTER
        conjunct an index range read answers (``covered``) only when that read did not."""
        flag = self.covered.get(id(node))
        if flag is not None:
            return f"({flag} or {self._cond(node)})"
        return self._cond(node)

    def _cond(self, node: Any) -> str:
        if isinstance(node, ast.Binary):
            if node.op == "&&":
                return f"({self.cond(node.left)} and {self.cond(node.right)})"
            if node.op == "||":
                return f"({self.cond(node.left)} or {self.cond(node.right)})"
            if node.op in _BOOL_OPS:
                return self.expr(node)
        if isinstance(node, ast.Unary) and node.op == "!":
            return f"(not {self.cond(node.operand)})"
        if isinstance(node, ast.ArrayCompare):
            return self.expr(node)
        if isinstance(node, ast.Literal):
            return repr(to_bool(node.value))
        return f"tb({self.expr(node)})"

    # ------------------------------------------------------------------ leaves

    def _e_Literal(self, node: ast.Literal) -> str:
        return repr(node.value)

    def _e_ArrayLit(self, node: ast.ArrayLit) -> str:
        if is_constant(node):
            return self.const(constant_value(node))
        return "[" + ", ".join(self.expr(i) for i in node.items) + "]"

    def _e_ObjectLit(self, node: ast.ObjectLit) -> str:
        if is_constant(node):
            return self.const(constant_value(node))
        parts = []
        for item in node.items:
            if isinstance(item.key, str):
                key = repr(item.key)
            else:
                key = f"rt.attribute_name({self.expr(item.key)})"
            parts.append(f"{key}: {self.expr(item.value)}")
        return "{" + ", ".join(parts) + "}"

    def _e_Name(self, node: ast.Name) -> str:
        var = self.scope.lookup(node.name)
        if var is not None:
            return var.py
        self.collections.add(node.name)
        return f"rt.collection_docs({node.name!r})"

    def _e_BindParam(self, node: ast.BindParam) -> str:
        self.bind_names.add(node.name)
        return bind_local(node.name)

    def _e_BindCollection(self, node: ast.BindCollection) -> str:
        self.bind_names.add("@" + node.name)
        return f"rt.collection_docs(B[{'@' + node.name!r}])"

    def collection_name(self, node: Any) -> str:
        """Python source evaluating to a collection *name* (for FOR sources, writes, args)."""
        if isinstance(node, ast.Name):
            self.collections.add(node.name)
            return repr(node.name)
        if isinstance(node, ast.BindCollection):
            self.bind_names.add("@" + node.name)
            return f"rt.bound_collection(B[{'@' + node.name!r}], {node.name!r})"
        if isinstance(node, ast.BindParam):
            self.bind_names.add(node.name)
            return f"rt.bound_collection(B[{node.name!r}], {node.name!r})"
        if isinstance(node, ast.Literal) and isinstance(node.value, str):
            self.collections.add(node.value)
            return repr(node.value)
        raise ArangoError(errors.QUERY_PARSE, message="collection name expected")

    # ------------------------------------------------------------------ access

    def _e_Attribute(self, node: ast.Attribute) -> str:
        base = node.obj
        if isinstance(base, ast.Name):
            var = self.scope.lookup(base.name)
            if var is not None and var.is_document:
                return f"{var.py}.get({node.name!r})"
        t = self.tmp()
        return f"({t}.get({node.name!r}) if type({t} := {self.expr(base)}) is dict else None)"

    def _e_Index(self, node: ast.Index) -> str:
        if isinstance(node.index, ast.Literal) and isinstance(node.index.value, str):
            return self._e_Attribute(ast.Attribute(node.obj, node.index.value))
        return f"get_index({self.expr(node.obj)}, {self.expr(node.index)})"

    def _e_Expansion(self, node: ast.Expansion) -> str:
        source = self.expr(node.obj)
        current = Variable("CURRENT", self.names.fresh("cur"))
        saved = self.scope
        self.scope = Scope(parent=saved)
        self.scope.declare(current)
        try:
            filt = f"lambda {current.py}: {self.cond(node.filter)}" if node.filter else "None"
            proj = f"lambda {current.py}: {self.expr(node.projection)}" if node.projection else "None"
        finally:
            self.scope = saved
        offset = self.expr(node.limit_offset) if node.limit_offset else "0"
        count = self.expr(node.limit_count) if node.limit_count else "None"
        return f"rt.expand({source}, {node.levels}, {filt}, {offset}, {count}, {proj})"

    # ------------------------------------------------------------------ operators

    def _e_Unary(self, node: ast.Unary) -> str:
        if node.op == "!":
            return f"(not {self.cond(node.operand)})"
        return f"{'neg' if node.op == '-' else 'pos'}({self.expr(node.operand)})"

    def _e_Binary(self, node: ast.Binary) -> str:
        if node.op in ("&&", "||"):
            t = self.tmp()
            first, second = self.expr(node.left), self.expr(node.right)
            if node.op == "&&":
                return f"({second} if tb({t} := {first}) else {t})"
            return f"({t} if tb({t} := {first}) else {second})"
        if node.op == "==":
            plain = self._eq_literal(node)
            if plain is not None:
                return plain
            bound = self._eq_bind(node)
            if bound is not None:
                return bound
            (a_first, a_again), (b_first, b_again) = self._operand(node.left), self._operand(node.right)
            # Python's ``==`` rules out most pairs without a call; arrays and objects still compare
            # (``[] == [null]`` in AQL, not in Python: see ``operators.eq``).
            containers = f"type({a_again}) is list or type({a_again}) is dict"
            return f"(({a_first} == {b_first} or {containers}) and eq({a_again}, {b_again}))"
        if node.op in _FLIPPED:
            ordered = self._order_compare(node)
            if ordered is not None:
                return ordered
        if node.op in ("IN", "NOT IN") and isinstance(node.right, ast.Range):
            bounds = f"{self.expr(node.right.low)}, {self.expr(node.right.high)}"
            fn = "in_range" if node.op == "IN" else "not_in_range"
            return f"{fn}({self.expr(node.left)}, {bounds})"
        if node.op == "%" and _small_positive_int(node.right):
            # 0 <= x <= 2**53: Python's % is C's fmod (both non-negative) and exact
            t, divisor = self.tmp(), self.expr(node.right)
            return (
                f"(({t} % {divisor}) if type({t} := {self.expr(node.left)}) is int"
                f" and 0 <= {t} <= {_EXACT} else mod({t}, {divisor}))"
            )
        call = f"{_OPS[node.op]}({self.expr(node.left)}, {self.expr(node.right)})"
        return self.guard(call) if node.op in _WARNING_OPS and not _safe_divisor(node) else call

    def _eq_literal(self, node: ast.Binary) -> str | None:
        """``x == literal`` (either side) without a call, when Python's ``==`` decides it: a
        string equals only that string; a number equals only a number of that value (``1 ==
        1.0``), never ``true`` (which Python's ``==`` would take for 1)."""
        for lit, other in ((node.right, node.left), (node.left, node.right)):
            if not isinstance(lit, ast.Literal):
                continue
            value = lit.value
            if type(value) is str:
                return f"({self.expr(other)} == {self.expr(lit)})"
            if type(value) in (int, float):
                modulo = self._mod_eq(other, lit)
                if modulo is not None:
                    return modulo
                t = self.tmp()
                return f"(({t} := {self.expr(other)}) == {self.expr(lit)} and type({t}) is not bool)"
        return None

    def _order_compare(self, node: ast.Binary) -> str | None:
        """``x < c`` (``<``, ``<=``, ``>``, ``>=``; ``c`` a number or string literal or a bind
        parameter, on either side): when ``x`` has the type of ``c`` (a bind parameter's is read
        once when the query starts), Python's operator decides, which is what ``operators.lt``
        and the others do first for two numbers or two strings, without the call; anything else
        takes the call. A range FILTER over a kept collection spends about half as much a row."""
        for const, other, op in (
            (node.right, node.left, node.op), (node.left, node.right, _FLIPPED[node.op])
        ):
            if isinstance(const, ast.BindParam):
                kind = self._bind_fact(bind_type(const.name))
            elif isinstance(const, ast.Literal) and type(const.value) in (int, float, str):
                kind = type(const.value).__name__
            else:
                continue
            value, x, t = self.expr(const), self.expr(other), self.tmp()
            return f"({t} {op} {value} if type({t} := {x}) is {kind} else {_OPS[op]}({t}, {value}))"
        return None

    def _eq_bind(self, node: ast.Binary) -> str | None:
        """``x == @v`` (either side): when the query starts with ``@v`` a string or null, Python's
        ``==`` alone decides it, as for a literal (a string equals only that string, null only
        null); any other value takes the general compare. A full scan's ``FILTER d.a == @v``
        spends about a third less per row."""
        for bind, other in ((node.right, node.left), (node.left, node.right)):
            if not isinstance(bind, ast.BindParam):
                continue
            value, x, t = self.expr(bind), self.expr(other), self.tmp()
            plain = self._bind_fact(bind_plain(bind.name))
            containers = f"type({t}) is list or type({t}) is dict"
            return (
                f"(({t} := {x}) == {value} if {plain} else"
                f" ((({t} := {x}) == {value} or {containers}) and eq({t}, {value})))"
            )
        return None

    def _bind_fact(self, fact: tuple[str, str]) -> str:
        """Note a local computed once when the query starts (``bind_type``, ``bind_plain``);
        its name."""
        name, expression = fact
        self.bind_facts[name] = expression
        return name

    def _mod_eq(self, node: Any, lit: ast.Literal) -> str | None:
        """``x % n == c`` (``n`` a whole literal in 1..2**53, ``c`` a number literal): a whole
        ``x`` in 0..2**53 compares ``x % n == c`` in Python at once (the remainder is an int,
        never a bool, so no type check); any other ``x`` goes through ``mod`` and the general
        compare. A full scan's ``FILTER d.n % 7 == 3`` spends about a fifth less per row."""
        if not (isinstance(node, ast.Binary) and node.op == "%" and _small_positive_int(node.right)):
            return None
        x, rest = self.tmp(), self.tmp()
        divisor, c = self.expr(node.right), self.expr(lit)
        return (
            f"(({x} % {divisor} == {c}) if type({x} := {self.expr(node.left)}) is int"
            f" and 0 <= {x} <= {_EXACT}"
            f" else (({rest} := mod({x}, {divisor})) == {c} and type({rest}) is not bool))"
        )

    def _operand(self, node: Any) -> tuple[str, str]:
        """(first use, later use) of an operand: a walrus temporary unless it is cheap to repeat."""
        source = self.expr(node)
        if source.isidentifier() or isinstance(node, ast.Literal):
            return source, source
        t = self.tmp()
        return f"({t} := {source})", t

    def guard(self, call: str) -> str:
        """Wrap an operator call that may raise ``AqlWarning`` (turns it into null + warning)."""
        return f"rt.guard(lambda: {call})"

    def _e_ArrayCompare(self, node: ast.ArrayCompare) -> str:
        n = self.expr(node.at_least) if node.at_least is not None else "None"
        return (
            f"array_compare({node.quantifier!r}, {node.op!r}, {self.expr(node.left)}, "
            f"{self.expr(node.right)}, {n})"
        )

    def _e_Ternary(self, node: ast.Ternary) -> str:
        if node.then is None:
            t = self.tmp()
            return f"({t} if tb({t} := {self.expr(node.cond)}) else {self.expr(node.otherwise)})"
        return f"({self.expr(node.then)} if {self.cond(node.cond)} else {self.expr(node.otherwise)})"

    def _e_Range(self, node: ast.Range) -> str:
        return f"range_({self.expr(node.low)}, {self.expr(node.high)})"

    def _e_Subquery(self, node: ast.Subquery) -> str:
        return self.compile_subquery(node.query)

    # ------------------------------------------------------------------ functions

    def _e_FuncCall(self, node: ast.FuncCall) -> str:
        geo = self.geo_calls.get(id(node))
        if geo is not None:  # a geo filter on a collection's loop variable (planner.plan_geo)
            shape, point = (self.expr(arg) for arg in node.args)
            return f"rt.geo_indexed({geo[0]}, {geo[1]!r}, {node.name!r}, {shape}, {point})"
        spec = lookup(node.name)
        check_arity(spec, len(node.args))
        if spec.name in ("LENGTH", "COUNT") and self._names_collection(node.args[0]):
            # LENGTH(coll) / COUNT(coll): the collection's count, as ArangoDB turns it into
            # COLLECTION_COUNT(coll), never its documents
            return f"rt.collection_count({self.collection_name(node.args[0])})"
        args = []
        for position, arg in enumerate(node.args):
            if position in spec.collection_args and self._names_collection(arg):
                args.append(self.collection_name(arg))
            else:
                args.append(self.expr(arg))
        self.functions.append(spec)
        return f"F{len(self.functions) - 1}({', '.join(args)})"

    def _names_collection(self, arg: Any) -> bool:
        if isinstance(arg, ast.BindCollection):
            return True
        return isinstance(arg, ast.Name) and self.scope.lookup(arg.name) is None
