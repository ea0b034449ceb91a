"""Index selection for FOR loops over collections."""

from __future__ import annotations

import random
from typing import Any

import pytest
from arango.database import StandardDatabase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arangolite.aql import executor, runtime
from arangolite.aql.parser import parse
from arangolite.aql.planner import plan_access


def plan(text: str, allowed: frozenset[str] = frozenset()) -> Any:
    query = parse(text)
    return plan_access(query.body, 0, query.body[0].var, set(allowed))


def test_equality_conditions_become_a_lookup() -> None:
    access = plan("FOR d IN c FILTER d.a == @x && d.b.c == 1 FILTER 2 == d.z RETURN d")
    assert access.kind == "eq"
    assert access.fields == ["a", "b.c", "z"]


def test_conditions_on_later_variables_are_not_used() -> None:
    access = plan("FOR d IN c LET y = d.q FILTER d.a == y RETURN d")
    assert access.kind == "scan"


def test_outer_variables_may_drive_a_lookup() -> None:
    access = plan("FOR d IN c FILTER d._from == v RETURN d", frozenset({"v"}))
    assert access.kind == "eq" and access.fields == ["_from"]


def test_in_list() -> None:
    access = plan("FOR d IN c FILTER d.a IN @list RETURN d")
    assert access.kind == "in" and access.fields == ["a"]


def test_range_and_sort_satisfied() -> None:
    access = plan("FOR d IN c FILTER d.t > 5 FILTER d.t <= 9 SORT d.t DESC LIMIT 3 RETURN d")
    assert access.kind == "range" and access.fields == ["t"]
    assert access.low is not None and not access.low_inclusive
    assert access.high is not None and access.high_inclusive
    assert access.descending and access.sort_satisfied is not None


def test_or_is_not_indexed() -> None:
    assert plan("FOR d IN c FILTER d.a == 1 || d.b == 2 RETURN d").kind == "scan"


def test_a_range_covers_the_filters_its_bounds_come_from() -> None:
    """ArangoDB's ``remove-filter-covered-by-index``: the conjuncts giving the range's bounds
    (the first lower and the first upper, from literals or bind parameters) are answered by the
    index read; others stay checked."""
    access = plan("FOR d IN c FILTER d.t >= @lo && 9 > d.t && d.t > 1 FILTER d.u == null || 1 RETURN d")
    assert access.kind == "range"
    assert [(c.op, c.left.name if hasattr(c.left, "name") else None) for c in access.covered] == [
        (">=", "t"), (">", None)
    ]
    assert plan("FOR d IN c FILTER d.t >= RAND() && d.t < 9 RETURN d").covered == []
    assert plan("FOR d IN c FILTER d['t.x'] >= 1 RETURN d").covered == []  # (a dotted name)
    assert plan("FOR d IN c SORT d.t RETURN d").covered == []


def test_a_covered_filter_is_skipped_only_after_an_index_read() -> None:
    text = "FOR d IN c FILTER d.t >= @lo && d.t < @hi && d.g != 2 RETURN d"
    source = executor.plan_for(text).compiled.source
    assert source.count("(ix_") == 2 and "rt.covered" in source  # the two bounds, not d.g != 2


@pytest.fixture
def indexed(db: StandardDatabase) -> StandardDatabase:
    coll = db.create_collection("docs")
    coll.insert_many([{"_key": str(i), "g": i % 7, "t": (i * 37) % 101, "s": None if i % 5 else i}
                      for i in range(300)])
    coll.insert_many([{"_key": f"big{i}", "big": 2**53 + i} for i in (-1, 0, 1, 2)])
    coll.insert_many([{"_key": f"huge{i}", "big": 2**60 + i} for i in (0, 1, 2)])
    return db


QUERIES = [
    ("FOR d IN docs FILTER d.g == 3 RETURN d._key", {}),
    ("FOR d IN docs FILTER d.g IN [1, 1, 2, 'x'] RETURN d._key", {}),
    ("FOR d IN docs FILTER d.t >= 10 && d.t < 50 SORT d.t, d._key RETURN d._key", {}),
    ("FOR d IN docs SORT d.t DESC LIMIT 5 RETURN d.t", {}),
    ("FOR d IN docs FILTER d.s > 100 SORT d.s RETURN d._key", {}),
    ("FOR d IN docs SORT d.s LIMIT 4 RETURN d.s", {}),
    ("FOR d IN docs FILTER d.g == 2 && d.t > 50 RETURN d._key", {}),
    # beyond 2**53 integers share doubles: the index orders them exactly, as the FILTER does
    ("FOR d IN docs FILTER d.big >= @p RETURN d._key", {"p": 2**53 + 1}),
    ("FOR d IN docs FILTER d.big <= @p RETURN d._key", {"p": 2**53}),
    ("FOR d IN docs FILTER d.big > @p && d.big < @q RETURN d._key", {"p": 2**60, "q": 2**60 + 2}),
]


@pytest.mark.parametrize(("text", "binds"), QUERIES)
def test_indexes_never_change_results(indexed: StandardDatabase, text: str, binds: dict[str, Any]) -> None:
    before = list(indexed.aql.execute(text, bind_vars=binds or None))
    coll = indexed.collection("docs")
    coll.add_index({"type": "persistent", "fields": ["g"]})
    coll.add_index({"type": "persistent", "fields": ["t"]})
    coll.add_index({"type": "persistent", "fields": ["s"], "sparse": True})
    coll.add_index({"type": "persistent", "fields": ["big"]})
    after = list(indexed.aql.execute(text, bind_vars=binds or None))
    if "SORT" in text:
        assert after == before
    else:
        assert sorted(after) == sorted(before)


PUSHDOWN = [
    ("FOR d IN docs FILTER d.g == 3 LIMIT 4 RETURN d.g", {}),
    ("FOR d IN docs FILTER d.g == 3 FILTER d.t > 40 LIMIT 2, 3 RETURN [d.g, d.t > 40]", {}),
    ("FOR d IN docs FILTER d.t >= 10 SORT d.t LIMIT 7 RETURN d.t", {}),
    ("FOR d IN docs FILTER d.t < 90 SORT d.t DESC LIMIT 3, 7 RETURN d.t", {}),
    ("FOR d IN docs SORT d.t DESC LIMIT 1 RETURN d.t", {}),
    ("FOR d IN docs FILTER d.t > 20 FILTER d.g != 2 SORT d.t LIMIT 5 RETURN [d.t, d.g != 2]", {}),
    ("FOR d IN docs SORT d.s DESC LIMIT 6 RETURN d.s", {}),
    ("FOR d IN docs SORT d.g, d.t DESC LIMIT 9 RETURN [d.g, d.t]", {}),
]


@pytest.mark.parametrize(("text", "binds"), PUSHDOWN)
def test_pushdown_never_changes_results(indexed: StandardDatabase, text: str, binds: dict[str, Any]) -> None:
    test_indexes_never_change_results(indexed, text, binds)


def test_limit_stops_the_index_read(indexed: StandardDatabase) -> None:
    indexed.collection("docs").add_index({"type": "persistent", "fields": ["g"]})
    indexed.collection("docs").add_index({"type": "persistent", "fields": ["t"]})
    cursor = indexed.aql.execute("FOR d IN docs FILTER d.g == 3 LIMIT 5 RETURN d")
    assert len(list(cursor)) == 5
    # the LIMIT counter stops on the first row past the limit: 6 reads, not the 43 with g == 3
    assert cursor.statistics()["scanned_index"] == 6
    cursor = indexed.aql.execute("FOR d IN docs FILTER d.t > 7 SORT d.t DESC LIMIT 2 RETURN d.t")
    assert list(cursor) == [100, 100]
    assert cursor.statistics()["scanned_index"] == 3


mixed = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([0.5, -1.5, "", "a", "b", [1], [], {"x": 1}])
)
conditions = st.tuples(
    st.sampled_from(["g", "t", "s"]), st.sampled_from(["==", "<", "<=", ">", ">=", "IN"]), mixed
)


@pytest.fixture
def twins(db: StandardDatabase) -> StandardDatabase:
    """The same mixed-type documents twice: ``plain`` without, ``fast`` with indexes."""
    rng = random.Random(5)
    pool = [None, True, False, -2, -1, 0, 0.5, 1, 2, 3, "", "a", "b", [1], [], {"x": 1}]
    docs = [{"_key": f"k{i:03}", "g": rng.choice(pool), "t": rng.choice(pool), "s": rng.choice(pool)}
            for i in range(120)]
    for name in ("plain", "fast"):
        db.create_collection(name).insert_many(docs)
    fast = db.collection("fast")
    fast.add_index({"type": "persistent", "fields": ["g", "t"]})
    fast.add_index({"type": "persistent", "fields": ["t"]})
    fast.add_index({"type": "persistent", "fields": ["s"], "sparse": True})
    return db


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    conds=st.lists(conditions, max_size=3),
    sort=st.one_of(st.none(), st.tuples(st.sampled_from(["g", "t", "s"]), st.booleans())),
    limit=st.one_of(st.none(), st.tuples(st.integers(0, 5), st.integers(0, 30))),
)
def test_property_indexed_equals_unindexed(
    twins: StandardDatabase, conds: list[Any], sort: Any, limit: Any
) -> None:
    binds: dict[str, Any] = {}
    lines = ["FOR d IN @@c"]
    for n, (attr, op, value) in enumerate(conds):
        binds[f"v{n}"] = [value, 1] if op == "IN" else value
        lines.append(f"FILTER d.{attr} {op} @v{n}")
    if sort is not None:
        lines.append(f"SORT d.{sort[0]} {'ASC' if sort[1] else 'DESC'}")
    if limit is not None:
        lines.append(f"LIMIT {limit[0]}, {limit[1]}")
    lines.append(f"RETURN {'d.' + sort[0] if sort is not None else 'd._key'}")
    text = " ".join(lines)
    plain = list(twins.aql.execute(text, bind_vars={**binds, "@c": "plain"}))
    fast = list(twins.aql.execute(text, bind_vars={**binds, "@c": "fast"}))
    if sort is not None:
        assert fast == plain, text  # sorted values: identical, ties or not
    elif limit is None:
        assert sorted(fast) == sorted(plain), text
    else:
        assert len(fast) == len(plain), text  # which rows a bare LIMIT keeps is not defined


COUNTS = [
    "FOR d IN @@c COLLECT g = d.g WITH COUNT INTO n RETURN [g, n]",
    "FOR d IN @@c COLLECT g = d.t RETURN g",
    "FOR d IN @@c COLLECT g = d.s WITH COUNT INTO n RETURN [g, n]",
    "FOR d IN @@c FILTER d.t != 1 COLLECT g = d.g WITH COUNT INTO n RETURN [g, n]",
    "FOR d IN @@c COLLECT WITH COUNT INTO n RETURN n",
    "FOR d IN @@c COLLECT g = d.g AGGREGATE m = MAX(d.t), c = COUNT(1) RETURN [g, m, c]",
]


@pytest.mark.parametrize("text", COUNTS)
def test_counts_from_an_index_equal_counted_rows(twins: StandardDatabase, text: str) -> None:
    plain = list(twins.aql.execute(text, bind_vars={"@c": "plain"}))
    fast = list(twins.aql.execute(text, bind_vars={"@c": "fast"}))
    assert fast == plain
    general = text.replace("WITH COUNT INTO n RETURN [g, n]", "INTO rows RETURN [g, LENGTH(rows)]")
    assert list(twins.aql.execute(general, bind_vars={"@c": "plain"})) == plain


def test_counts_by_indexed_attribute_read_the_index_alone(twins: StandardDatabase) -> None:
    text = "FOR d IN @@c COLLECT g = d.g WITH COUNT INTO n RETURN n"
    cursor = twins.aql.execute(text, bind_vars={"@c": "fast"})
    assert sum(cursor) == 120
    assert cursor.statistics()["scanned_full"] == 0
    twins.collection("fast").insert({"g": "new"})  # committed writes are counted too
    assert sum(twins.aql.execute(text, bind_vars={"@c": "fast"})) == 121
    trx = twins.begin_transaction(write="fast")
    try:
        trx.collection("fast").insert({"g": "mine"})  # the transaction's own write is counted
        assert sum(trx.aql.execute(text, bind_vars={"@c": "fast"})) == 122
    finally:
        trx.abort_transaction()


FILTERED_COUNTS = [
    # fast: an index on [g, t] answers these alone
    "FOR d IN @@c FILTER d.g == @v COLLECT x = d.t WITH COUNT INTO n RETURN [x, n]",
    "FOR d IN @@c FILTER @v == d.g COLLECT x = d.t RETURN x",
    # no index on [t, g], on [s, ...] (sparse) or on [g, t, s]: counted from the matching documents
    "FOR d IN @@c FILTER d.t == @v COLLECT x = d.g WITH COUNT INTO n RETURN [x, n]",
    "FOR d IN @@c FILTER d.s == @v COLLECT x = d.g WITH COUNT INTO n RETURN [x, n]",
    "FOR d IN @@c FILTER d.g == @v FILTER d.t == 1 COLLECT x = d.s WITH COUNT INTO n RETURN [x, n]",
    # COLLECT WITH COUNT alone: [g, t] and [t] answer equality on g, on t, on both (any order);
    # the sparse index on [s] does not (counted from the matching documents)
    "FOR d IN @@c FILTER d.g == @v COLLECT WITH COUNT INTO n RETURN n",
    "FOR d IN @@c FILTER d.t == @v COLLECT WITH COUNT INTO n RETURN n",
    "FOR d IN @@c FILTER d.t == @v FILTER 1 == d.g COLLECT WITH COUNT INTO n RETURN n",
    "FOR d IN @@c FILTER d.s == @v COLLECT WITH COUNT INTO n RETURN n",
    "FOR d IN @@c FILTER d.g == @v FILTER d.s == 1 COLLECT WITH COUNT INTO n RETURN n",
    # not the counting form: planned as before
    "FOR d IN @@c FILTER d.g == @v && d.t != 1 COLLECT WITH COUNT INTO n RETURN n",
    "FOR d IN @@c FILTER d.g == @v && d.t != 1 COLLECT x = d.t WITH COUNT INTO n RETURN [x, n]",
    "FOR d IN @@c FILTER d.g == @v COLLECT x = d.g WITH COUNT INTO n RETURN [x, n]",
    "FOR d IN @@c FILTER d.g == LENGTH(@v) COLLECT x = d.t WITH COUNT INTO n RETURN [x, n]",
]
FILTER_VALUES = [None, True, 0, 1, 1.0, 0.5, "", "a", [1], [], {"x": 1}, "absent"]


@pytest.mark.parametrize("text", FILTERED_COUNTS)
def test_filtered_counts_equal_counted_rows(twins: StandardDatabase, text: str) -> None:
    for value in FILTER_VALUES:
        plain = list(twins.aql.execute(text, bind_vars={"@c": "plain", "v": value}))
        fast = list(twins.aql.execute(text, bind_vars={"@c": "fast", "v": value}))
        assert fast == plain, (text, value)
        if "WITH COUNT INTO n" in text:
            general = text.replace("WITH COUNT INTO n RETURN [x, n]", "INTO rows RETURN [x, LENGTH(rows)]")
            assert list(twins.aql.execute(general, bind_vars={"@c": "plain", "v": value})) == plain


def test_filtered_counts_by_a_compound_index_read_the_index_alone(twins: StandardDatabase) -> None:
    """``FILTER d.g == @v COLLECT x = d.t WITH COUNT INTO n`` over an index on [g, t]: neither
    a scan nor a read of the matching documents (what nomarr's files-by-status count runs)."""
    text = "FOR d IN @@c FILTER d.g == @v COLLECT x = d.t WITH COUNT INTO n RETURN n"
    for value in (None, 1, "a"):
        expected = sum(twins.aql.execute(text, bind_vars={"@c": "plain", "v": value}))
        cursor = twins.aql.execute(text, bind_vars={"@c": "fast", "v": value})
        assert sum(cursor) == expected > 0
        assert cursor.statistics()["scanned_full"] == 0
        assert cursor.statistics()["scanned_index"] == 0
    per_value = (
        "FOR v IN [{k: null}, {k: 1}, {k: 'a'}, {}] RETURN (FOR d IN @@c FILTER d.g == v.k"
        " COLLECT x = d.t WITH COUNT INTO n RETURN [x, n])"
    )
    cursor = twins.aql.execute(per_value, bind_vars={"@c": "fast"})  # a subquery per outer value
    assert list(cursor) == list(twins.aql.execute(per_value, bind_vars={"@c": "plain"}))
    assert cursor.statistics()["scanned_index"] == 0 and cursor.statistics()["scanned_full"] == 0
    twins.collection("fast").insert({"g": "a", "t": "new"})  # committed writes are counted too
    assert sum(twins.aql.execute(text, bind_vars={"@c": "fast", "v": "a"})) == expected + 1
    trx = twins.begin_transaction(write="fast")
    try:
        trx.collection("fast").insert({"g": "a", "t": 1})  # the transaction's own write is counted
        cursor = trx.aql.execute(text, bind_vars={"@c": "fast", "v": "a"})
        assert sum(cursor) == expected + 2
    finally:
        trx.abort_transaction()


def test_equality_count_reads_the_index_alone(twins: StandardDatabase) -> None:
    """``FILTER d.g == @v COLLECT WITH COUNT INTO n``: the index's entries are counted, no
    document is read (before, every matching document was; sqlite3 counts its index alone)."""
    text = "FOR d IN @@c FILTER d.g == @v COLLECT WITH COUNT INTO n RETURN n"
    for value in (None, 1, "a", [1], "absent"):
        expected = list(twins.aql.execute(text, bind_vars={"@c": "plain", "v": value}))
        cursor = twins.aql.execute(text, bind_vars={"@c": "fast", "v": value})
        assert list(cursor) == expected
        assert cursor.statistics()["scanned_index"] == 0
        assert cursor.statistics()["scanned_full"] == 0
    total = "FOR d IN @@c COLLECT WITH COUNT INTO n RETURN n"
    cursor = twins.aql.execute(total, bind_vars={"@c": "plain"})  # the collection's count
    assert list(cursor) == [120] and cursor.statistics()["scanned_full"] == 0
    (before,) = twins.aql.execute(text, bind_vars={"@c": "fast", "v": "a"})
    twins.collection("fast").insert({"g": "a"})  # committed writes are counted too
    assert list(twins.aql.execute(text, bind_vars={"@c": "fast", "v": "a"})) == [before + 1]
    trx = twins.begin_transaction(write="fast")
    try:
        trx.collection("fast").insert({"g": "a"})  # the transaction's own write is counted
        trx.collection("fast").delete("k000")
        mine = list(trx.aql.execute(text, bind_vars={"@c": "fast", "v": "a"}))
        plain = trx.aql.execute(text.replace("d.g == @v", "d.g == @v && true"),
                                bind_vars={"@c": "fast", "v": "a"})
        assert mine == list(plain) and mine[0] in (before + 1, before + 2)
    finally:
        trx.abort_transaction()


def test_equality_then_sort_reads_a_compound_index_in_order(twins: StandardDatabase) -> None:
    fast = twins.collection("fast")
    text = "FOR d IN @@c FILTER d.g == @g SORT d.t DESC LIMIT 2 RETURN d.t"
    for g in (1, "a", None, [1]):
        expected = list(twins.aql.execute(text, bind_vars={"@c": "plain", "g": g}))
        cursor = twins.aql.execute(text, bind_vars={"@c": "fast", "g": g})
        assert list(cursor) == expected
        assert cursor.statistics()["scanned_index"] <= 3  # read in order, stopped by LIMIT
    assert fast.count() == 120


def test_equality_then_sort_is_planned_as_an_ordered_lookup() -> None:
    access = plan("FOR d IN c FILTER d.a == @x SORT d.b DESC LIMIT 3 RETURN d")
    assert access.kind == "eq" and access.sort_field == "b" and access.descending
    assert plan("FOR d IN c FILTER d.a == @x SORT d.a RETURN d").sort_field is None
    assert plan("FOR d IN c FILTER d.a == @x SORT d.b, d.c RETURN d").sort_satisfied is None


@pytest.fixture
def crowded(db: StandardDatabase) -> StandardDatabase:
    """1,000 mixed-type documents twice, most sharing a few ``g`` values (so an equality matches
    more than ``WALK_AFTER``): ``plain`` without indexes, ``fast`` with one on [g] and one on
    [t], none on both."""
    rng = random.Random(11)
    pool = [None, True, False, -2, -1, 0, 0.5, 1, 2, 3, "", "a", "b", [1], [], {"x": 1}]
    docs = [{"_key": f"k{i:04}", "g": rng.choice(["x", "x", "x", "y", 1]), "t": rng.choice(pool)}
            for i in range(1_000)]
    docs += [{"_key": f"m{i:03}", "g": "x"} for i in range(20)]  # no t: null in its index
    for name in ("plain", "fast"):
        db.create_collection(name).insert_many(docs)
    db.collection("fast").add_index({"type": "persistent", "fields": ["g"]})
    db.collection("fast").add_index({"type": "persistent", "fields": ["t"]})
    return db


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    g=st.sampled_from(["x", "y", 1, "z"]),
    bounds=st.lists(st.tuples(st.sampled_from(["<", "<=", ">", ">="]), mixed), max_size=2),
    ascending=st.booleans(),
    limit=st.tuples(st.integers(0, 3), st.integers(0, 40)),
    budget=st.sampled_from([runtime.WALK_BUDGET, 3, 40]),
)
def test_property_equality_sorted_by_another_index_equals_unindexed(
    crowded: StandardDatabase, g: Any, bounds: list[Any], ascending: bool, limit: Any, budget: int
) -> None:
    """``FILTER d.g == @g [&& range on t] SORT d.t LIMIT o, n`` walks the [t] index in order
    when more than WALK_AFTER documents match (else reads the matches and sorts them), and
    after ``budget`` walked documents reads and sorts the rest of the matches: the same rows, in
    the same order (ties by ``_key``), as without any index."""
    binds: dict[str, Any] = {"g": g}
    lines = ["FOR d IN @@c FILTER d.g == @g"]
    for n, (op, value) in enumerate(bounds):
        binds[f"v{n}"] = value
        lines.append(f"FILTER d.t {op} @v{n}")
    lines.append(f"SORT d.t {'ASC' if ascending else 'DESC'} LIMIT {limit[0]}, {limit[1]}")
    lines.append("RETURN [d.t, d._key]")
    text = " ".join(lines)
    plain = list(crowded.aql.execute(text, bind_vars={**binds, "@c": "plain"}))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runtime, "WALK_BUDGET", budget)
        fast = list(crowded.aql.execute(text, bind_vars={**binds, "@c": "fast"}))
    if ascending:
        assert fast == plain, text
    else:  # DESC: ties come in reverse index order from the walk, in scan order without one
        assert [r[0] for r in fast] == [r[0] for r in plain], text


def test_a_walk_that_finds_few_matches_falls_back_to_sorting_them(
    db: StandardDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 300 documents with ``g == "x"`` have the largest ``t``: walking [t] in order would read
    every other document first. After WALK_BUDGET walked documents the matches are read and
    sorted instead, so the read stays within the budget plus the matches."""
    coll = db.create_collection("skewed")
    coll.insert_many([{"_key": f"a{i:04}", "g": "y", "t": i} for i in range(2_000)])
    coll.insert_many([{"_key": f"b{i:04}", "g": "x", "t": 10_000 - i} for i in range(300)])
    coll.add_index({"type": "persistent", "fields": ["g"]})
    coll.add_index({"type": "persistent", "fields": ["t"]})
    monkeypatch.setattr(runtime, "WALK_BUDGET", 100)
    cursor = db.aql.execute("FOR d IN skewed FILTER d.g == 'x' SORT d.t LIMIT 3 RETURN d.t")
    assert list(cursor) == [9_701, 9_702, 9_703]
    assert cursor.statistics()["scanned_index"] <= 100 + 300


def _extra(text: str) -> list[tuple[str, str, Any]]:
    return [(path, op, value) for path, op, value in plan(text).extra]


def test_filter_forms_a_scan_may_prefilter_on_are_passed_as_extra_conditions() -> None:
    found = _extra(
        "FOR d IN c FILTER d.n % 7 == 3 && @r == d.m % @k && d.a != null && d.b IN ['x', 1]"
        " && d.c NOT IN @l && 'q' <= d.s RETURN d"
    )
    assert [(path, op) for path, op, _ in found] == [
        ("n", "%"), ("m", "%"), ("a", "!="), ("b", "in"), ("c", "not in"), ("s", ">="),
    ]
    assert found[0][2][0].value == 7 and found[0][2][1].value == 3
    assert found[1][2][0].name == "k" and found[1][2][1].name == "r"


def test_only_literal_or_bind_values_are_pushed_and_not_through_dotted_names() -> None:
    assert _extra("FOR d IN c FILTER d.n % 7 == LENGTH(@x) RETURN d") == []
    assert _extra("FOR d IN c FILTER d.n != d.m RETURN d") == []
    assert _extra("FOR d IN c FILTER d.n % 7 == 3 && d['a.b'] != 1 RETURN d") == []
    assert _extra("FOR d IN c FILTER d.n % 7 == 3 || LENGTH(d.s) == 1 RETURN d") == []


def test_extra_conditions_leave_out_what_the_access_passes_itself() -> None:
    assert [(p, op) for p, op, _ in _extra(
        "FOR d IN c FILTER d.a == 1 && d.b != 2 RETURN d")] == [("b", "!=")]
    assert [(p, op) for p, op, _ in _extra(
        "FOR d IN c FILTER d.a > 1 && d.a < 5 && d.b < 'x' RETURN d")] == [("b", "<=")]
    assert [(p, op) for p, op, _ in _extra(
        "FOR d IN c FILTER d.a IN [1, 2] && d.b != null RETURN d")] == [("a", "in"), ("b", "!=")]


def test_an_or_of_pushable_alternatives_is_passed_as_one_condition() -> None:
    found = _extra(
        "FOR d IN c FILTER d.a == 1 || (d.b != 2 && d.c % 3 == 0 && LENGTH(d.c)) RETURN d"
    )
    assert len(found) == 1
    path, op, alternatives = found[0]
    assert (path, op) == ("", "or")
    assert [[(p, o) for p, o, _ in alt] for alt in alternatives] == [
        [("a", "==")], [("b", "!="), ("c", "%")],
    ]
    assert _extra("FOR d IN c FILTER d.a == 1 || LENGTH(d.b) > 2 RETURN d") == []
