"""Parser: the other statements and the query structure (``statements``)."""

from __future__ import annotations

from arangolite.aql import ast
from arangolite.aql.parser import parse
from tests.arangolite.aql.parser.conftest import N, strip


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
