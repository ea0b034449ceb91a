"""The Operations classes satisfy the store protocols, and the protocols list every method.

mypy checks the same statically (``protocols._implements``, run by the layer lint).
"""

from __future__ import annotations

import inspect
import typing

import pytest

from nomarr.persistence import Database, protocols
from nomarr.persistence.bound_operations import BoundOperations

GROUPS = typing.get_type_hints(BoundOperations)
PAIRS = [(attr, cls, getattr(protocols, cls.__name__.replace("Operations", "Store"))) for attr, cls in GROUPS.items()]


def _public(cls: type) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(fn) for name, fn in inspect.getmembers(cls, inspect.isfunction) if not name.startswith("_")}


def test_every_group_has_a_protocol() -> None:
    assert sorted(p.__name__ for _, _, p in PAIRS) == sorted(protocols.__all__)


@pytest.mark.parametrize(("attr", "impl", "proto"), PAIRS, ids=[a for a, _, _ in PAIRS])
def test_signatures_match(attr: str, impl: type, proto: type) -> None:
    implemented, declared = _public(impl), _public(proto)
    assert set(implemented) == set(declared), f"db.{attr}: add new methods to {proto.__name__}"
    for name, signature in declared.items():
        assert str(signature) == str(implemented[name]), f"{proto.__name__}.{name}"


def test_the_database_groups_are_instances(nomarr_db: Database) -> None:
    for attr, _, proto in PAIRS:
        assert isinstance(getattr(nomarr_db, attr), proto)
    with nomarr_db.unit_of_work(write=["queue"]) as uow:
        assert isinstance(uow.queue, protocols.QueueStore)


def test_a_fake_missing_a_method_is_not_a_store() -> None:
    class HalfQueue:
        def enqueue(self, job_type: str) -> None: ...

    assert not isinstance(HalfQueue(), protocols.QueueStore)
