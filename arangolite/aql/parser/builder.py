"""The lark transformer that turns parse-tree callbacks straight into AST nodes.

lark calls one method per grammar rule (or alias) of ``grammar.lark``, with the rule's children
already transformed. The methods live in rule groups, one module each; this class only puts them
together.
"""

from __future__ import annotations

from lark import Token, Transformer

from arangolite.aql import ast
from arangolite.aql.parser.expressions import ExpressionRules
from arangolite.aql.parser.for_loops import ForRules
from arangolite.aql.parser.postfix import PostfixRules
from arangolite.aql.parser.statements import StatementRules

__all__ = ["Builder"]


class Builder(
    StatementRules, ForRules, ExpressionRules, PostfixRules, Transformer[Token, ast.Query]
):
    """Parse callbacks producing AST nodes. Stateless, so one instance serves every parse."""
