"""The on-disk index keys order bytewise exactly as the in-memory encoded values order."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from arangolite.storage.indexes import encode
from arangolite.storage.keycodec import END, first_length, number_at, past, to_bytes
from tests.arangolite.fuzz_cases import json_values

pairs = st.tuples(json_values, json_values)


@settings(max_examples=500, deadline=None, database=None)
@given(pairs, pairs)
def test_bytes_order_is_encoded_value_order(a: tuple[Any, Any], b: tuple[Any, Any]) -> None:
    ea, eb = tuple(encode(v) for v in a), tuple(encode(v) for v in b)
    ba, bb = to_bytes(ea), to_bytes(eb)
    assert (ea < eb) == (ba < bb)
    assert (ea == eb) == (ba == bb)


@settings(max_examples=300, deadline=None, database=None)
@given(json_values, json_values)
def test_a_prefix_bounds_every_longer_key(a: Any, b: Any) -> None:
    head = to_bytes((encode(a),))
    full = to_bytes((encode(a), encode(b)))
    assert head <= full < past(head) <= head + END
    assert first_length(full) == len(head)


def test_numbers_read_back_and_zero_has_one_key() -> None:
    for value in (0, 1.5, -3.25, 1e300, -1e-300, 1733000000.5):
        assert number_at(to_bytes(((2, value),))) == value
    assert to_bytes((encode(-0.0),)) == to_bytes((encode(0),))
    assert to_bytes((encode("a"),)) < to_bytes((encode("a\x00"),)) < to_bytes((encode("ab"),))


_BIG = [
    -1e308,
    -(2**63) - 1,
    -(2**63),
    -(2**53) - 1,
    -(2**53),
    -1.5,
    -0.0,
    0,
    1,
    2**53,
    2**53 + 1,
    2**53 + 2,
    2**53 + 3,
    2**63 - 1,
    2**63,
    2**63 + 1,
    1e300,
    2**1000 + 1,
    1.7976931348623157e308,
    2**1024 + 5,
    2**1030,
]


def test_integers_no_double_equals_keep_their_own_place() -> None:
    """2**53 + 1 is not 2**53: apart in order, in unique checks and in equality lookups."""
    keys = [
        tuple(encode(v) for v in (head, *tail))
        for head in _BIG
        for tail in ((), ("x",), (None,), ([head],))
    ]
    for ea in keys:
        ba, head = to_bytes(ea), to_bytes(ea[:1])
        assert first_length(ba) == len(head)
        for eb in keys:
            bb = to_bytes(eb)
            assert (ea < eb) == (ba < bb), (ea, eb)
            assert (ea == eb) == (ba == bb), (ea, eb)
            assert (head <= bb < past(head)) == (ea[:1] == eb[:1]), (ea, eb)
    lowest = to_bytes((encode(-(2**1030)),))  # below every double: stored as minus infinity
    assert lowest == to_bytes((encode(float("-inf")),)) < to_bytes((encode(-1e308),))
