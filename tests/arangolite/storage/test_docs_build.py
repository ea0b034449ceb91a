"""``docs.build``: the stored document from a body (system attributes first, then the body's)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from arangolite.storage.docs import SYSTEM_ATTRIBUTES, build

names = st.sampled_from(["_key", "_id", "_rev", "_from", "_to", "a", "b", "_c", "z"])
bodies = st.dictionaries(names, st.integers() | st.text(max_size=3), max_size=6)


@settings(max_examples=500, deadline=None, database=None)
@given(bodies)
def test_build_keeps_the_order_and_drops_system_attributes(body: dict[str, Any]) -> None:
    doc = build("c", "k1", "_rev1", body, is_edge=False)
    user = [(k, v) for k, v in body.items() if k not in SYSTEM_ATTRIBUTES]
    assert list(doc.items()) == [("_key", "k1"), ("_id", "c/k1"), ("_rev", "_rev1"), *user]
