"""DOCUMENT and the document handle helpers (documents.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

ALICE = {"_key": "alice", "_id": "persons/alice", "name": "Alice"}
BOB = {"_key": "bob", "_id": "persons/bob", "name": "Bob"}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("persons/alice",), ALICE),
        ((["persons/alice", "persons/bob"],), [ALICE, BOB]),
        ((["persons/alice", "persons/nobody"],), [ALICE]),
        (("persons", "persons/alice"), ALICE),
        (("persons", "alice"), ALICE),
        (("persons", ["alice", "bob"]), [ALICE, BOB]),
        (("persons/nobody",), None),
        (("nothing",), None),
        (("other", "persons/alice"), None),
        (("nocoll/alice",), None),
    ],
)
def test_document(call: Callable[..., Any], args: tuple[Any, ...], expected: Any) -> None:
    assert call("DOCUMENT", *args) == expected


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("PARSE_IDENTIFIER", ("_users/my-user",), {"collection": "_users", "key": "my-user"}),
        (
            "PARSE_IDENTIFIER",
            ({"_id": "mycollection/mykey", "value": "some value"},),
            {"collection": "mycollection", "key": "mykey"},
        ),
        ("PARSE_KEY", ("_users/my-user",), "my-user"),
        ("PARSE_COLLECTION", ("_users/my-user",), "_users"),
        (
            "PARSE_COLLECTION",
            ({"_id": "mycollection/mykey", "value": "some value"},),
            "mycollection",
        ),
        ("IS_SAME_COLLECTION", ("_users", "_users/my-user"), True),
        ("IS_SAME_COLLECTION", ("_users", {"_id": "_users/my-user"}), True),
        ("IS_SAME_COLLECTION", ("_users", "foobar/baz"), False),
        ("IS_SAME_COLLECTION", ("_users", {"_id": "something/else"}), False),
    ],
)
def test_handles(call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: Any) -> None:
    assert call(name, *args) == expected


def test_invalid_handles_warn(warns: Callable[..., int]) -> None:
    assert warns("PARSE_IDENTIFIER", "no-slash") == 1542
    assert warns("PARSE_KEY", 17) == 1542
