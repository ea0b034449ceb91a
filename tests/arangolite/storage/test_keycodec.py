"""The on-disk index keys order bytewise exactly as the in-memory encoded values order."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from arangolite.storage.indexes import encode
from arangolite.storage.keycodec import END, first_length, number_at, to_bytes
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
    assert head <= full < head + END
    assert first_length(full) == len(head)


def test_numbers_read_back_and_zero_has_one_key() -> None:
    for value in (0, 1.5, -3.25, 1e300, -1e-300, 1733000000.5):
        assert number_at(to_bytes(((2, value),))) == value
    assert to_bytes((encode(-0.0),)) == to_bytes((encode(0),))
    assert to_bytes((encode("a"),)) < to_bytes((encode("a\x00"),)) < to_bytes((encode("ab"),))
