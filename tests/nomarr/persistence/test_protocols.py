"""The Operations classes satisfy the store protocols, and the protocols list every method.

mypy checks the same statically (``protocols._implements``, run by the layer lint). The async
groups of ``AsyncDatabase`` are checked against the same protocols here: same names, same
parameters, every method awaitable and every ``Iterator`` an async iterator.
"""

from __future__ import annotations

import inspect
import typing

import pytest

from nomarr.persistence import Database, protocols
from nomarr.persistence.aio import AsyncDatabase
from nomarr.persistence.aio.operations import async_operations, is_stream
from nomarr.persistence.bound_operations import BoundOperations
from nomarr.testing.pytest_plugin import RunAsync

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


@pytest.mark.parametrize(("attr", "impl", "proto"), PAIRS, ids=[a for a, _, _ in PAIRS])
def test_the_async_group_has_every_method_awaitable(attr: str, impl: type, proto: type) -> None:
    group, declared = async_operations(impl), _public(proto)
    assert set(_public(group)) == set(declared), f"adb.{attr}"
    for name, signature in declared.items():
        method = getattr(group, name)
        assert str(inspect.signature(method)) == str(signature), f"adb.{attr}.{name}"
        streams = is_stream(getattr(proto, name))
        assert inspect.iscoroutinefunction(method) is not streams, f"adb.{attr}.{name}: awaited, or an async iterator"


def test_the_async_database_has_every_group(nomarr_db: Database, run_async_db: RunAsync) -> None:
    async def check(adb: AsyncDatabase) -> None:
        async with adb.unit_of_work(write=["queue"]) as uow:
            for holder in (adb, uow):
                for attr, impl, _ in PAIRS:
                    assert type(getattr(holder, attr)) is async_operations(impl), attr
            assert inspect.isasyncgen(uow.tags.iter_files_by_tag("genre", "jazz"))  # a stream, not a coroutine

    run_async_db(check)


def test_the_database_groups_are_instances(nomarr_db: Database) -> None:
    for attr, _, proto in PAIRS:
        assert isinstance(getattr(nomarr_db, attr), proto)
    with nomarr_db.unit_of_work(write=["queue"]) as uow:
        assert isinstance(uow.queue, protocols.QueueStore)


def test_a_fake_missing_a_method_is_not_a_store() -> None:
    class HalfQueue:
        def enqueue(self, job_type: str) -> None: ...

    assert not isinstance(HalfQueue(), protocols.QueueStore)
