"""Transformer callbacks of the expressions: operators, then primaries (names, calls, literals).

The postfix operations (``.``, ``[]``, ``[*]``) are in ``postfix``.
"""

from __future__ import annotations

from typing import Any, cast

from lark import Token

from arangolite.aql import ast
from arangolite.aql.parser.errors import SemanticError
from arangolite.aql.parser.keywords import RESERVED
from arangolite.aql.parser.token_names import describe
from arangolite.aql.parser.tokens import bind_token, number, pos, quoted

__all__ = ["ExpressionRules"]

_OPERATORS = {
    "OR": "||",
    "OROR": "||",
    "AND": "&&",
    "ANDAND": "&&",
    "IN": "IN",
    "NOT_IN": "NOT IN",
    "LIKE": "LIKE",
    "REGEX_MATCH": "=~",
    "REGEX_NON_MATCH": "!~",
}
_NEGATED = {"LIKE": "NOT LIKE", "REGEX_MATCH": "!~", "REGEX_NON_MATCH": "=~"}
_UNARY = {"NOT": "!", "BANG": "!", "MINUS": "-", "PLUS": "+"}
_CONSTANTS = {"NULL": None, "TRUE": True, "FALSE": False}


def _call_args(children: list[Any]) -> tuple[ast.Expr, ...]:
    """Call arguments; a bare query argument (``LENGTH(FOR ...)``) becomes a subquery."""
    args: list[ast.Expr] = []
    for child in children:
        if isinstance(child, ast.Query):
            args.append(ast.Subquery(child, **pos(child)))
        else:
            args.append(child)
    return tuple(args)


class _OperatorRules:
    """Callbacks of the operators, by precedence level."""

    def ternary(self, children: list[Any]) -> ast.Ternary:
        cond = children[0]
        return ast.Ternary(cond, children[2], children[3], **pos(cond))

    def ternary_short(self, children: list[Any]) -> ast.Ternary:
        cond = children[0]
        return ast.Ternary(cond, None, children[2], **pos(cond))

    def binop(self, children: list[Any]) -> ast.Binary:
        left, op, right = children
        return ast.Binary(op, left, right, **pos(left))

    def array_cmp(self, children: list[Any]) -> ast.ArrayCompare:
        left, quantifier, op, right = children
        name, at_least = quantifier
        return ast.ArrayCompare(name, op, left, right, at_least, **pos(left))

    def quantifier(self, children: list[Any]) -> tuple[str, ast.Expr | None]:
        token = children[0]
        if token.type == "AT_LEAST":
            return ("AT LEAST", children[2])
        return (token.type, None)

    def range(self, children: list[Any]) -> ast.Range:
        low = children[0]
        return ast.Range(low, children[2], **pos(low))

    def unary(self, children: list[Any]) -> ast.Unary:
        op, operand = children
        return ast.Unary(op[0], operand, **pos(op[1]))

    def unary_op(self, children: list[Any]) -> tuple[str, Token]:
        token = children[0]
        return (_UNARY[token.type], token)

    def _operator(self, children: list[Any]) -> str:
        if len(children) == 2:  # NOT LIKE, NOT =~, NOT !~
            return _NEGATED[children[1].type]
        token = children[0]
        return _OPERATORS.get(token.type, str(token))

    or_op = and_op = eq_op = in_op = rel_op = add_op = mul_op = _operator


class _PrimaryRules:
    """Callbacks of the primaries: names, bind parameters, calls, subqueries and literals."""

    def var(self, children: list[Any]) -> ast.Name:
        name = children[0]
        return ast.Name(str(name), **pos(name))

    def bind(self, children: list[Any]) -> ast.BindParam | ast.BindCollection:
        return bind_token(children[0])

    bind_coll = bind

    def paren(self, children: list[Any]) -> ast.Expr:
        return cast(ast.Expr, children[1])

    def subquery(self, children: list[Any]) -> ast.Subquery:
        return ast.Subquery(children[1], **pos(children[0]))

    def func_call(self, children: list[Any]) -> ast.FuncCall:
        name, token = children[0]
        return ast.FuncCall(name, _call_args(children[2:]), **pos(token))

    def like_call(self, children: list[Any]) -> ast.FuncCall:
        return ast.FuncCall("LIKE", _call_args(children[2:]), **pos(children[0]))

    def func_name(self, children: list[Any]) -> tuple[str, Any]:
        parts = [str(c) for c in children if not (isinstance(c, Token) and c.type == "SCOPE")]
        return ("::".join(parts).upper(), children[0])

    def literal(self, children: list[Any]) -> ast.Literal:
        token = children[0]
        kind = token.type
        value: bool | int | float | str | None
        if kind == "STRING":
            value = quoted(token)
        elif kind in _CONSTANTS:
            value = _CONSTANTS[kind]
        else:
            value = number(token)
        return ast.Literal(value, **pos(token))

    def name(self, children: list[Any]) -> Token:
        token = cast(Token, children[0])
        if token.type == "QNAME":
            return token.update(value=quoted(token))
        return token


class _CompositeRules:
    """Callbacks of array and object literals."""

    def array(self, children: list[Any]) -> ast.ArrayLit:
        return ast.ArrayLit(tuple(children[1:]), **pos(children[0]))

    def object(self, children: list[Any]) -> ast.ObjectLit:
        return ast.ObjectLit(tuple(children[1:]), **pos(children[0]))

    def obj_short(self, children: list[Any]) -> ast.ObjectItem:
        name = children[0]
        if name.type == "NAME" and name.upper() in RESERVED:
            raise SemanticError(f"syntax error, unexpected {describe(name.upper())}", name)
        return ast.ObjectItem(str(name), ast.Name(str(name), **pos(name)), **pos(name))

    def obj_plain(self, children: list[Any]) -> ast.ObjectItem:
        key = children[0]
        text = quoted(key) if isinstance(key, Token) and key.type == "STRING" else str(key)
        return ast.ObjectItem(text, children[1], **pos(key))

    def obj_bind(self, children: list[Any]) -> ast.ObjectItem:
        key = bind_token(children[0])
        return ast.ObjectItem(key, children[1], **pos(key))

    def obj_computed(self, children: list[Any]) -> ast.ObjectItem:
        return ast.ObjectItem(children[1], children[2], **pos(children[0]))


class ExpressionRules(_OperatorRules, _PrimaryRules, _CompositeRules):
    """Transformer callbacks of every expression rule except the postfix operations."""
