"""SORT without an index: native keys and the lazy top-k give exactly AQL's stable order."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arangolite.aql import ordering
from arangolite.aql.ordering import OFF_LOCK_ROWS, sorted_docs, sorted_rows
from arangolite.aql.values import compare, order_key, sort_key

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(-5, 5, allow_nan=False),
    st.sampled_from(["", "a", "b", "ab", "é"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from("abc"), inner, max_size=3)
    ),
    max_leaves=6,
)


def _sign(n: int) -> int:
    return (n > 0) - (n < 0)


CALM = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@CALM
@given(values, values)
def test_order_key_agrees_with_compare(a: Any, b: Any) -> None:
    ka, kb = order_key(a), order_key(b)
    assert _sign((ka > kb) - (ka < kb)) == compare(a, b)


def _reference(rows: list[Any], directions: tuple[bool, ...]) -> list[Any]:
    out = list(rows)
    for column in range(len(directions) - 1, -1, -1):
        out.sort(key=lambda r, c=column: sort_key(r[c]), reverse=not directions[column])
    return out


@CALM
@given(
    st.lists(st.tuples(values, st.sampled_from([1, 2, "x", None])), max_size=40),
    st.lists(st.booleans(), min_size=1, max_size=2),
    st.integers(0, 45),
)
def test_sorted_rows_is_a_stable_aql_sort(pairs: list[Any], directions: list[bool], take: int) -> None:
    rows = [(*pair[: len(directions)], i) for i, pair in enumerate(pairs)]
    expected = _reference(rows, tuple(directions))
    got = sorted_rows(list(rows), tuple(directions))
    assert list(itertools.islice(got, take)) == expected[:take]


def test_top_k_grows_past_the_first_heap() -> None:
    rows = [(i % 97, i) for i in range(5000)]
    expected = _reference(rows, (False,))
    got = sorted_rows(list(rows), (False,))
    assert list(itertools.islice(got, 10)) == expected[:10]
    assert list(itertools.islice(got, 1000)) == expected[10:1010]  # a second, larger top
    assert list(got) == expected[1010:]


def test_sorted_docs_by_path_with_mixed_types() -> None:
    docs = [{"a": {"b": v}, "i": i} for i, v in enumerate([3, "x", None, [1], 2.5, True, 3])]
    docs.append({"i": 99})
    got = [d["i"] for d in sorted_docs(docs, "a.b", descending=False)]
    assert got == [2, 99, 5, 4, 0, 6, 1, 3]
    assert [d["i"] for d in sorted_docs(docs, "a.b", descending=True)] == [3, 1, 0, 6, 4, 5, 2, 99]


def test_big_sorts_run_inside_off_and_stay_right() -> None:
    """From OFF_LOCK_ROWS rows on, every sort step runs inside ``off`` (where a query lets the
    engine lock go: ``aql.turns.off_lock_under``) on keys computed before; smaller sorts never
    enter it. The order is the same either way, for one column, same and mixed directions."""
    entered: list[int] = []

    @contextlib.contextmanager
    def off() -> Iterator[None]:
        entered.append(1)
        yield

    big = [(i % 7, str(i % 13), i) for i in range(OFF_LOCK_ROWS + 100)]
    for directions in ((True,), (False, False), (True, False)):
        entered.clear()
        got = list(sorted_rows(list(big), directions, off))
        assert got == _reference(big, directions)
        assert entered, directions
        entered.clear()
        small = big[:50]
        assert list(sorted_rows(list(small), directions, off)) == _reference(small, directions)
        assert not entered, directions
    docs = [{"v": i % 11, "i": i} for i in range(OFF_LOCK_ROWS)]
    entered.clear()
    assert [d["i"] for d in sorted_docs(docs, "v", False, off)] == [
        d["i"] for d in sorted(docs, key=lambda d: d["v"])
    ]
    assert entered


def test_big_sorts_compute_their_keys_inside_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """The keys of a big sort (``order_key`` for values of mixed kinds) are computed with the
    engine lock let go too (inside ``off``), not only the sort; a small sort computes them
    outside it."""
    inside: list[bool] = [False]
    seen: list[bool] = []

    @contextlib.contextmanager
    def off() -> Iterator[None]:
        inside[0] = True
        try:
            yield
        finally:
            inside[0] = False

    def watched(value: Any) -> Any:
        seen.append(inside[0])
        return order_key(value)

    monkeypatch.setattr(ordering, "order_key", watched)
    mixed = [(i if i % 3 else str(i), i) for i in range(OFF_LOCK_ROWS + 10)]
    for directions in ((True,), (True, True), (False, True)):
        seen.clear()
        assert list(sorted_rows(list(mixed), directions, off)) == _reference(mixed, directions)
        assert seen and all(seen), directions
        seen.clear()
        assert list(sorted_rows(list(mixed[:40]), directions, off)) == _reference(
            mixed[:40], directions
        )
        assert seen and not any(seen), directions
    docs = [{"v": i if i % 2 else [i], "i": i} for i in range(OFF_LOCK_ROWS)]
    seen.clear()
    got = [d["i"] for d in sorted_docs(docs, "v", False, off)]
    assert got == [d["i"] for d in sorted(docs, key=lambda d: sort_key(d["v"]))]
    assert seen and all(seen)
