"""Key validation, document handles, revisions and key generators."""

from __future__ import annotations

import itertools

import pytest

from arangolite.errors import ArangoError
from arangolite.storage.keys import (
    KeyGenerator,
    RevisionClock,
    decode_rev,
    encode_rev,
    is_valid_collection_name,
    is_valid_database_name,
    is_valid_key,
    split_id,
)


@pytest.mark.parametrize("key", ["a", "0", "a" * 254, "_-:.@()+,=;$!*'%", "A1"])
def test_valid_keys(key: str) -> None:
    assert is_valid_key(key)


@pytest.mark.parametrize("key", ["", "a" * 255, "a/b", "a b", "a\x00", "é", "a?", None, 1, ["a"]])
def test_invalid_keys(key: object) -> None:
    assert not is_valid_key(key)


def test_split_id() -> None:
    assert split_id("c/k") == ("c", "k")
    for bad in ("ck", "c/", "/k", "c/k/x", 3):
        with pytest.raises(ArangoError) as info:
            split_id(bad)
        assert info.value.error_num == 1205


def test_names() -> None:
    assert is_valid_collection_name("abc_1-x")
    assert not is_valid_collection_name("_abc")
    assert is_valid_collection_name("_abc", system=True)
    assert not is_valid_collection_name("1abc")
    assert is_valid_database_name("_system") and is_valid_database_name("shop-1")
    assert not is_valid_database_name("_shop") and not is_valid_database_name("x" * 257)
    # 3.12's extended names: any NFC-normalised Unicode, no "/" (nor ":" for databases)
    assert is_valid_collection_name("かわいい犬") and is_valid_database_name("maçã")
    assert not is_valid_database_name("a:b") and not is_valid_collection_name("a/b")
    assert not is_valid_collection_name("mac\u0327a")  # not NFC


def test_revisions_unique_increasing_and_round_trip() -> None:
    clock = RevisionClock()
    revs = [clock.next_rev() for _ in range(10_000)]
    assert len(set(revs)) == len(revs)
    values = [decode_rev(r) for r in revs]
    assert values == sorted(values)
    assert all(len(r) == 11 for r in revs)
    assert encode_rev(12345) and decode_rev(encode_rev(12345)) == 12345
    assert revs[0].startswith("_")


def test_encode_rev_digits_across_shared_prefixes() -> None:
    """Revisions reuse the nine leading digits of the previous one while its high bits stay:
    every value still gets its own digits (consecutive runs across 4096 boundaries, jumps back)."""
    alphabet = "-_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

    def digits(value: int) -> str:
        return "".join(alphabet[(value >> (6 * i)) & 63] for i in reversed(range(11)))

    base = (1_700_000_000_000 << 20) + 4090
    values = [*range(base, base + 20), base - 4096, base, 0, 4095, 4096, 2**64 - 1, base + 1]
    for value in values:
        assert encode_rev(value) == digits(value)
        assert decode_rev(encode_rev(value)) == value


def test_clock_observes_persisted_value() -> None:
    clock = RevisionClock()
    clock.observe(2**62)
    assert decode_rev(clock.next_rev()) == 2**62 + 1


def test_traditional_generator() -> None:
    ticks = itertools.count(100)
    gen = KeyGenerator(None, lambda: next(ticks))
    first, second = gen.generate(), gen.generate()
    assert int(second) > int(first)
    gen.check_user_key("5000")
    assert int(gen.generate()) > 5000
    assert gen.describe() == {"allowUserKeys": True, "type": "traditional", "lastValue": 5001}


def test_autoincrement_and_errors() -> None:
    gen = KeyGenerator({"type": "autoincrement", "increment": 3, "offset": 7}, lambda: 0)
    assert [gen.generate() for _ in range(3)] == ["7", "10", "13"]
    with pytest.raises(ArangoError) as info:
        KeyGenerator({"type": "nope"}, lambda: 0)
    assert info.value.error_num == 1232
    strict = KeyGenerator({"allowUserKeys": False}, lambda: 1)
    with pytest.raises(ArangoError) as unexpected:
        strict.check_user_key("x")
    assert unexpected.value.error_num == 1222


def test_next_rev_and_next_value_share_one_increasing_clock() -> None:
    clock = RevisionClock()
    values = []
    for i in range(2000):
        values.append(decode_rev(clock.next_rev()) if i % 3 else clock.next_value())
    assert values == sorted(values) and len(set(values)) == len(values)
    assert clock.last == values[-1]


def test_user_keys_checked_and_tracked() -> None:
    for kind in ("traditional", "autoincrement", "padded", "uuid"):
        gen = KeyGenerator({"type": kind}, lambda: 1)
        for bad in (5, None, "", "a/b", "a b", "x" * 255, "é"):
            with pytest.raises(ArangoError) as info:
                gen.check_user_key(bad)
            assert info.value.error_num == 1221
        assert gen.check_user_key("f1") == "f1" and gen.check_user_key("x" * 254) == "x" * 254
    trad = KeyGenerator(None, lambda: 1)
    trad.check_user_key("named")
    assert trad.last_value == 0
    trad.check_user_key("77")
    assert trad.last_value == 77 and trad.generate() == "78"
    auto = KeyGenerator({"type": "autoincrement"}, lambda: 1)
    auto.check_user_key("40")
    assert auto.generate() == "41"
    padded = KeyGenerator({"type": "padded"}, lambda: 1)
    padded.check_user_key("00000000000000ff")
    assert padded.generate() == "0000000000000100"
