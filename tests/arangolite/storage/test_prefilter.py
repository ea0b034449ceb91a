"""SQL prefilters of full scans (``storage.prefilter``): never leave out a document AQL's
``==``, ``!=``, ``IN``, ``NOT IN``, range comparison or ``% n == c`` keeps, over mixed-type
data; queries answer the same with and without them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from arango.client import ArangoClient
from arango.database import StandardDatabase
from hypothesis import given, settings
from hypothesis import strategies as st

from arangolite.aql.operators import eq, ge, gt, in_, le, lt, mod, ne, not_in
from arangolite.aql.values import AqlWarning
from arangolite.client import InProcessHTTPClient
from arangolite.storage.cache import TOO_BIG
from arangolite.storage.docs import resolve_path
from arangolite.storage.engine import Engine
from arangolite.storage.prefilter import where_sql

MISSING = object()
VALUES: list[Any] = [
    None, False, True, 0, 1, -1, 0.0, -0.0, 1.0, 1.5, 0.1, 0.30000000000000004, 3, 3.0, 1e300,
    -1e-300, 5e-324, 2**53, 2**53 + 1, 2**53 + 2, 2**60 + 1, 2**63 - 1, 2**63, 2**64 + 7,
    -(2**63), 10**30, 10, -11, 17, 7.0, -(2**53), -(2**53) - 1, "", "a", "1", "A", "a.b", "10",
    "nul", "nul\x00", "b", 'q"uote', "back\\slash", "line\nbreak",
    "tab\tx", "\x01ctl", "\x7f", "caf\u00e9", "\U0001f600", "nul\x00x", "[1]", '{"b":1}', [],
    [1], [None], ["a"], {}, {"b": 1}, {"b": "a"},
]


def _docs() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"_key": "missing"}]
    for i, value in enumerate(VALUES):
        out.append({"_key": f"a{i}", "a": value})
        out.append({"_key": f"n{i}", "a": {"b": value}})
    out.append({"_key": "s1", "a": "x"})  # a.b under a string
    out.append({"_key": "l1", "a": [{"b": 1}]})  # a.b under an array
    return out


def _fill(eng: Engine) -> None:
    """Collection ``c`` of ``eng`` holding :func:`_docs`, written in one transaction."""
    db = eng.database("_system")
    db.create_collection("c")
    trx = db.begin(write=["c"])
    for doc in _docs():
        trx.collection("c").insert(doc)
    trx.commit()


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    eng = Engine(str(tmp_path_factory.mktemp("data")))
    _fill(eng)
    yield eng
    eng.close()


def _selected(engine: Engine, path: str, value: Any, op: str = "==") -> set[str] | None:
    extra, params = where_sql([(path, op, value)])
    if not extra:
        return None
    cid = engine.database("_system").collections["c"].cid
    assert engine.disk is not None
    rows = engine.disk.conn.execute(
        f"SELECT key FROM documents WHERE cid=?{extra}", (cid, *params)
    ).fetchall()
    return {r[0] for r in rows}


def _matching(engine: Engine, path: str, value: Any) -> set[str]:
    docs = engine.database("_system").collections["c"].state.scan()
    return {d["_key"] for d in docs if eq(resolve_path(d, path), value)}


@pytest.mark.parametrize("path", ["a", "a.b"])
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_the_prefilter_keeps_every_document_aql_equality_keeps(
    engine: Engine, path: str, value: Any
) -> None:
    selected = _selected(engine, path, value)
    if selected is None:
        assert type(value) in (list, dict) or value is None or (
            type(value) is str and (not value.isascii() or "\x00" in value)
        ) or (type(value) in (int, float) and abs(value) >= 2**63)
        return
    wanted = _matching(engine, path, value)
    assert wanted <= selected
    assert len(selected) < len(_docs())  # it does leave documents out


_AQL_OPS = {">": gt, ">=": ge, "<": lt, "<=": le}
_PUSHED = {">": ">=", ">=": ">=", "<": "<=", "<=": "<="}


@pytest.mark.parametrize("op", [">", ">=", "<", "<="])
@pytest.mark.parametrize("path", ["a", "a.b"])
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_range_prefilter_keeps_every_document_aql_keeps(
    engine: Engine, path: str, value: Any, op: str
) -> None:
    selected = _selected(engine, path, value, _PUSHED[op])
    if selected is None:
        assert not (type(value) in (int, float) and abs(value) < 2**63)
        return
    docs = engine.database("_system").collections["c"].state.scan()
    wanted = {d["_key"] for d in docs if _AQL_OPS[op](resolve_path(d, path), value)}
    assert wanted <= selected


@settings(max_examples=200, deadline=None)
@given(
    value=st.one_of(
        st.integers(min_value=-(2**64), max_value=2**64),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=6),
        st.booleans(),
    )
)
def test_the_prefilter_keeps_equal_numbers_and_strings(tmp_path_factory: Any, value: Any) -> None:
    """Any number or string stored and then looked for is found (SQLite's JSON reader and text
    to double conversion included)."""
    extra, params = where_sql([("a", "==", value)])
    if not extra:
        return
    import sqlite3

    conn = sqlite3.connect(":memory:")
    doc = json.dumps({"a": value})
    found = conn.execute(f"SELECT 1 FROM (SELECT ? AS doc) WHERE 1{extra}", (doc, *params))
    assert found.fetchall() == [(1,)]


@pytest.mark.parametrize("path", ["a", "a.b"])
def test_queries_answer_the_same_with_and_without_the_prefilter(
    engine: Engine, path: str
) -> None:
    _compare_with_memory(engine, f"d.{path} == @v", VALUES, kept=True)


@pytest.mark.parametrize(
    "condition",
    ["d.a > @v", "d.a >= @v", "d.a < @v", "d.a <= @v", "@v < d.a.b", "d.a >= @v && d.a < 9007199254740994",
     "d.a > @v SORT d.a", "d.a.b <= @v SORT d.a.b DESC"],
)
def test_range_queries_answer_the_same_with_and_without_the_prefilter(
    engine: Engine, condition: str
) -> None:
    _compare_with_memory(engine, condition, VALUES)


@pytest.mark.parametrize("bound", ["[", "Z", "", "\\", "[\x7f", "{", "|", "A", "\u00e9"])
@pytest.mark.parametrize("op", [">", ">="])
@pytest.mark.parametrize("path", ["a", "a.b"])
def test_a_string_lower_bound_keeps_arrays_and_objects(
    engine: Engine, path: str, bound: str, op: str
) -> None:
    """Bounds up to ``"["`` keep arrays and objects by their JSON text, later ones by type."""
    selected = _selected(engine, path, bound, ">=")
    assert selected is not None
    docs = list(engine.database("_system").collections["c"].state.scan())
    wanted = {d["_key"] for d in docs if _AQL_OPS[op](resolve_path(d, path), bound)}
    assert wanted <= selected
    assert any(type(resolve_path(d, path)) in (list, dict) for d in docs if d["_key"] in wanted)


def test_bounds_read_the_value_once_where_they_can() -> None:
    """One JSON read a row for a number upper bound of at least 1 (bools are 1 / 0 below it)
    and a string lower bound up to ``"["``; two where a type must be told apart."""
    reads = {
        (op, value): where_sql([("a", op, value)])[0].count("json_")
        for op, value in [("<=", 5), ("<=", 1), ("<=", 0.5), ("<=", -3), (">=", "/music"),
                          (">=", "["), (">=", "\\"), (">=", "{"), (">=", 5)]
    }
    assert reads == {
        ("<=", 5): 1, ("<=", 1): 1, ("<=", 0.5): 2, ("<=", -3): 2, (">=", "/music"): 1,
        (">=", "["): 1, (">=", "\\"): 2, (">=", "{"): 2, (">=", 5): 1,
    }


def test_dotted_attribute_names_are_not_prefiltered(tmp_path: Path) -> None:
    """``d['a.b']`` is the attribute named "a.b", not a.b: such a FILTER is not pushed."""
    eng = Engine(str(tmp_path / "d"))
    try:
        db = eng.database("_system")
        db.create_collection("c")
        trx = db.begin(write=["c"])
        trx.collection("c").insert({"_key": "k", "a.b": 1})
        trx.collection("c").insert({"_key": "n", "a": {"b": 1}})
        trx.commit()
        client = ArangoClient(
            hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=eng)
        ).db("_system")
        assert list(client.aql.execute("FOR d IN c FILTER d['a.b'] == 1 RETURN d._key")) == ["k"]
        assert list(client.aql.execute("FOR d IN c FILTER d.`a.b` == 1 RETURN d._key")) == ["k"]
        assert list(client.aql.execute("FOR d IN c FILTER d.a.b == 1 RETURN d._key")) == ["n"]
    finally:
        eng.close()


def test_a_stream_transaction_sees_its_writes_and_snapshot_through_the_prefilter(
    tmp_path: Path,
) -> None:
    eng = Engine(str(tmp_path / "d"))
    try:
        client = ArangoClient(
            hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=eng)
        ).db("_system")
        coll = client.create_collection("c")
        coll.insert_many([{"_key": f"k{i}", "s": "x" if i % 2 else "y"} for i in range(20)])
        assert eng.disk is not None
        cid = eng.database("_system").collections["c"].cid
        eng.disk.cache.scan_hints[cid] = TOO_BIG  # every filtered scan prefilters
        query = "FOR d IN c FILTER d.s == 'x' RETURN d._key"
        trx = client.begin_transaction(write="c")
        try:
            trx.collection("c").insert({"_key": "new", "s": "x"})
            trx.collection("c").update({"_key": "k0", "s": "x"})  # now matches
            trx.collection("c").update({"_key": "k1", "s": "z"})  # no longer matches
            coll.update({"_key": "k3", "s": "y"})  # committed outside: not in the snapshot
            coll.update({"_key": "k2", "s": "x"})
            inside = sorted(trx.aql.execute(query))
            expected = sorted(["new", "k0", *(f"k{i}" for i in range(3, 20, 2))])
            assert inside == expected
            outside = sorted(client.aql.execute(query))
            assert outside == sorted(["k1", "k2", *(f"k{i}" for i in range(5, 20, 2))])
        finally:
            trx.abort_transaction()
    finally:
        eng.close()


def _mod_equals(x: Any, divisor: Any, result: Any) -> bool:
    """AQL ``x % divisor == result`` (by zero: null, with a warning)."""
    try:
        return eq(mod(x, divisor), result)
    except AqlWarning:
        return result is None


_SCALARS = [v for v in VALUES if type(v) not in (list, dict)]
_MEMBER_LISTS: list[Any] = [
    *([v] for v in VALUES), [], [1, "a", None], [True, 0.5, "b"], [3, "nul\x00"], ["caf\u00e9"],
    "a", None,
]
_MOD_CASES: list[tuple[Any, Any]] = [
    *((n, c) for n in (7, -7, 1, 3, 2**53) for c in (0, 3, -3, 1, 4, 5, 3.0, 0.5, -0.0, 2**53 - 1)),
    (0, 3), (2.0, 3), (True, 1), (7, "3"), (7, None), (2**53 + 1, 1), (7, 2**63),
]
_KEEPS: dict[str, tuple[list[Any], Any]] = {
    "!=": (VALUES, ne),
    "in": (_MEMBER_LISTS, in_),
    "not in": (_MEMBER_LISTS, not_in),
    "%": (_MOD_CASES, lambda x, v: _mod_equals(x, *v)),
}
_CASES = [(op, value) for op, (values, _) in _KEEPS.items() for value in values]


def _pushed_expected(op: str, value: Any) -> bool:
    """Where the forms documented in storage.prefilter are pushed."""
    if op == "!=":
        return type(value) not in (list, dict)
    if op == "in":
        return type(value) is list and all(
            where_sql([("a", "==", item)])[0] for item in value
        )
    if op == "not in":
        return type(value) is list and any(where_sql([("a", "!=", item)])[0] for item in value)
    divisor, result = value
    return (
        type(divisor) is int and 0 < abs(divisor) <= 2**53
        and type(result) in (int, float) and abs(result) < 2**63
    )


@pytest.mark.parametrize("path", ["a", "a.b"])
@pytest.mark.parametrize(("op", "value"), _CASES, ids=repr)
def test_ne_in_and_mod_prefilters_keep_every_document_aql_keeps(
    engine: Engine, path: str, op: str, value: Any
) -> None:
    selected = _selected(engine, path, value, op)
    assert (selected is not None) == _pushed_expected(op, value)
    if selected is None:
        return
    keep = _KEEPS[op][1]
    docs = engine.database("_system").collections["c"].state.scan()
    wanted = {d["_key"] for d in docs if keep(resolve_path(d, path), value)}
    assert wanted <= selected


def test_the_new_forms_do_leave_documents_out(engine: Engine) -> None:
    total = len(_docs())
    for path, op, value in [
        ("a", "%", (7, 3)), ("a", "!=", None), ("a", "in", ["a", 1]), ("a", "not in", ["a"]),
        ("a", "==", None), ("a", ">=", "b"), ("a", "<=", "a"), ("a", "!=", "a"),
        ("", "or", [[("a", "==", 1)], [("a.b", "%", (7, 3))]]),
    ]:
        selected = _selected(engine, path, value, op)
        assert selected is not None and len(selected) < total, (op, value)


_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.sampled_from(["nul\x00", "a\x00b", "\U0001f600", "\uffff", "a", "b", ""]),
)
_condition = st.one_of(
    st.tuples(st.sampled_from(["!=", ">=", "<="]), _scalar),
    st.tuples(st.sampled_from(["in", "not in"]), st.lists(_scalar, max_size=3)),
    st.tuples(
        st.just("%"),
        st.tuples(
            st.one_of(st.integers(-20, 20), st.sampled_from([2**53, -(2**53), 2**53 + 1])),
            st.one_of(st.integers(-20, 20), st.floats(-20, 20), st.sampled_from([2**53 - 1])),
        ),
    ),
)
_AQL_KEEPS = {
    "!=": ne, ">=": ge, "<=": le, "in": in_, "not in": not_in,
    "%": lambda x, v: _mod_equals(x, *v),
}


@settings(max_examples=400, deadline=None)
@given(stored=_scalar, condition=_condition)
def test_a_prefilter_keeps_any_stored_value_aql_keeps(stored: Any, condition: Any) -> None:
    """A document as the store writes it (``durability.dumps``) whose value satisfies the AQL
    condition (``>=`` standing for ``>`` too, ``<=`` for ``<``) is selected by its SQL."""
    import sqlite3

    from arangolite.storage.durability import dumps

    op, value = condition
    extra, params = where_sql([("a", op, value)])
    if not extra or not _AQL_KEEPS[op](stored, value):
        return
    try:
        doc = dumps({"a": stored})
        doc.encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        return  # not a value the store can write
    conn = sqlite3.connect(":memory:")
    found = conn.execute(f"SELECT 1 FROM (SELECT ? AS doc) WHERE 1{extra}", (doc, *params))
    assert found.fetchall() == [(1,)]


def _compare_with_memory(
    engine: Engine, condition: str, values: list[Any], *, kept: bool = False
) -> None:
    """``FOR d IN c FILTER <condition>`` on disk (prefiltered every time) answers as in memory,
    in order when the condition ends with a SORT; ``kept``: then also three more times with the
    prefilter policy free (prefiltered, then kept, then read from the kept scan)."""
    client = ArangoClient(
        hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=engine)
    )
    db = client.db("_system")
    query = f"FOR d IN c FILTER {condition} RETURN d._key"
    ordered = "SORT" in condition
    memory = Engine(None)

    def answer(on: StandardDatabase, binds: dict[str, Any]) -> list[Any]:
        found = list(on.aql.execute(query, bind_vars=binds))
        return found if ordered else sorted(found)

    try:
        _fill(memory)
        ref = ArangoClient(
            hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=memory)
        ).db("_system")
        assert engine.disk is not None
        cid = engine.database("_system").collections["c"].cid
        for value in values:
            if type(value) is int and abs(value) >= 2**63:
                continue  # not a value python-arango sends as a number
            binds = {"v": value} if "@v" in condition else {}
            expected = answer(ref, binds)
            engine.disk.cache.clear()
            engine.disk.cache.scan_hints[cid] = TOO_BIG  # prefilter every time
            assert answer(db, binds) == expected, value
            engine.disk.cache.scan_hints.pop(cid)
            for _ in range(3 if kept else 0):
                assert answer(db, binds) == expected, value
    finally:
        memory.close()


@pytest.mark.parametrize(
    "condition",
    ["d.a != @v", "d.a.b != @v", "d.a IN [@v, 1]", "d.a.b NOT IN [@v, 'a']", "d.a == null",
     "d.a == @v || d.a.b == @v", "(d.a > @v && d.a != 1) || d.a.b % 7 == 3",
     "d.a == null || d.a IN ['a', @v]", "d.a == @v || LENGTH(d.a) == 1",
     "d.a.b == null", "d.a % 7 == @v", "@v == d.a.b % -3", "d.a % 2 == 1 && d.a != @v",
     "d.a >= @v && d.a != 'a'", "d.a == 1 && d.a != @v", "d.a IN [1, 'a'] && d.a.b != @v",
     "d.a < @v && d.a % 3 == 1 SORT d.a"],
)
def test_queries_with_the_new_forms_answer_as_the_in_memory_engine(
    engine: Engine, condition: str
) -> None:
    values = VALUES if "@v" in condition else [None]
    if "%" in condition:
        values = [*(v for v in VALUES if type(v) in (int, float)), 3, 2, 0, -1, 0.5, None, "1"]
    _compare_with_memory(engine, condition, values)


def test_a_mod_filter_is_pushed_into_the_scan_sql(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The planner passes ``v.a % n == c`` (and the other forms) to the scan, which pushes it."""
    from arangolite.storage import disk_state

    seen: list[str] = []

    def recording(where: Any) -> tuple[str, list[Any]]:
        found = where_sql(where)
        seen.append(found[0])
        return found

    monkeypatch.setattr(disk_state, "where_sql", recording)
    db = ArangoClient(
        hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=engine)
    ).db("_system")
    assert engine.disk is not None
    cid = engine.database("_system").collections["c"].cid
    engine.disk.cache.clear()
    engine.disk.cache.scan_hints[cid] = TOO_BIG
    try:
        found = sorted(db.aql.execute("FOR d IN c FILTER d.a % 7 == 3 RETURN d._key"))
        assert "% ?" in seen[-1]
        found_ne = list(db.aql.execute("FOR d IN c FILTER d.a.b != null RETURN d._key"))
        assert "json_type" in seen[-1]
    finally:
        engine.disk.cache.scan_hints.pop(cid)
    assert found and found_ne  # (their answers: test_queries_with_the_new_forms_...)


def _holds(doc: dict[str, Any], condition: tuple[str, str, Any]) -> bool:
    """Whether AQL keeps ``doc`` for one ``where`` condition (``>=`` and ``<=`` as written)."""
    path, op, value = condition
    if op == "or":
        return any(all(_holds(doc, c) for c in alternative) for alternative in value)
    keep = {**_AQL_KEEPS, "==": eq}[op]
    return bool(keep(resolve_path(doc, path), value))


_OR_CASES: list[Any] = [
    ("", "or", [[("a", "==", v)], [("a.b", "%", (7, 3))]]) for v in VALUES
] + [
    ("", "or", [[("a", ">=", v), ("a", "!=", 1)], [("a", "==", None)], [("a.b", "in", [v, "a"])]])
    for v in VALUES
] + [("", "or", [[("a", "==", [1])], [("a", "==", 1)]])]  # (an alternative with no clause)


@pytest.mark.parametrize("condition", _OR_CASES, ids=repr)
def test_an_or_prefilter_keeps_every_document_aql_keeps(
    engine: Engine, condition: tuple[str, str, Any]
) -> None:
    extra, params = where_sql([condition])
    alternatives = condition[2]
    pushed = all(where_sql(alternative)[0] for alternative in alternatives)
    assert bool(extra) == pushed
    if not extra:
        return
    cid = engine.database("_system").collections["c"].cid
    assert engine.disk is not None
    rows = engine.disk.conn.execute(
        f"SELECT key FROM documents WHERE cid=?{extra}", (cid, *params)
    ).fetchall()
    selected = {r[0] for r in rows}
    docs = engine.database("_system").collections["c"].state.scan()
    assert {d["_key"] for d in docs if _holds(d, condition)} <= selected


@settings(max_examples=300, deadline=None)
@given(stored=_scalar, first=_condition, second=_condition)
def test_or_and_and_of_prefilters_keep_any_stored_value_aql_keeps(
    stored: Any, first: Any, second: Any
) -> None:
    import sqlite3

    from arangolite.storage.durability import dumps

    try:
        doc = dumps({"a": stored})
        doc.encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        return
    conn = sqlite3.connect(":memory:")
    one, two = ("a", *first), ("a", *second)
    for condition in (("", "or", [[one], [two]]), ("", "or", [[one, two]])):
        extra, params = where_sql([condition])
        if not extra or not _holds({"a": stored}, condition):
            continue
        found = conn.execute(f"SELECT 1 FROM (SELECT ? AS doc) WHERE 1{extra}", (doc, *params))
        assert found.fetchall() == [(1,)], condition


_CLAMP = 2**38
_near_whole = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**64),
    st.integers(min_value=-(2**39), max_value=2**39),
    st.sampled_from([_CLAMP - 1, _CLAMP, _CLAMP + 1, -_CLAMP, -_CLAMP - 1, 2**53, -(2**53)]),
)
_stored_number = st.one_of(
    _near_whole,
    _near_whole.map(float),  # whole doubles, written as "123.0" or "1e+16"
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(2**39), 2**39).map(lambda n: n + 0.5),
    st.floats(-(2**39), 2**39).map(lambda x: x + 2**-30),
)
_stored_any = st.one_of(
    _stored_number, _scalar, st.sampled_from(["3", "10", "1e3", " 3", "0x3", "-4", "[3]", "x"]),
    st.lists(_stored_number, max_size=2),
)


def _selects(stored: Any, extra: str, params: list[Any]) -> bool | None:
    """Whether ``extra`` selects a document ``{"a": stored}`` as the store writes it (None: a
    value the store cannot write)."""
    import sqlite3

    from arangolite.storage.durability import dumps

    try:
        doc = dumps({"a": stored})
        doc.encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        return None
    conn = sqlite3.connect(":memory:")
    found = conn.execute(f"SELECT 1 FROM (SELECT ? AS doc) WHERE 1{extra}", (doc, *params))
    return bool(found.fetchall())


@settings(max_examples=600, deadline=None)
@given(
    stored=_stored_any,
    divisor=st.one_of(
        st.integers(-30, 30).filter(bool),
        st.sampled_from([_CLAMP, -_CLAMP, _CLAMP + 1, 2**53, 10**6]),
    ),
    result=st.one_of(st.integers(-30, 30), st.integers(-30, 30).map(float), st.just(-0.0)),
)
def test_a_mod_prefilter_read_once_keeps_what_aql_keeps(
    stored: Any, divisor: int, result: Any
) -> None:
    """``% n == c`` for whole ``0 <= c < |n| <= 2**38`` reads the value once a row (clamped,
    rounded) and keeps every stored value AQL keeps: numbers near the clamp and beyond +-2**53,
    whole and near-whole doubles, strings AQL converts, null (0), arrays; for a number within
    the clamp it is exact."""
    extra, params = where_sql([("a", "%", (divisor, result))])
    assert extra
    once = abs(divisor) <= _CLAMP and 0 <= result < abs(divisor)
    assert (extra.count("json_") == 1) == once
    selected = _selects(stored, extra, params)
    if selected is None:
        return
    if _mod_equals(stored, divisor, result):
        assert selected
    elif once and type(stored) in (int, bool) and abs(stored) <= _CLAMP - abs(divisor):
        assert not selected  # (exact for whole numbers within the clamp)


@settings(max_examples=600, deadline=None)
@given(
    stored=_stored_any,
    values=st.lists(
        st.one_of(_near_whole, _near_whole.map(float), _scalar, st.just(0.5)), max_size=4
    ),
)
def test_an_in_prefilter_read_once_for_whole_numbers_keeps_what_aql_keeps(
    stored: Any, values: list[Any]
) -> None:
    """``IN`` a list: whole numbers up to 2**38 and bools read the value once between them
    (rounded), strings once; a stored double equal to an item is kept however SQLite reads
    its text."""
    extra, params = where_sql([("a", "in", values)])
    if not extra:
        return
    selected = _selects(stored, extra, params)
    if selected is not None and in_(stored, values):
        assert selected


def test_in_reads_the_value_once_for_whole_numbers_and_once_for_strings() -> None:
    def reads(values: list[Any]) -> int:
        return where_sql([("a", "in", values)])[0].count("json_")

    assert reads([20000, 50000, 99999]) == 1
    assert reads([1, 2.0, True, -(2**38)]) == 1
    assert reads(["a", "b", "c"]) == 1
    assert reads([1, "a", 2, "b"]) == 2
    assert reads([1, 0.5, 2**40, None]) == 4  # a window each for the others, null by type


def _around_the_clamp(divisor: int) -> list[Any]:
    """Stored values around where the one-read ``%`` clause clamps, for ``divisor``."""
    n = abs(divisor)
    edges = [_CLAMP, _CLAMP - _CLAMP % n, 2**53, 2**53 - 2**53 % n, 2**63 - 1, 2**64]
    out: list[Any] = []
    steps = [*range(-9, 10), -n - 1, -n, -n + 1, n - 1, n, n + 1]
    for edge in edges:
        for k in steps:
            out.extend([edge + k, -(edge + k), float(edge + k), -float(edge + k)])
    return out


@pytest.mark.parametrize("divisor", [7, -7, 1, 3, 2, 2**38, -(2**38)])
def test_a_mod_prefilter_keeps_what_aql_keeps_around_the_clamp(divisor: int) -> None:
    stored_values = [*_around_the_clamp(divisor), None, True, False, "3", "-4", [3], {}]
    for result in sorted({r for r in (0, 1, 3, abs(divisor) - 1) if r < abs(divisor)}):
        extra, params = where_sql([("a", "%", (divisor, result))])
        assert extra.count("json_") == 1
        for stored in stored_values:
            if _mod_equals(stored, divisor, result):
                assert _selects(stored, extra, params), (stored, divisor, result)
