"""The engine lock: re-entrant, counts its waiters, hands itself over at a holder's safe point."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import pytest

from arangolite.storage import engine_lock
from arangolite.storage.engine_lock import EngineLock


def _waiter(lock: EngineLock, took: threading.Event) -> threading.Thread:
    def run() -> None:
        with lock:
            took.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    while not lock.waiting:  # blocked in acquire, and counted
        time.sleep(0.001)
    return thread


def _spin(seconds: float) -> None:
    """Spend about ``seconds`` of this thread's CPU time."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


class _Clock:
    """The lock's clocks, moved by the test: wall (``monotonic``) and CPU (``thread_time``)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.monotonic(), 0.0  # (wall: where the lock's ``since`` was set)

    def monotonic(self) -> float:
        return self.wall

    def thread_time(self) -> float:
        return self.cpu

    sleep = staticmethod(time.sleep)


@contextlib.contextmanager
def _counting(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[EngineLock, _Clock]]:
    """A held lock (``TURN`` 10 ms) with a waiter, on the test's clocks, held past one turn of
    wall time with no CPU spent, and its first look at the waiter taken (which starts
    counting); the waiter is let in when the block ends."""
    monkeypatch.setattr(engine_lock, "TURN", 0.01)
    clock = _Clock()
    lock = EngineLock()
    with lock:
        waiter = _waiter(lock, threading.Event())
        monkeypatch.setattr(engine_lock, "time", clock)
        clock.wall = lock.since + 0.02
        assert not lock.wanted()  # starts counting
        yield lock, clock
    waiter.join()


def test_the_count_starts_again_when_the_waiters_have_left(monkeypatch: pytest.MonkeyPatch) -> None:
    """A waiter seen and gone (it gave up): a waiter that comes much later waits its own turn of
    the holder's CPU time, counted from the holder's first look at it, not from the first
    waiter's."""
    monkeypatch.setattr(engine_lock, "TURN", 0.01)
    clock = _Clock()
    lock = EngineLock()
    with lock:
        gave_up = threading.Thread(target=lambda: lock.acquire(timeout=0.05), daemon=True)
        gave_up.start()
        while not lock.waiting:
            time.sleep(0.001)
        monkeypatch.setattr(engine_lock, "time", clock)
        clock.wall = lock.since + 0.02
        assert not lock.wanted()  # the first look at that waiter starts counting
        gave_up.join()
        assert lock.waiting == 0 and not lock.wanted()
        clock.cpu += 0.05  # the holder works on, five turns of CPU
        clock.wall += 0.5
        waiter = _waiter(lock, threading.Event())
        assert not lock.wanted()  # a new waiter: counted from this look
        clock.cpu += 0.011
        assert lock.wanted()
    waiter.join()


def test_a_holder_waiting_with_little_cpu_hands_over_after_ten_turns_of_wall_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with _counting(monkeypatch) as (lock, clock):
        clock.wall += 0.05
        assert not lock.wanted()  # five turns of wall time, no CPU: keeps it
        clock.cpu += 0.005
        assert not lock.wanted()  # half a turn of CPU: keeps it
        clock.wall += 0.06
        assert lock.wanted()  # past ten turns of wall time


def test_a_holder_hands_over_after_one_turn_of_cpu_time(monkeypatch: pytest.MonkeyPatch) -> None:
    with _counting(monkeypatch) as (lock, clock):
        clock.cpu += 0.011
        assert lock.wanted()


def test_reentrant_and_free_after_the_last_release() -> None:
    lock = EngineLock()
    with lock, lock:
        assert lock._is_owned()
        assert not lock.wanted()  # nobody waits
    assert not lock._is_owned()
    assert lock.acquire(blocking=False)
    lock.release()


def test_wanted_only_by_a_holder_past_its_turn_with_a_waiter(monkeypatch) -> None:
    monkeypatch.setattr(engine_lock, "TURN", 0.0)
    lock = EngineLock()
    took = threading.Event()
    lock.acquire()
    assert not lock.wanted()
    waiter = _waiter(lock, took)
    assert not lock.wanted()  # the first look with a waiter starts counting the holder's CPU
    _spin(0.002)
    assert lock.wanted()
    monkeypatch.setattr(engine_lock, "TURN", 3600.0)
    assert not lock.wanted()  # held for less than a turn
    lock.release()
    waiter.join()
    assert took.is_set() and lock.waiting == 0


def test_hand_over_lets_the_waiter_in_and_restores_every_level() -> None:
    lock = EngineLock()
    took = threading.Event()
    order: list[str] = []
    lock.acquire()
    lock.acquire()  # two levels, as a request inside an engine method holds it

    def run() -> None:
        with lock:
            order.append("waiter")
            took.set()

    waiter = threading.Thread(target=run, daemon=True)
    waiter.start()
    while not lock.waiting:
        time.sleep(0.001)
    lock.hand_over()
    order.append("holder")
    assert took.is_set(), "the waiter did not get the lock during the hand-over"
    assert lock._is_owned() and lock._depth == 2
    lock.release()
    assert lock._is_owned()  # one level left
    lock.release()
    assert not lock._is_owned()
    waiter.join()
    assert order == ["waiter", "holder"]


def test_hand_over_with_nobody_waiting_takes_it_back_at_once() -> None:
    lock = EngineLock()
    with lock:
        lock.hand_over()
        assert lock._is_owned() and lock._depth == 1
    assert not lock._is_owned()


def test_a_condition_waits_with_the_lock_let_go_whole() -> None:
    lock = EngineLock()
    released = threading.Condition(lock)
    took = threading.Event()
    with lock, lock:
        waiter = _waiter(lock, took)
        released.wait(timeout=1.0)  # lets both levels go: the waiter gets the lock meanwhile
        assert took.is_set()
        assert lock._depth == 2
    waiter.join()
    assert not lock._is_owned()


def test_released_lets_go_only_a_lock_this_thread_holds() -> None:
    lock = EngineLock()
    with lock.released():  # not held: nothing to let go
        assert not lock._is_owned()
    took = threading.Event()
    with lock:
        waiter = _waiter(lock, took)
        with lock.released():
            waiter.join(timeout=5)
            assert took.is_set()
        assert lock._is_owned()
