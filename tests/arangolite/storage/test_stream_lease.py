"""The lease of a stream transaction (``storage.stream_lease``, ``storage.streams``): one writer
or several readers; a reader meeting a writer gets 28 at once, a writer waits up to the timeout
then gets 28; a waiter gets it when it is given back; a held transaction never expires as idle."""

from __future__ import annotations

import threading
import time

import pytest

from arangolite.errors import ArangoError
from arangolite.storage.engine import Engine
from arangolite.storage.stream_lease import Lease

HANG_GUARD = 60.0


def test_readers_share_and_a_writer_is_alone() -> None:
    lease = Lease("1")
    lease.read()
    lease.read()
    assert lease.busy and lease.readers == 2
    with pytest.raises(ArangoError) as caught:
        lease.write(0.0)
    assert caught.value.code.num == 28
    assert "cannot write-lock, transaction 1 is already in use" in caught.value.message
    lease.give_back(write=False)
    lease.give_back(write=False)
    lease.write(0.0)
    with pytest.raises(ArangoError) as read_caught:
        lease.read()  # at once, whatever the timeout
    assert read_caught.value.code.num == 28
    assert "cannot read-lock, transaction 1 is already in use" in read_caught.value.message
    with pytest.raises(ArangoError) as commit_caught:
        lease.write(0.0, ending="commit")
    assert commit_caught.value.message == (
        "updating transaction status on commit failed. transaction 1 is in use"
    )
    lease.give_back(write=True)
    assert not lease.busy


def test_a_waiting_writer_gets_the_lease_when_it_is_given_back() -> None:
    lease = Lease("1")
    lease.write(0.0)
    got = threading.Event()

    def waiter() -> None:
        lease.write(HANG_GUARD)
        got.set()

    thread = threading.Thread(target=waiter, daemon=True)
    thread.start()
    deadline = time.monotonic() + HANG_GUARD
    while lease.waiting != 1:
        assert time.monotonic() < deadline
        time.sleep(0.001)
    assert not got.is_set()
    lease.give_back(write=True)
    thread.join(HANG_GUARD)
    assert got.is_set() and lease.writer and lease.waiting == 0


def test_a_held_transaction_does_not_expire_and_an_ended_one_has_no_lease() -> None:
    engine = Engine(None, stream_idle_timeout=10.0)
    try:
        with engine.lock:
            db = engine.database("_system")
            trx = engine.streams.begin(db, [], [], [])
        lease = engine.streams.take(trx.id, "_system", write=True)
        assert lease is not None and lease is engine.streams.lease_of(trx.id)
        with engine.lock:
            engine.streams.expire_idle(now=time.monotonic() + 100.0)  # long past the timeout
            assert trx.status == "running"  # its request holds it: not idle
        engine.streams.give_back(lease, write=True)
        with engine.lock:
            engine.streams.expire_idle(now=time.monotonic() + 100.0)
            assert trx.status == "aborted"
        assert engine.streams.lease_of(trx.id) is None
        # answered under the engine lock (1654: it was aborted)
        assert engine.streams.take(trx.id, "_system", write=True) is None
    finally:
        engine.close()


def test_a_leased_transaction_of_another_database_is_not_waited_for() -> None:
    """A request to another database with the id of a transaction whose lease a writer holds
    gets no lease and no wait (it is answered 1655 under the engine lock, as in ArangoDB)."""
    engine = Engine(None)
    try:
        with engine.lock:
            engine.create_database("other")
            trx = engine.streams.begin(engine.database("other"), [], [], [])
        held = engine.streams.take(trx.id, "other", write=True)
        assert held is not None
        engine.streams.lock_timeout = HANG_GUARD  # a wait would be a hang
        assert engine.streams.take(trx.id, "_system", write=True) is None
        assert engine.streams.take(trx.id, "_system", write=False) is None
        assert engine.streams.take(trx.id, "_system", write=True, ending="commit") is None
        assert held.writer and held.waiting == 0
        engine.streams.give_back(held, write=True)
    finally:
        engine.close()


def test_the_server_option_sets_the_lease_wait_of_engines_opened_after() -> None:
    """``arangolite serve --transaction.streaming-lock-timeout 0.5``: engines opened after it
    wait that long; a negative value is refused by the parser."""
    from arangolite.server_cli import build_parser, configure
    from arangolite.storage import stream_lease

    parser = build_parser()
    assert parser.parse_args([]).streaming_lock_timeout == 8.0  # ArangoDB's default
    try:
        configure(parser.parse_args(["--transaction.streaming-lock-timeout", "0.5"]))
        engine = Engine(None)
        try:
            assert engine.streams.lock_timeout == 0.5
        finally:
            engine.close()
    finally:
        stream_lease.set_default_lock_timeout(stream_lease.LOCK_TIMEOUT)
        configure(parser.parse_args([]))  # the query-limit defaults back as well
    with pytest.raises(SystemExit):
        parser.parse_args(["--transaction.streaming-lock-timeout", "-1"])
