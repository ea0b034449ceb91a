"""Choose how a ``FOR v IN collection`` reads its documents: full scan or an index.

The planner looks at the FILTERs that directly follow the FOR (LETs may sit between them) and
picks conditions on the loop variable that an index can answer: equality on one or more
attributes, ``IN`` a list, or a range. The FILTERs themselves always stay in the plan, so an
index only narrows what is read and can never change a result. A ``SORT v.attr`` that follows
can be satisfied by reading a sorted index in order (also after equality on its leading fields,
``FILTER v.a == x SORT v.b`` through an index on ``[a, b]``), or, without one, by sorting lazily
(a top-k heap). Reads are lazy, so a ``LIMIT`` stops them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from arangolite.aql import ast

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "=="}


@dataclass
class Access:
    """How to read a collection for one FOR loop."""

    kind: str = "scan"  # scan | eq | in | range
    fields: list[str] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)  # AST expressions
    low: Any = None
    low_inclusive: bool = True
    high: Any = None
    high_inclusive: bool = True
    descending: bool = False
    sort_field: str | None = None  # eq lookups: the attribute the matches are read in order of
    sort_satisfied: ast.Sort | None = None
    # eq lookups read in ``sort_field`` order with a LIMIT after the SORT: the bounds above are
    # the FILTERs' range on ``sort_field`` (its index may be walked in order instead)
    limited: bool = False
    # eq, range: no attribute name in the FILTERs has a dot, so each field "a.b" is v.a.b (a
    # scan may then prefilter on the fields: see storage.prefilter)
    prefilter: bool = False
    # with ``prefilter``: more FILTER conditions a scan may push into its SQL (``pushable``)
    # beyond those the access passes itself: ``(path, op, value)``, value an AST (a pair for %)
    extra: list[tuple[str, str, Any]] = field(default_factory=list)
    # range: the FILTER conjuncts its bounds come from, which a read through the index answers
    # exactly (ArangoDB's ``remove-filter-covered-by-index``); the query skips them when the
    # index did read (``Runtime.covered``) and checks them when a scan stood in
    covered: list[Any] = field(default_factory=list)


def attribute_path(node: Any, var: str) -> str | None:
    """``"a.b"`` for ``var.a.b`` (also ``var['a']``), else None."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.name)
            node = node.obj
        elif isinstance(node, ast.Index) and isinstance(node.index, ast.Literal) and isinstance(
            node.index.value, str
        ):
            parts.append(node.index.value)
            node = node.obj
        else:
            break
    if isinstance(node, ast.Name) and node.name == var and parts:
        return ".".join(reversed(parts))
    return None


def _dotless(node: Any) -> bool:
    """No attribute name read in ``node`` (``x.name``, ``x['name']``) contains a dot."""
    for sub in ast.iter_nodes(node):
        if isinstance(sub, ast.Attribute) and "." in sub.name:
            return False
        if isinstance(sub, ast.Index) and not (
            isinstance(sub.index, ast.Literal)
            and not (isinstance(sub.index.value, str) and "." in sub.index.value)
        ):
            return False
    return True


def conjuncts(node: Any) -> list[Any]:
    """Split an expression on ``&&``."""
    if isinstance(node, ast.Binary) and node.op == "&&":
        return conjuncts(node.left) + conjuncts(node.right)
    return [node]


def _independent(node: Any, allowed: set[str]) -> bool:
    """True when ``node`` only reads variables bound before the loop (and no subqueries)."""
    for sub in ast.iter_nodes(node):
        if isinstance(sub, (ast.Subquery, ast.Expansion)):
            return False
        if isinstance(sub, ast.Name) and sub.name not in allowed:
            return False
    return True


def _following_filters(ops: tuple[Any, ...], start: int) -> tuple[list[Any], Any]:
    """FILTER conditions right after ``ops[start]`` and the first op that is neither FILTER nor LET."""
    conds: list[Any] = []
    for op in ops[start + 1 :]:
        if isinstance(op, ast.Filter):
            conds.extend(conjuncts(op.expr))
        elif not isinstance(op, ast.Let):
            return conds, op
    return conds, None


def _comparison(cond: Any, var: str, allowed: set[str]) -> tuple[str, str, Any] | None:
    if not isinstance(cond, ast.Binary) or cond.op not in ("==", "<", "<=", ">", ">=", "IN"):
        return None
    path = attribute_path(cond.left, var)
    if path is not None and _independent(cond.right, allowed):
        return path, cond.op, cond.right
    if cond.op != "IN":
        path = attribute_path(cond.right, var)
        if path is not None and _independent(cond.left, allowed):
            return path, _FLIP[cond.op], cond.left
    return None


_PUSHED_OPS = {"==": "==", "!=": "!=", ">": ">=", ">=": ">=", "<": "<=", "<=": "<=",
               "IN": "in", "NOT IN": "not in"}


def _fixed_value(node: Any) -> bool:
    """A literal, a bind parameter or an array of them: evaluated once more before the loop,
    it can raise nothing and warn of nothing."""
    if isinstance(node, ast.ArrayLit):
        return all(_fixed_value(item) for item in node.items)
    return isinstance(node, (ast.Literal, ast.BindParam))


def _disjuncts(node: Any) -> list[Any]:
    """Split an expression on ``||``."""
    if isinstance(node, ast.Binary) and node.op == "||":
        return _disjuncts(node.left) + _disjuncts(node.right)
    return [node]


def pushable(cond: Any, var: str) -> tuple[str, str, Any] | None:
    """``(path, op, value)`` for a FILTER conjunct a scan may prefilter on (storage.prefilter):
    ``v.a.b`` compared (``==``, ``!=``, a range, ``IN`` / ``NOT IN``) with a literal or bind
    value, or ``v.a.b % n == c`` (value ``(n, c)``); ranges as ``>=`` / ``<=``. An ``||`` of
    alternatives each with such a conjunct is ``("", "or", [[(path, op, value), ...], ...])``
    (each alternative's pushable conjuncts)."""
    if isinstance(cond, ast.Binary) and cond.op == "||":
        alternatives = []
        for alternative in _disjuncts(cond):
            found = [p for p in (pushable(c, var) for c in conjuncts(alternative)) if p]
            if not found:
                return None  # (that alternative may keep anything)
            alternatives.append(found)
        return "", "or", alternatives
    if not isinstance(cond, ast.Binary) or cond.op not in _PUSHED_OPS:
        return None
    left, right, op = cond.left, cond.right, cond.op
    subject = attribute_path(left, var) is not None or isinstance(left, ast.Binary)
    if op not in ("IN", "NOT IN") and not subject:
        left, right, op = right, left, _FLIP.get(op, op)
    if op == "==" and isinstance(left, ast.Binary) and left.op == "%":
        path = attribute_path(left.left, var)
        if path is not None and _fixed_value(left.right) and _fixed_value(right):
            return path, "%", (left.right, right)
        return None
    path = attribute_path(left, var)
    if path is None or not _fixed_value(right):
        return None
    return path, _PUSHED_OPS[op], right


def _extra(access: Access, conds: list[Any], var: str) -> None:
    """``access.extra``: the pushable conditions the access does not pass to a scan itself."""
    if not access.prefilter:
        return
    for cond in conds:
        found = pushable(cond, var)
        if found is None:
            continue
        if access.kind == "eq" and found[1] == "==":
            continue  # (the lookup passes every equality)
        if access.kind == "range" and found[0] == access.fields[0] and found[1] in (">=", "<="):
            continue  # (the range passes its bounds on its field)
        access.extra.append(found)


def plan_access(ops: tuple[Any, ...], index: int, var: str, allowed: set[str]) -> Access:
    """Plan the FOR at ``ops[index]`` whose loop variable is ``var``."""
    conds, next_op = _following_filters(ops, index)
    found = [c for c in (_comparison(x, var, allowed) for x in conds) if c is not None]
    access = Access()
    eqs = [(p, v) for p, op, v in found if op == "=="]
    if eqs:
        access.kind = "eq"
        access.fields = [p for p, _ in eqs]
        access.values = [v for _, v in eqs]
        access.prefilter = all(_dotless(c) for c in conds)
        _extra(access, conds, var)
        _plan_sorted_eq(access, next_op, var)
        if access.sort_field is not None and _limit_after(ops, next_op):
            access.limited = True
            _range_bounds(access, found, access.sort_field)
        return access
    ins = [(p, v) for p, op, v in found if op == "IN"]
    if ins:
        access.kind, access.fields, access.values = "in", [ins[0][0]], [ins[0][1]]
        access.prefilter = all(_dotless(c) for c in conds)
        _extra(access, conds, var)
        return access
    _plan_range(access, found, next_op, var)
    access.prefilter = all(_dotless(c) for c in conds)
    _extra(access, conds, var)
    if access.kind == "range" and access.prefilter:
        access.covered = _covered(access, conds)
    return access


def _covered(access: Access, conds: list[Any]) -> list[Any]:
    """The conjuncts a range's bounds come from, when each bound is a literal or a bind
    parameter (evaluated once for the read, it is the value every row would be checked
    against): ``v.f >= lo``, ``lo <= v.f`` and the like, told by the bound's AST node."""
    bounds = [b for b in (access.low, access.high) if b is not None]
    if not all(_fixed_value(b) for b in bounds):
        return []
    return [
        c for c in conds
        if isinstance(c, ast.Binary) and any(c.right is b or c.left is b for b in bounds)
    ]


@dataclass
class GeoFilter:
    """A ``GEO_CONTAINS(shape, v.loc)`` (or ``GEO_INTERSECTS``) filter a geo index can answer:
    ``fields`` is the point's attribute (``[lat, lon]``) or the two of ``[v.lat, v.lon]``."""

    call: ast.FuncCall
    fields: list[str]
    shape: Any


def plan_geo(ops: tuple[Any, ...], index: int, var: str, allowed: set[str]) -> GeoFilter | None:
    """The first geo filter on the loop variable right after the FOR at ``ops[index]``."""
    conds, _ = _following_filters(ops, index)
    for cond in conds:
        if not isinstance(cond, ast.FuncCall) or len(cond.args) != 2:
            continue
        if cond.name not in ("GEO_CONTAINS", "GEO_INTERSECTS"):
            continue
        shape, point = cond.args
        fields = _geo_fields(point, var)
        if fields is not None and _independent(shape, allowed):
            return GeoFilter(cond, fields, shape)
    return None


def _geo_fields(node: Any, var: str) -> list[str] | None:
    path = attribute_path(node, var)
    if path is not None:
        return [path]
    if isinstance(node, ast.ArrayLit) and len(node.items) == 2:
        paths = [attribute_path(item, var) for item in node.items]
        if paths[0] is not None and paths[1] is not None:
            return [paths[0], paths[1]]
    return None


def _plan_sorted_eq(access: Access, next_op: Any, var: str) -> None:
    """``FILTER v.a == x SORT v.b``: an index on ``[a, b]`` gives the matches already sorted."""
    if not isinstance(next_op, ast.Sort) or len(next_op.keys) != 1:
        return
    path = attribute_path(next_op.keys[0].expr, var)
    if path is not None and path not in access.fields:
        access.sort_field = path
        access.descending = not next_op.keys[0].ascending
        access.sort_satisfied = next_op


def _limit_after(ops: tuple[Any, ...], op: Any) -> bool:
    """True when ``op`` (in ``ops``) is directly followed by a LIMIT."""
    for pos, candidate in enumerate(ops[:-1]):
        if candidate is op:
            return isinstance(ops[pos + 1], ast.Limit)
    return False


def _range_bounds(access: Access, found: list[tuple[str, str, Any]], target: str) -> None:
    """The first lower and upper bound among the range conditions on ``target``."""
    for path, op, value in found:
        if path != target:
            continue
        if op in (">", ">=") and access.low is None:
            access.low, access.low_inclusive = value, op == ">="
        elif op in ("<", "<=") and access.high is None:
            access.high, access.high_inclusive = value, op == "<="


def _plan_range(access: Access, found: list[tuple[str, str, Any]], next_op: Any, var: str) -> None:
    sort_path = None
    if isinstance(next_op, ast.Sort) and len(next_op.keys) == 1:
        sort_path = attribute_path(next_op.keys[0].expr, var)
    ranged = [c for c in found if c[1] in ("<", "<=", ">", ">=")]
    target = ranged[0][0] if ranged else sort_path
    if target is None:
        return
    access.kind, access.fields = "range", [target]
    _range_bounds(access, ranged, target)
    if sort_path == target and isinstance(next_op, ast.Sort):
        access.descending = not next_op.keys[0].ascending
        access.sort_satisfied = next_op


@dataclass
class CountPlan:
    """``FOR v IN coll [FILTER v.a == x ...] COLLECT g = v.b [WITH COUNT INTO n]``: counts per
    value of the attribute path ``group`` among the documents whose ``fields`` equal ``values``
    (AST expressions), which an index on ``fields`` (any order) then ``group`` can give alone.
    ``group`` None: ``COLLECT WITH COUNT INTO n`` alone, one count of the matching documents (an
    index on ``fields`` first, any order; with no FILTER, the collection's count).
    ``filters``: the FILTER operations between the FOR and the COLLECT, which the counts replace."""

    group: str | None
    fields: list[str] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)
    filters: list[ast.Filter] = field(default_factory=list)


def _plain_value(node: Any, allowed: set[str]) -> bool:
    """A literal, a bind parameter, or an outer variable or an attribute of one (``l._key``):
    evaluating it once instead of once per document cannot warn, fail or differ."""
    while isinstance(node, ast.Attribute) or (
        isinstance(node, ast.Index) and isinstance(node.index, ast.Literal)
    ):
        node = node.obj
    if isinstance(node, ast.Name):
        return node.name in allowed
    return isinstance(node, (ast.Literal, ast.BindParam))


def _exact_path(node: Any) -> bool:
    """False when a ``v['a.b']`` step would read as the path ``a.b``."""
    while isinstance(node, (ast.Attribute, ast.Index)):
        if isinstance(node, ast.Index) and "." in str(getattr(node.index, "value", "")):
            return False
        node = node.obj
    return True


def count_plan(ops: tuple[Any, ...], index: int, var: str, allowed: set[str]) -> CountPlan | None:
    """The plan when ``ops[index]`` is ``FOR var IN coll`` opening its query level, followed by
    FILTERs made only of ``var.path == value`` conditions (``value`` as :func:`_plain_value`
    allows, each path once) and then by ``COLLECT g = var.a.b [WITH COUNT INTO n]`` (no INTO, no
    AGGREGATE) on another path, or by ``COLLECT WITH COUNT INTO n``: counts that an index (or
    the collection's count) can give alone."""
    if index != 0 or len(ops) < 2 or ops[0].options is not None:
        return None
    filters: list[ast.Filter] = []
    pos = 1
    while pos < len(ops) and isinstance(ops[pos], ast.Filter):
        filters.append(ops[pos])
        pos += 1
    collect = ops[pos] if pos < len(ops) else None
    if not isinstance(collect, ast.Collect) or collect.into is not None or collect.aggregates:
        return None
    path: str | None = None
    if not collect.groups:
        if collect.count_into is None:
            return None
    elif len(collect.groups) != 1:
        return None
    else:
        path = attribute_path(collect.groups[0][1], var)
        if path is None or not _exact_path(collect.groups[0][1]):
            return None
    plan = CountPlan(path, filters=filters)
    for cond in (c for f in filters for c in conjuncts(f.expr)):
        found = _comparison(cond, var, allowed)
        if found is None or found[1] != "==" or not _plain_value(found[2], allowed):
            return None
        if not (_exact_path(cond.left) and _exact_path(cond.right)):
            return None
        if found[0] in plan.fields or found[0] == path:
            return None
        plan.fields.append(found[0])
        plan.values.append(found[2])
    return plan
