"""A fast AQL front end: reads the rules' facts from the common forms of AQL, in one pass.

arangolite's lark parser costs about 0.2 ms per query, most of a cold check_naming run. This
recursive-descent reader follows ``grammar.lark`` for a subset of AQL: ``FOR x IN expr``,
``LET``, ``FILTER``, ``SORT``, ``LIMIT``, ``RETURN``, ``INSERT``, ``UPDATE``, ``REPLACE``,
``REMOVE``, ``UPSERT`` (with ``OPTIONS {...}``) and every expression form except ``[*]``
expansions, array quantifiers (``ALL ==``) and scoped function names (``aql_fast_expr``). It
reads what ``aql.read_facts`` reads from the full AST: bind parameters, collection names,
``_key``/``_id`` renames and ordering comparisons, at the same positions.

It never reports an error. On anything outside its subset, and on anything it is not sure lark
would read the same way (a keyword used as a name, a string with escapes, ``NOT`` and ``IN``
split by a comment, deep nesting), it returns None and the caller parses the text with the
full parser, whose answer (facts or ArangoDB's error message) is the reference. A test checks
both agree on every query of this repository, of the fixtures and of the conformance corpus,
and on thousands of mutated variants of them.
"""

from __future__ import annotations

from collections.abc import Callable

from .aql_facts import AqlRef, Comparison, QueryFacts, canonical
from .aql_fast_expr import Expr, ExpressionReader, Unsure
from .aql_tokens import tokenize

__all__ = ["fast_facts"]

_SIMPLE = frozenset({"FOR", "LET", "FILTER", "SORT", "LIMIT", "COLLECT"})
_MODIFICATIONS = frozenset({"INSERT", "UPDATE", "REPLACE", "REMOVE", "UPSERT"})
_PSEUDO = ("NEW", "OLD", "CURRENT")


def fast_facts(text: str) -> QueryFacts | None:
    """Return the facts of ``text``, or None when only the full parser can tell."""
    tokens = tokenize(text)
    if not tokens:
        return None
    reader = _Reader(text, tokens)
    try:
        reader.query(top=True)
    except (Unsure, IndexError, RecursionError):
        return None
    return reader.facts()


class _Reader(ExpressionReader):
    """The statements of a query; the expressions are ``ExpressionReader``'s."""

    def __init__(self, text: str, tokens: list[tuple[str, str, int]]) -> None:
        super().__init__(text, tokens)
        self.bound: set[str] = set(_PSEUDO)
        self.collections: list[tuple[int, str]] = []

    def query(self, *, top: bool = False) -> None:
        """Read ``operation* final_op``; at the top the text must end there."""
        while True:
            word = self.keyword()
            if word == "RETURN":
                self.at += 1
                if self.keyword() == "DISTINCT":
                    raise Unsure  # lark checks that a loop precedes it
                self.expr()
                break
            if word in _SIMPLE:
                self.at += 1
                self.simple(word)
            elif word in _MODIFICATIONS:
                self.at += 1
                self.modification(word)
                if self.at == len(self.tokens) or self.kind() == ")":
                    break
            else:
                raise Unsure  # WITH, COLLECT, WINDOW or not a statement
        if top and self.at != len(self.tokens):
            raise Unsure

    def simple(self, word: str) -> None:
        """Read the rest of a ``FOR``, ``LET``, ``FILTER``, ``SORT`` or ``LIMIT``."""
        if word == "FOR":
            self.bound.add(self.name())
            if self.keyword() != "IN":
                raise Unsure  # several variables, destructuring
            self.at += 1
            self.collection(self.expr())
        elif word == "LET":
            self.items(self.let_item)
        elif word == "FILTER":
            self.expr()
        elif word == "SORT":
            self.items(self.sort_item)
        elif word == "COLLECT":
            self.collect()
        else:
            self.expr()
            if self.kind() == ",":
                self.at += 1
                self.expr()

    def items(self, item: Callable[[], object]) -> None:
        """Read ``item ("," item)*``."""
        item()
        while self.kind() == ",":
            self.at += 1
            item()

    def let_item(self) -> None:
        """Read ``name = expr``."""
        self.bound.add(self.name())
        self.expect("=")
        self.expr()

    def sort_item(self) -> None:
        """Read ``expr (ASC | DESC)?``."""
        self.expr()
        if self.keyword() in ("ASC", "DESC"):
            self.at += 1

    def collect(self) -> None:
        """Read the rest of a ``COLLECT`` (every form but ``OPTIONS``)."""
        groups = self.keyword() not in ("WITH", "AGGREGATE")
        if groups:
            self.items(self.let_item)
        if self.keyword() == "WITH":
            if (self.keyword(1), self.keyword(2)) != ("COUNT", "INTO"):
                raise Unsure
            self.at += 3
            self.bound.add(self.name())
            return
        aggregate = self.keyword() == "AGGREGATE"
        if aggregate:
            self.at += 1
            self.items(self.aggregate_item)
        elif not groups:
            raise Unsure
        into = self.keyword() == "INTO"
        if into:
            self.at += 1
            self.bound.add(self.name())
            if self.kind() == "=":
                self.at += 1
                self.expr()
        if self.keyword() == "KEEP":
            if not into or aggregate:
                raise Unsure  # lark rejects KEEP without INTO, or with AGGREGATE
            self.at += 1
            self.items(self.name)

    def aggregate_item(self) -> None:
        """Read ``name = FUNC(args)``."""
        self.bound.add(self.name())
        self.expect("=")
        if self.tokens[self.at + 1][0] != "(":
            raise Unsure
        self.primary()

    def modification(self, word: str) -> None:
        """Read the rest of an ``INSERT``, ``UPDATE``, ``REPLACE``, ``REMOVE`` or ``UPSERT``."""
        if word == "UPSERT":
            if self.kind() == "bind":
                self.bind(collection=False)
            else:
                self.object_only()
            if self.keyword() != "INSERT":
                raise Unsure
            self.at += 1
            self.expr()
            if self.keyword() not in ("UPDATE", "REPLACE"):
                raise Unsure
            self.at += 1
        self.expr(no_in=True)
        if word in ("UPDATE", "REPLACE") and self.keyword() == "WITH":
            self.at += 1
            self.expr(no_in=True)
        if self.keyword() not in ("IN", "INTO"):
            raise Unsure
        self.at += 1
        kind, value, _ = self.tokens[self.at]
        if kind == "bind":
            self.bind()
        elif kind == "str":
            self.collections.append((self.at, value[1:-1]))
            self.at += 1
        else:
            self.collections.append((self.at, self.name()))
        if self.keyword() == "OPTIONS":
            self.at += 1
            self.object_only()

    def object_only(self) -> None:
        """Read an object literal and nothing after it."""
        if self.kind() != "{":
            raise Unsure
        self.object_literal()

    def collection(self, expr: Expr) -> None:
        """Note the expression a ``FOR`` loops over when it names a collection."""
        index, kind, value = expr
        if kind in ("name", "string"):
            self.collections.append((index, value))

    def facts(self) -> QueryFacts:
        """Return what was read, as ``aql.read_facts`` reads it from lark's AST."""
        where = self.where
        binds = {name for _, name in self.binds} | {"@" + name for name in self.bind_colls}
        collections = [
            AqlRef(name, *where(index))
            for index, name in self.collections
            if name not in self.bound
        ]
        renames = [AqlRef(key, *where(index), attr) for index, key, attr in self.renames]
        comparisons = [
            Comparison(
                op,
                *where(index),
                "DATE_NOW()" if any(first <= at < end for at in self.clocks) else "",
                tuple(name for at, name in self.binds if first <= at < end),
            )
            for index, op, first, end in self.comparisons
        ]
        return canonical(binds, collections, renames, comparisons)

    def where(self, index: int) -> tuple[int, int]:
        """Return the 1-based line and column of token ``index``."""
        offset = self.tokens[index][2]
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - self.text.rfind("\n", 0, offset)
