"""Tests of the AQL parser: statement forms, operators and precedence, literals, errors."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from arangolite.aql import ast
from arangolite.aql.parser import parse
from arangolite.errors import ArangoError

CORPUS = Path(os.environ.get("NOMARR_SHARED_DIR") or Path(__file__).resolve().parents[4] / "shared") / "conformance"


def ret(query: str) -> ast.Expr:
    """The expression of the query's final RETURN."""
    last = parse(query).body[-1]
    assert isinstance(last, ast.Return)
    return last.expr


def expr(text: str) -> ast.Expr:
    return ret("RETURN " + text)


def strip(node: Any) -> Any:
    """A position-free nested-tuple rendering of an AST, for compact comparisons."""
    if isinstance(node, ast.Node):
        fields = [f for f in node.__dataclass_fields__ if f not in ("line", "column", "text")]
        return (type(node).__name__, *(strip(getattr(node, f)) for f in fields))
    if isinstance(node, tuple):
        return tuple(strip(x) for x in node)
    return node


def N(name: str) -> ast.Name:
    return ast.Name(name)


def L(value: Any) -> ast.Literal:
    return ast.Literal(value)


def B(op: str, left: ast.Expr, right: ast.Expr) -> ast.Binary:
    return ast.Binary(op, left, right)


def same(a: Any, b: Any) -> None:
    assert strip(a) == strip(b)


def error_of(query: str) -> ArangoError:
    with pytest.raises(ArangoError) as info:
        parse(query)
    return info.value


# --------------------------------------------------------------------------- literals


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("null", None),
        ("NULL", None),
        ("True", True),
        ("false", False),
        ("42", 42),
        ("0", 0),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("2.5E-1", 0.25),
        (".5e1", 5.0),
        ("0x1F", 31),
        ("0XfF", 255),
        ("0b101", 5),
        ("0B11", 3),
        ("99999999999999999999", 1e20),
        ("'single'", "single"),
        ('"double"', "double"),
        (r"'it\'s'", "it's"),
        (r'"a\"b"', 'a"b'),
        (r"'\n\t\r\b\f\\\/'", "\n\t\r\b\f\\/"),
        (r"'\u00e9\u20AC'", "é€"),
        (r"'\ud83d\ude00'", "\U0001f600"),
        (r"'\q'", "q"),
        ("'multi\nline'", "multi\nline"),
        ("''", ""),
    ],
)
def test_literals(text: str, value: Any) -> None:
    node = expr(text)
    assert isinstance(node, ast.Literal)
    assert node.value == value
    assert type(node.value) is type(value)


def test_array_and_object_literals() -> None:
    same(expr("[]"), ast.ArrayLit(()))
    same(expr("[1, 2,]"), ast.ArrayLit((L(1), L(2))))
    same(expr("{}"), ast.ObjectLit(()))
    obj = expr("{a: 1, 'b c': 2, \"d\": 3, [k]: 4, @p: 5, e, `f g`: 6, }")
    assert isinstance(obj, ast.ObjectLit)
    keys = [strip(item.key) for item in obj.items]
    assert keys == ["a", "b c", "d", ("Name", "k"), ("BindParam", "p"), "e", "f g"]
    assert strip(obj.items[5].value) == ("Name", "e")


def test_keywords_as_attribute_names_and_object_keys() -> None:
    same(
        expr("doc.filter.collect.for"),
        ast.Attribute(ast.Attribute(ast.Attribute(N("doc"), "filter"), "collect"), "for"),
    )
    obj = expr("{ count: 1, filter: 2, return: 3, options: 4 }")
    assert isinstance(obj, ast.ObjectLit)
    assert [item.key for item in obj.items] == ["count", "filter", "return", "options"]


def test_context_words_are_names() -> None:
    body = parse(
        "LET options = 1 LET count = 2 LET keep = 3 LET prune = 4 LET to = 5 RETURN to"
    ).body
    assert [op.name for op in body if isinstance(op, ast.Let)] == [
        "options",
        "count",
        "keep",
        "prune",
        "to",
    ]
    same(expr("CURRENT"), N("CURRENT"))
    same(expr("NEW.x"), ast.Attribute(N("NEW"), "x"))


def test_names() -> None:
    same(expr("_key"), N("_key"))
    same(expr("__x1"), N("__x1"))
    same(expr("$abc"), N("$abc"))
    same(expr("`for`"), N("for"))
    same(expr("\u00b4with space\u00b4"), N("with space"))
    same(expr("a.`b c`"), ast.Attribute(N("a"), "b c"))


def test_bind_parameters() -> None:
    same(expr("@x"), ast.BindParam("x"))
    same(expr("@1a_b"), ast.BindParam("1a_b"))
    same(expr("@_x"), ast.BindParam("_x"))
    same(expr("@@coll"), ast.BindCollection("coll"))
    same(expr("doc.@attr"), ast.Index(N("doc"), ast.BindParam("attr")))
    query = parse("FOR d IN @@c FILTER d.a == @v RETURN d")
    assert ast.bind_parameter_names(query) == {"@c", "v"}


# --------------------------------------------------------------------------- operators


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("1 + 2 * 3", B("+", L(1), B("*", L(2), L(3)))),
        ("(1 + 2) * 3", B("*", B("+", L(1), L(2)), L(3))),
        ("1 - 2 - 3", B("-", B("-", L(1), L(2)), L(3))),
        ("8 / 4 % 3", B("%", B("/", L(8), L(4)), L(3))),
        ("a || b && c", B("||", N("a"), B("&&", N("b"), N("c")))),
        ("a OR b AND c", B("||", N("a"), B("&&", N("b"), N("c")))),
        ("a and b or c", B("||", B("&&", N("a"), N("b")), N("c"))),
        ("x IN y == true", B("==", B("IN", N("x"), N("y")), L(True))),
        ("a == b IN c", B("==", N("a"), B("IN", N("b"), N("c")))),
        ("a < b == c > d", B("==", B("<", N("a"), N("b")), B(">", N("c"), N("d")))),
        ("a NOT IN b", B("NOT IN", N("a"), N("b"))),
        ("a not  in b", B("NOT IN", N("a"), N("b"))),
        ("a LIKE b", B("LIKE", N("a"), N("b"))),
        ("a NOT LIKE b", B("NOT LIKE", N("a"), N("b"))),
        ("a =~ b", B("=~", N("a"), N("b"))),
        ("a !~ b", B("!~", N("a"), N("b"))),
        ("a != b", B("!=", N("a"), N("b"))),
        ("a <= b", B("<=", N("a"), N("b"))),
        ("a >= b", B(">=", N("a"), N("b"))),
        ("1..2 + 3", ast.Range(L(1), B("+", L(2), L(3)))),
        ("x IN 1..5", B("IN", N("x"), ast.Range(L(1), L(5)))),
        ("a < 1..2", B("<", N("a"), ast.Range(L(1), L(2)))),
        ("-x * y", B("*", ast.Unary("-", N("x")), N("y"))),
        ("NOT x IN y", B("IN", ast.Unary("!", N("x")), N("y"))),
        ("!a == b", B("==", ast.Unary("!", N("a")), N("b"))),
        ("- -1", ast.Unary("-", ast.Unary("-", L(1)))),
        ("+a", ast.Unary("+", N("a"))),
        ("!a.b", ast.Unary("!", ast.Attribute(N("a"), "b"))),
        ("a ? b : c", ast.Ternary(N("a"), N("b"), N("c"))),
        ("a ?: c", ast.Ternary(N("a"), None, N("c"))),
        (
            "a ? b : c ? d : e",
            ast.Ternary(N("a"), N("b"), ast.Ternary(N("c"), N("d"), N("e"))),
        ),
        ("a || b ? c : d", ast.Ternary(B("||", N("a"), N("b")), N("c"), N("d"))),
        ("a ? b || c : d", ast.Ternary(N("a"), B("||", N("b"), N("c")), N("d"))),
    ],
)
def test_precedence(text: str, shape: ast.Expr) -> None:
    same(expr(text), shape)


@pytest.mark.parametrize(
    ("text", "quantifier", "op"),
    [
        ("a ALL == b", "ALL", "=="),
        ("a any != b", "ANY", "!="),
        ("a NONE < b", "NONE", "<"),
        ("a ALL >= b", "ALL", ">="),
        ("a ALL IN b", "ALL", "IN"),
        ("a NONE NOT IN b", "NONE", "NOT IN"),
    ],
)
def test_array_comparison(text: str, quantifier: str, op: str) -> None:
    same(expr(text), ast.ArrayCompare(quantifier, op, N("a"), N("b")))


def test_array_comparison_at_least_and_precedence() -> None:
    same(
        expr("a AT LEAST (2) IN b"),
        ast.ArrayCompare("AT LEAST", "IN", N("a"), N("b"), L(2)),
    )
    same(
        expr("a ALL == b && c"),
        B("&&", ast.ArrayCompare("ALL", "==", N("a"), N("b")), N("c")),
    )
    same(
        expr("a + 1 ANY > b + 2"),
        ast.ArrayCompare("ANY", ">", B("+", N("a"), L(1)), B("+", N("b"), L(2))),
    )


def test_postfix_and_calls() -> None:
    same(expr("a.b[0]['c']"), ast.Index(ast.Index(ast.Attribute(N("a"), "b"), L(0)), L("c")))
    same(expr("length(x)"), ast.FuncCall("LENGTH", (N("x"),)))
    same(expr("my::ns::f()"), ast.FuncCall("MY::NS::F", ()))
    same(expr("LIKE('a', 'b')"), ast.FuncCall("LIKE", (L("a"), L("b"))))
    same(expr("F(1)[0]"), ast.Index(ast.FuncCall("F", (L(1),)), L(0)))
    call = expr("LENGTH(FOR x IN y RETURN x)")
    assert isinstance(call, ast.FuncCall) and isinstance(call.args[0], ast.Subquery)


def test_expansion() -> None:
    cur = N("CURRENT")
    same(expr("a[*]"), ast.Expansion(N("a")))
    same(
        expr("a[*].b.c"),
        ast.Expansion(N("a"), projection=ast.Attribute(ast.Attribute(cur, "b"), "c")),
    )
    same(
        expr("a[* FILTER CURRENT.x > 1 LIMIT 2, 3 RETURN CURRENT.y]"),
        ast.Expansion(
            N("a"),
            1,
            B(">", ast.Attribute(cur, "x"), L(1)),
            L(2),
            L(3),
            ast.Attribute(cur, "y"),
        ),
    )
    same(expr("a[* LIMIT 4]"), ast.Expansion(N("a"), limit_count=L(4)))
    same(expr("a[**]"), ast.Expansion(N("a"), levels=2))
    same(expr("a[***]"), ast.Expansion(N("a"), levels=3))
    same(
        expr("a[*].b[*].c"),
        ast.Expansion(
            N("a"),
            projection=ast.Expansion(ast.Attribute(cur, "b"), projection=ast.Attribute(cur, "c")),
        ),
    )
    same(
        expr("a[*].b[**]"),
        ast.Expansion(ast.Expansion(N("a"), projection=ast.Attribute(cur, "b")), levels=2),
    )
    same(
        expr("(a[*].b).c"),
        ast.Attribute(ast.Expansion(N("a"), projection=ast.Attribute(cur, "b")), "c"),
    )
    same(
        expr("a[* RETURN x].y"),
        ast.Expansion(N("a"), projection=ast.Attribute(N("x"), "y")),
    )


def test_subqueries() -> None:
    node = expr("(FOR x IN y RETURN x)")
    assert isinstance(node, ast.Subquery)
    assert [type(op) for op in node.query.body] == [ast.For, ast.Return]
    node = expr("(LET a = 1 RETURN a)[0]")
    assert isinstance(node, ast.Index) and isinstance(node.obj, ast.Subquery)
    node = expr("(INSERT {} INTO c)")
    assert isinstance(node, ast.Subquery)
    assert isinstance(node.query.body[0], ast.Insert)


# --------------------------------------------------------------------------- statements


def test_for_forms() -> None:
    body = parse("FOR x IN coll OPTIONS {indexHint: 'i'} RETURN x").body
    loop = body[0]
    assert isinstance(loop, ast.For)
    assert loop.var == "x" and strip(loop.expr) == ("Name", "coll")
    assert isinstance(loop.options, ast.ObjectLit)
    loop = parse("FOR x IN [1, 2] RETURN x").body[0]
    assert isinstance(loop, ast.For) and isinstance(loop.expr, ast.ArrayLit)
    loop = parse("FOR x IN (FOR y IN z RETURN y) RETURN x").body[0]
    assert isinstance(loop, ast.For) and isinstance(loop.expr, ast.Subquery)
    loop = parse("FOR [k, v] IN ENTRIES(o) RETURN k").body[0]
    assert isinstance(loop, ast.For)
    assert loop.var is None and loop.destructure == ("array", ("k", "v"))
    loop = parse("FOR {a, b} IN x RETURN a").body[0]
    assert isinstance(loop, ast.For) and loop.destructure == ("object", ("a", "b"))
    loop = parse("FOR x IN 1..10 RETURN x").body[0]
    assert isinstance(loop, ast.For) and isinstance(loop.expr, ast.Range)
    loop = parse("FOR x IN @@c RETURN x").body[0]
    assert isinstance(loop, ast.For) and loop.expr == ast.BindCollection("c", line=1, column=10)


def test_traversal_graph() -> None:
    trav = parse("FOR v, e, p IN 1..3 OUTBOUND 'a/1' GRAPH 'g' RETURN p").body[0]
    assert isinstance(trav, ast.Traversal)
    assert (trav.vertex_var, trav.edge_var, trav.path_var) == ("v", "e", "p")
    assert trav.direction == "OUTBOUND"
    assert strip((trav.min_depth, trav.max_depth)) == (("Literal", 1), ("Literal", 3))
    assert strip(trav.graph) == ("Literal", "g")
    assert trav.edge_collections == () and trav.prune is None
    trav = parse("FOR v IN inbound @start GRAPH @g RETURN v").body[0]
    assert isinstance(trav, ast.Traversal)
    assert trav.direction == "INBOUND" and trav.min_depth is None and trav.max_depth is None
    assert strip(trav.graph) == ("BindParam", "g")
    trav = parse("FOR v IN 2 ANY x GRAPH myGraph RETURN v").body[0]
    assert isinstance(trav, ast.Traversal)
    assert strip((trav.min_depth, trav.max_depth, trav.graph)) == (
        ("Literal", 2),
        ("Literal", 2),
        ("Literal", "myGraph"),
    )


def test_traversal_collections_prune_options() -> None:
    query = (
        "FOR v, e IN 1..@max OUTBOUND 'a/1' INBOUND e1, OUTBOUND @@e2, e3 "
        "PRUNE cond = v.x == 1 OPTIONS {bfs: true} RETURN v"
    )
    trav = parse(query).body[0]
    assert isinstance(trav, ast.Traversal)
    assert [(strip(r.collection), r.direction) for r in trav.edge_collections] == [
        (("Name", "e1"), "INBOUND"),
        (("BindCollection", "e2"), "OUTBOUND"),
        (("Name", "e3"), None),
    ]
    assert trav.graph is None and trav.prune_var == "cond"
    assert strip(trav.max_depth) == ("BindParam", "max")
    assert strip(trav.prune) == strip(B("==", ast.Attribute(N("v"), "x"), L(1)))
    assert isinstance(trav.options, ast.ObjectLit)
    trav = parse("FOR v IN OUTBOUND x edges PRUNE v.stop RETURN v").body[0]
    assert isinstance(trav, ast.Traversal)
    assert trav.prune_var is None and strip(trav.prune) == ("Attribute", ("Name", "v"), "stop")


def test_path_searches() -> None:
    sp = parse("FOR v, e IN OUTBOUND SHORTEST_PATH 'a' TO 'b' GRAPH 'g' RETURN v").body[0]
    assert isinstance(sp, ast.ShortestPath)
    assert (sp.kind, sp.vertex_var, sp.edge_var, sp.direction) == (
        "SHORTEST_PATH",
        "v",
        "e",
        "OUTBOUND",
    )
    assert strip((sp.start, sp.target, sp.graph)) == (
        ("Literal", "a"),
        ("Literal", "b"),
        ("Literal", "g"),
    )
    sp = parse(
        "FOR p IN ANY K_SHORTEST_PATHS @s TO @t edges OPTIONS {weightAttribute: 'w'} RETURN p"
    ).body[0]
    assert isinstance(sp, ast.ShortestPath)
    assert sp.kind == "K_SHORTEST_PATHS" and sp.graph is None
    assert [strip(r.collection) for r in sp.edge_collections] == [("Name", "edges")]
    assert isinstance(sp.options, ast.ObjectLit)
    sp = parse("FOR p IN 2..4 INBOUND K_PATHS 'a' TO 'b' GRAPH 'g' RETURN p").body[0]
    assert isinstance(sp, ast.ShortestPath)
    assert sp.kind == "K_PATHS"
    assert strip((sp.min_depth, sp.max_depth)) == (("Literal", 2), ("Literal", 4))
    sp = parse("FOR p IN OUTBOUND ALL_SHORTEST_PATHS 'a' TO 'b' GRAPH 'g' RETURN p").body[0]
    assert isinstance(sp, ast.ShortestPath) and sp.kind == "ALL_SHORTEST_PATHS"


def test_filter_let_sort_limit_return() -> None:
    body = parse(
        "FOR x IN c FILTER x.a LET y = 1, z = 2 SORT x.a DESC, x.b ASC, x.c "
        "LIMIT 2, 3 LIMIT 5 RETURN DISTINCT y"
    ).body
    kinds = [type(op).__name__ for op in body]
    assert kinds == ["For", "Filter", "Let", "Let", "Sort", "Limit", "Limit", "Return"]
    sort = body[4]
    assert isinstance(sort, ast.Sort)
    assert [k.ascending for k in sort.keys] == [False, True, True]
    first, second = body[5], body[6]
    assert isinstance(first, ast.Limit) and isinstance(second, ast.Limit)
    assert strip((first.offset, first.count)) == (("Literal", 2), ("Literal", 3))
    assert second.offset is None
    last = body[-1]
    assert isinstance(last, ast.Return) and last.distinct


def test_collect_forms() -> None:
    collect = parse(
        "FOR x IN c COLLECT a = x.a, b = x.b INTO g = x.v KEEP a OPTIONS {method: 'hash'} RETURN g"
    ).body[1]
    assert isinstance(collect, ast.Collect)
    assert [name for name, _ in collect.groups] == ["a", "b"]
    assert collect.into == "g" and strip(collect.into_expr) == strip(ast.Attribute(N("x"), "v"))
    assert collect.keep == ("a",) and isinstance(collect.options, ast.ObjectLit)
    collect = parse("FOR x IN c COLLECT WITH COUNT INTO n RETURN n").body[1]
    assert isinstance(collect, ast.Collect)
    assert collect.groups == () and collect.count_into == "n"
    collect = parse("FOR x IN c COLLECT a = x WITH COUNT INTO n RETURN n").body[1]
    assert isinstance(collect, ast.Collect) and collect.count_into == "n"
    collect = parse(
        "FOR x IN c COLLECT a = x AGGREGATE s = SUM(x.v), m = max(x.v) INTO g RETURN s"
    ).body[1]
    assert isinstance(collect, ast.Collect)
    assert [(agg.var, agg.call.name) for agg in collect.aggregates] == [("s", "SUM"), ("m", "MAX")]
    assert collect.into == "g"
    collect = parse("FOR x IN c COLLECT AGGREGATE s = SUM(x) RETURN s").body[1]
    assert isinstance(collect, ast.Collect) and collect.groups == ()
    collect = parse("FOR x IN c COLLECT a = x INTO g RETURN g").body[1]
    assert isinstance(collect, ast.Collect) and collect.into_expr is None


def test_window_forms() -> None:
    window = parse(
        "FOR x IN c WINDOW {preceding: 1, following: 'unbounded'} AGGREGATE s = SUM(x) RETURN s"
    ).body[1]
    assert isinstance(window, ast.Window)
    assert window.range_expr is None and len(window.aggregates) == 1
    window = parse(
        "FOR x IN c WINDOW x.t WITH {preceding: 'PT1H'} AGGREGATE s = SUM(x) RETURN s"
    ).body[1]
    assert isinstance(window, ast.Window)
    assert strip(window.range_expr) == strip(ast.Attribute(N("x"), "t"))


def test_modifications() -> None:
    ins = parse("INSERT {a: 1} INTO coll OPTIONS {overwrite: true}").body[0]
    assert isinstance(ins, ast.Insert)
    assert strip(ins.collection) == ("Name", "coll") and isinstance(ins.options, ast.ObjectLit)
    ins = parse("INSERT {} IN 'my coll'").body[0]
    assert isinstance(ins, ast.Insert) and strip(ins.collection) == ("Literal", "my coll")
    upd = parse("FOR d IN c UPDATE d WITH {x: 1} IN c RETURN NEW").body[1]
    assert isinstance(upd, ast.Update)
    assert strip(upd.key) == ("Name", "d") and isinstance(upd.doc, ast.ObjectLit)
    upd = parse("FOR d IN c UPDATE {_key: d._key, x: 1} IN @@c").body[1]
    assert isinstance(upd, ast.Update) and upd.key is None
    assert strip(upd.collection) == ("BindCollection", "c")
    rep = parse("REPLACE 'k' WITH {a: 2} IN @c").body[0]
    assert isinstance(rep, ast.Replace) and strip(rep.collection) == ("BindParam", "c")
    rep = parse("REPLACE {_key: 'k'} INTO c").body[0]
    assert isinstance(rep, ast.Replace) and rep.key is None
    rem = parse("FOR d IN c REMOVE d IN c OPTIONS {ignoreErrors: true} RETURN OLD").body[1]
    assert isinstance(rem, ast.Remove) and isinstance(rem.options, ast.ObjectLit)
    ups = parse("UPSERT {a: 1} INSERT {a: 1, n: 1} UPDATE {n: OLD.n + 1} IN c").body[0]
    assert isinstance(ups, ast.Upsert) and not ups.replace
    ups = parse("UPSERT @s INSERT @i REPLACE @r IN c OPTIONS {}").body[0]
    assert isinstance(ups, ast.Upsert) and ups.replace
    assert strip((ups.search, ups.insert, ups.update)) == (
        ("BindParam", "s"),
        ("BindParam", "i"),
        ("BindParam", "r"),
    )


def test_modification_not_last_and_in_keeps_its_meaning() -> None:
    body = parse("FOR x IN 1..3 INSERT {x} INTO c LET y = x RETURN y").body
    assert [type(op).__name__ for op in body] == ["For", "Insert", "Let", "Return"]
    rem = parse("FOR d IN c REMOVE (d IN c ? d : 'k') IN c").body[1]
    assert isinstance(rem, ast.Remove) and isinstance(rem.key, ast.Ternary)


def test_with_clause() -> None:
    query = parse("WITH a, @@b, c d FOR x IN a RETURN x")
    assert strip(query.with_collections) == (
        ("Name", "a"),
        ("BindCollection", "b"),
        ("Name", "c"),
        ("Name", "d"),
    )


def test_case_insensitive_keywords_and_comments() -> None:
    query = "for X in C // comment\n /* multi\nline */ filter X.a == TRUE Return Distinct X"
    body = parse(query).body
    assert [type(op).__name__ for op in body] == ["For", "Filter", "Return"]
    same(parse("FoR x In c ReTuRn x").body[0], parse("FOR x IN c RETURN x").body[0])
    same(expr("1 /* a */ + // b\n 2"), B("+", L(1), L(2)))


def test_text_and_positions() -> None:
    text = "FOR x IN c\n  FILTER x.a > 1\n  RETURN x"
    query = parse(text)
    assert query.text == text
    loop, flt, out = query.body
    assert (loop.line, loop.column) == (1, 1)
    assert (flt.line, flt.column) == (2, 3)
    assert isinstance(flt, ast.Filter)
    assert (flt.expr.line, flt.expr.column) == (2, 10)
    assert isinstance(flt.expr, ast.Binary)
    assert (flt.expr.right.line, flt.expr.right.column) == (2, 16)
    assert (out.line, out.column) == (3, 3)


def test_parse_is_cached_and_returns_equal_queries() -> None:
    assert parse("RETURN 1") is parse("RETURN 1")
    assert parse("RETURN 1 + 1") == parse("RETURN 1 + 1")


# --------------------------------------------------------------------------- errors


def test_arango_error_message_shape() -> None:
    err = error_of("FOR i IN 1..100 FILTER i = 1 LIMIT 2 RETURN i * 3")
    assert err.error_num == 1501 and err.http_code == 400
    assert err.message == (
        "syntax error, unexpected assignment near '= 1 LIMIT 2 RETURN i * 3' at position 1:26"
    )


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "// nothing", "/* a */ // b\n"])
def test_empty_query(text: str) -> None:
    assert error_of(text).error_num == 1502


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("FOR u IN users", "unexpected end of query string near 'users' at position 1:10"),
        ("RETURN", "unexpected end of query string near 'RETURN' at position 1:1"),
        ("FOR x IN y RETURN x RETURN y", "unexpected RETURN declaration"),
        ("RETURN 1 ;", "unexpected invalid token near ';' at position 1:10"),
        ("RETURN 'abc", "unexpected end of query string"),
        ("RETURN a.1", "unexpected integer number"),
        ("RETURN 1.5 2", "unexpected integer number"),
        ("RETURN 1 1.5", "unexpected number"),
        ("RETURN a 'x'", "unexpected quoted string"),
        ("RETURN a b", "unexpected identifier"),
        ("RETURN a @b", "unexpected bind parameter"),
        ("LET filter = 1 RETURN filter", "unexpected FILTER declaration"),
        ("FOR return IN x RETURN 1", "unexpected RETURN declaration"),
        ("RETURN {return}", "unexpected RETURN declaration"),
        ("FILTER true", "unexpected end of query string"),
        ("LET x = 1", "unexpected end of query string"),
        ("RETURN DISTINCT 1", "cannot use DISTINCT modifier on top-level query element"),
        ("FOR x IN y COLLECT a = x KEEP a RETURN 1", "use of 'KEEP' without 'INTO'"),
        ("FOR x IN y COLLECT a = x INTO g WITH COUNT INTO n RETURN 1", "unexpected WITH keyword"),
        ("FOR x IN y WINDOW {} AGGREGATE s = SUM(x) RETURN s", "At least one WINDOW bound"),
        ("FOR x IN y WINDOW {foo: 1} AGGREGATE s = SUM(x) RETURN s", "Invalid WINDOW attribute"),
        ("FOR x IN y OPTIONS 1 RETURN x", "'OPTIONS' have to be an object"),
        ("FOR x IN v SEARCH x.a == 1 RETURN x", "SEARCH is not supported"),
        ("FOR a, b IN c RETURN a", "only allow a single return variable"),
        ("FOR a, b IN OUTBOUND SHORTEST_PATH 'x' TO 'y' e RETURN a", None),
        ("FOR a, b IN OUTBOUND K_PATHS 'x' TO 'y' e RETURN a", "only has one return variable"),
        ("FOR a IN OUTBOUND 'x' @e RETURN a", "edge collections must be given"),
        ("RETURN (FOR x IN y)", "unexpected )"),
        ("RETURN a[? FILTER x]", None),
    ],
)
def test_syntax_errors(text: str, fragment: str | None) -> None:
    if fragment is None and text.startswith("FOR a, b IN OUTBOUND SHORTEST"):
        parse(text)  # two variables are fine for SHORTEST_PATH
        return
    err = error_of(text)
    assert err.error_num == 1501
    if fragment is not None:
        assert fragment in err.message
    assert " at position " in err.message


def test_error_position_multiline_and_snippet_length() -> None:
    text = "FOR x IN y\n  FILTER x.a == 1 1\nRETURN x" + " " * 40
    err = error_of(text)
    assert err.message.endswith("at position 2:19")
    assert "near '1\nRETURN x" in err.message
    long_tail = "RETURN 1 2" + "x" * 100
    message = error_of(long_tail).message
    assert "near '2" + "x" * 31 + "...'" in message


def test_expected_tokens_listed_when_few() -> None:
    message = error_of("RETURN {a: 1").message
    assert "expecting , or }" in message


def test_deep_nesting_gives_parse_error_not_crash() -> None:
    deep = "RETURN " + "[" * 3000 + "]" * 3000
    assert error_of(deep).error_num == 1501
    parens = "RETURN " + "(" * 3000 + "1" + ")" * 3000  # parentheses add no AST depth
    assert isinstance(ret(parens), ast.Literal)
    chain = "RETURN " + " + ".join(["1"] * 3000)
    assert error_of(chain).error_num == 1501
    unclosed = "RETURN " + "[" * 5000
    assert error_of(unclosed).error_num == 1501
    fine = "RETURN " + "(" * 100 + "1" + ")" * 100
    assert isinstance(ret(fine), ast.Literal)


def test_non_string_input() -> None:
    assert error_of(123).error_num == 1501  # type: ignore[arg-type]


# --------------------------------------------------------------------------- corpus


def _corpus_queries() -> list[str]:
    queries: list[str] = []
    aql = CORPUS / "aql_3.12.jsonl"
    if aql.exists():
        for line in aql.read_text(encoding="utf-8").splitlines():
            queries.append(json.loads(line)["query"])
    return queries


def test_conformance_corpus_queries_parse() -> None:
    queries = _corpus_queries()
    if not queries:
        pytest.skip("conformance corpus not available")
    for text in queries:
        assert parse(text).body, text
