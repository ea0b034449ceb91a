"""Typed AST of an AQL query.

Every node is a frozen dataclass carrying ``line`` and ``column`` (1-based, keyword-only) of where
it starts in the query text. The parser (``arangolite.aql.parser``) builds these; the compiler reads
them. Names of variables and collections are not resolved here: a bare identifier is a ``Name``,
and the compiler decides whether it is a variable or a collection.

Conventions:
    * operator strings are canonical: ``&&`` and ``||`` for AND/OR, ``!`` for NOT,
      ``NOT IN`` and ``NOT LIKE`` for the negated forms;
    * function names are upper-cased, namespaces kept (``MY::FUNC``);
    * bind parameters are stored without ``@`` (``@x`` -> ``BindParam("x")``, ``@@c`` ->
      ``BindCollection("c")``, whose bind variable key is ``"@c"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from typing import Literal as Lit

# --------------------------------------------------------------------------- base


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """Base of every node; carries the position where the construct starts."""

    line: int = 0
    column: int = 0


# --------------------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Literal(Node):
    """``null``, ``true``/``false``, a number (int or float) or a string."""

    value: bool | int | float | str | None


@dataclass(frozen=True, slots=True)
class ArrayLit(Node):
    """``[a, b, ...]``."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class ObjectItem(Node):
    """One ``key: value`` of an object literal.

    ``key`` is a ``str`` for plain, quoted and shorthand keys (``{a}`` is ``key="a"``,
    ``value=Name("a")``) and an ``Expr`` for computed keys ``{[expr]: value}``.
    """

    key: str | Expr
    value: Expr


@dataclass(frozen=True, slots=True)
class ObjectLit(Node):
    """``{k: v, ...}``."""

    items: tuple[ObjectItem, ...]


@dataclass(frozen=True, slots=True)
class Name(Node):
    """A bare identifier: a variable (including ``CURRENT``, ``NEW``, ``OLD``) or a collection."""

    name: str


@dataclass(frozen=True, slots=True)
class BindParam(Node):
    """A value bind parameter ``@name``."""

    name: str


@dataclass(frozen=True, slots=True)
class BindCollection(Node):
    """A collection bind parameter ``@@name``; its bind variable key is ``"@" + name``."""

    name: str


@dataclass(frozen=True, slots=True)
class Attribute(Node):
    """``obj.name`` (also ``obj.`quoted```)."""

    obj: Expr
    name: str


@dataclass(frozen=True, slots=True)
class Index(Node):
    """``obj[index]``: array position or attribute name."""

    obj: Expr
    index: Expr


@dataclass(frozen=True, slots=True)
class Expansion(Node):
    """Array expansion ``obj[* FILTER f LIMIT o, c RETURN r]`` and what follows it.

    ``levels`` is 1 for ``[*]`` and N for ``[**..]`` (each extra star flattens one level).
    Inside ``filter`` and ``projection`` the element is ``Name("CURRENT")``. Postfix accesses
    written after the brackets (``a[*].b.c``) apply to each element and are folded into
    ``projection`` (``CURRENT.b.c``); an inline ``RETURN r`` becomes the start of the projection.
    ``projection`` is ``None`` when the element itself is returned.
    """

    obj: Expr
    levels: int = 1
    filter: Expr | None = None
    limit_offset: Expr | None = None
    limit_count: Expr | None = None
    projection: Expr | None = None


@dataclass(frozen=True, slots=True)
class Unary(Node):
    """``-x``, ``+x``, ``!x`` (also ``NOT x``)."""

    op: Lit["-", "+", "!"]
    operand: Expr


@dataclass(frozen=True, slots=True)
class Binary(Node):
    """Binary operators: arithmetic, comparison, ``&&``/``||``, ``IN``/``NOT IN``,
    ``LIKE``/``NOT LIKE``, ``=~``/``!~``."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class ArrayCompare(Node):
    """``left ALL|ANY|NONE op right`` and ``left AT LEAST (n) op right``.

    ``quantifier`` is ``"ALL"``, ``"ANY"``, ``"NONE"`` or ``"AT LEAST"`` (then ``at_least`` holds
    the count expression). ``op`` is a comparison operator or ``IN``/``NOT IN``.
    """

    quantifier: str
    op: str
    left: Expr
    right: Expr
    at_least: Expr | None = None


@dataclass(frozen=True, slots=True)
class Ternary(Node):
    """``cond ? then : else``; ``then`` is ``None`` for the short form ``cond ?: else``."""

    cond: Expr
    then: Expr | None
    otherwise: Expr


@dataclass(frozen=True, slots=True)
class Range(Node):
    """``low .. high``."""

    low: Expr
    high: Expr


@dataclass(frozen=True, slots=True)
class FuncCall(Node):
    """``NAME(args...)``; ``name`` upper-cased, namespace separators ``::`` kept."""

    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Subquery(Node):
    """``( query )`` used as an expression: evaluates to an array."""

    query: Query


Expr = (
    Literal
    | ArrayLit
    | ObjectLit
    | Name
    | BindParam
    | BindCollection
    | Attribute
    | Index
    | Expansion
    | Unary
    | Binary
    | ArrayCompare
    | Ternary
    | Range
    | FuncCall
    | Subquery
)

# --------------------------------------------------------------------------- operations

Direction = Lit["OUTBOUND", "INBOUND", "ANY"]


@dataclass(frozen=True, slots=True)
class For(Node):
    """``FOR var IN expr [OPTIONS {...}]``; also ``FOR [a, b] IN`` / ``FOR {a, b} IN``.

    ``var`` is the loop variable; for destructuring it is ``None`` and ``destructure`` holds
    ``("array", names)`` or ``("object", names)``.
    """

    var: str | None
    expr: Expr
    options: Expr | None = None
    destructure: tuple[str, tuple[str, ...]] | None = None


@dataclass(frozen=True, slots=True)
class EdgeCollectionRef(Node):
    """One edge collection of an anonymous traversal, with an optional own direction."""

    collection: Name | BindCollection
    direction: Direction | None = None


@dataclass(frozen=True, slots=True)
class Traversal(Node):
    """``FOR v[, e[, p]] IN [min[..max]] DIR start GRAPH g | coll1, coll2 [PRUNE ...] [OPTIONS]``.

    ``min_depth``/``max_depth`` are expressions (defaults: 1 and 1). Exactly one of ``graph``
    (a name expression: string literal or bind parameter) and ``edge_collections`` is set.
    ``prune_var`` is set for ``PRUNE name = expr``.
    """

    vertex_var: str
    edge_var: str | None
    path_var: str | None
    direction: Direction
    start: Expr
    min_depth: Expr | None = None
    max_depth: Expr | None = None
    graph: Expr | None = None
    edge_collections: tuple[EdgeCollectionRef, ...] = ()
    prune: Expr | None = None
    prune_var: str | None = None
    options: Expr | None = None


@dataclass(frozen=True, slots=True)
class ShortestPath(Node):
    """Path searches: ``SHORTEST_PATH``, ``K_SHORTEST_PATHS``, ``K_PATHS``, ``ALL_SHORTEST_PATHS``.

    For ``SHORTEST_PATH`` the variables are ``v[, e]``; for the others a single path variable
    (stored in ``vertex_var``). ``min_depth``/``max_depth`` only for ``K_PATHS``.
    """

    kind: Lit["SHORTEST_PATH", "K_SHORTEST_PATHS", "K_PATHS", "ALL_SHORTEST_PATHS"]
    vertex_var: str
    edge_var: str | None
    direction: Direction
    start: Expr
    target: Expr
    graph: Expr | None = None
    edge_collections: tuple[EdgeCollectionRef, ...] = ()
    options: Expr | None = None
    min_depth: Expr | None = None
    max_depth: Expr | None = None


@dataclass(frozen=True, slots=True)
class Filter(Node):
    """``FILTER expr``."""

    expr: Expr


@dataclass(frozen=True, slots=True)
class Let(Node):
    """``LET name = expr``."""

    name: str
    expr: Expr


@dataclass(frozen=True, slots=True)
class Aggregate(Node):
    """One ``var = FUNC(expr)`` of ``COLLECT ... AGGREGATE`` or ``WINDOW ... AGGREGATE``."""

    var: str
    call: FuncCall


@dataclass(frozen=True, slots=True)
class Collect(Node):
    """``COLLECT g1 = e1, ... [AGGREGATE ...] [INTO var [= expr] [KEEP a, b]] [WITH COUNT INTO c]``.

    ``COLLECT WITH COUNT INTO c`` alone has no groups. ``OPTIONS {...}`` is kept in ``options``.
    """

    groups: tuple[tuple[str, Expr], ...] = ()
    aggregates: tuple[Aggregate, ...] = ()
    into: str | None = None
    into_expr: Expr | None = None
    keep: tuple[str, ...] = ()
    count_into: str | None = None
    options: Expr | None = None


@dataclass(frozen=True, slots=True)
class Window(Node):
    """``WINDOW [range_expr WITH] {preceding, following} AGGREGATE ...``."""

    bounds: Expr
    aggregates: tuple[Aggregate, ...]
    range_expr: Expr | None = None


@dataclass(frozen=True, slots=True)
class SortKey(Node):
    """One key of ``SORT``."""

    expr: Expr
    ascending: bool = True


@dataclass(frozen=True, slots=True)
class Sort(Node):
    """``SORT k1 [ASC|DESC], ...``."""

    keys: tuple[SortKey, ...]


@dataclass(frozen=True, slots=True)
class Limit(Node):
    """``LIMIT count`` or ``LIMIT offset, count`` (``offset`` ``None`` when absent)."""

    count: Expr
    offset: Expr | None = None


@dataclass(frozen=True, slots=True)
class Return(Node):
    """``RETURN [DISTINCT] expr``."""

    expr: Expr
    distinct: bool = False


CollectionRef = Name | BindCollection | Literal | BindParam


@dataclass(frozen=True, slots=True)
class Insert(Node):
    """``INSERT doc INTO|IN coll [OPTIONS {...}]``."""

    doc: Expr
    collection: CollectionRef
    options: Expr | None = None


@dataclass(frozen=True, slots=True)
class Update(Node):
    """``UPDATE doc IN coll`` (``key`` None) or ``UPDATE key WITH doc IN coll`` [OPTIONS]."""

    key: Expr | None
    doc: Expr
    collection: CollectionRef
    options: Expr | None = None


@dataclass(frozen=True, slots=True)
class Replace(Node):
    """``REPLACE doc IN coll`` or ``REPLACE key WITH doc IN coll`` [OPTIONS]."""

    key: Expr | None
    doc: Expr
    collection: CollectionRef
    options: Expr | None = None


@dataclass(frozen=True, slots=True)
class Remove(Node):
    """``REMOVE key IN coll [OPTIONS {...}]``."""

    key: Expr
    collection: CollectionRef
    options: Expr | None = None


@dataclass(frozen=True, slots=True)
class Upsert(Node):
    """``UPSERT search INSERT doc UPDATE|REPLACE doc IN coll [OPTIONS {...}]``.

    ``replace`` is True for the ``REPLACE`` form. Inside ``update`` the name ``OLD`` is the
    found document.
    """

    search: Expr
    insert: Expr
    update: Expr
    collection: CollectionRef
    replace: bool = False
    options: Expr | None = None


Operation = (
    For
    | Traversal
    | ShortestPath
    | Filter
    | Let
    | Collect
    | Window
    | Sort
    | Limit
    | Return
    | Insert
    | Update
    | Replace
    | Remove
    | Upsert
)

MODIFICATIONS = (Insert, Update, Replace, Remove, Upsert)


@dataclass(frozen=True, slots=True)
class Query(Node):
    """A whole query (or a subquery body): optional ``WITH`` collections, then operations."""

    body: tuple[Operation, ...]
    with_collections: tuple[CollectionRef, ...] = ()
    text: str = field(default="", compare=False)


# --------------------------------------------------------------------------- helpers


def iter_nodes(node: Any) -> Any:
    """Yield ``node`` and every node below it, depth first, in field order."""
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Node):
            yield item
            children = [getattr(item, f) for f in item.__dataclass_fields__ if f not in ("line", "column")]
            stack.extend(reversed(children))
        elif isinstance(item, tuple):
            stack.extend(reversed(item))


def bind_parameter_names(query: Query) -> set[str]:
    """Return the bind variable keys a query declares: ``"x"`` for ``@x``, ``"@c"`` for ``@@c``."""
    names: set[str] = set()
    for node in iter_nodes(query):
        if isinstance(node, BindParam):
            names.add(node.name)
        elif isinstance(node, BindCollection):
            names.add("@" + node.name)
    return names
