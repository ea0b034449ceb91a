"""Per-engine state (user store, auth guard) does not keep a closed engine alive.

Such state sits in a ``WeakKeyDictionary`` keyed by the engine; a value that held the engine
strongly kept the key, and so every document of every closed engine, alive for the life of the
process. Counts, not timings.
"""

from __future__ import annotations

import gc
import weakref

import pytest

from arangolite.rest.auth import Guard
from arangolite.rest.auth_users import users_of
from arangolite.storage.engine import Engine


def _released(make: type[Engine] = Engine) -> weakref.ref[Engine]:
    engine = make(None)
    users_of(engine).set_password("root", "pw")
    guard = Guard(engine, "a-test-secret-of-at-least-32-bytes!")
    assert guard.engine is engine and users_of(engine).verify("root", "pw")
    engine.close()
    return weakref.ref(engine)


def test_a_closed_engine_with_users_and_a_guard_is_freed() -> None:
    ref = _released()
    gc.collect()
    assert ref() is None


def test_state_of_a_freed_engine_says_so() -> None:
    engine = Engine(None)
    store = users_of(engine)
    engine.close()
    del engine
    gc.collect()
    with pytest.raises(ReferenceError):
        _ = store.engine
