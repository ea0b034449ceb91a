"""A query waiting for a key lock (``lockTimeout``) is killed: it stops after a short slice of
its wait, not at the end of it, and with the engine lock whole again (``storage.waits``)."""

from __future__ import annotations

import threading

from arangolite.aql import limits
from arangolite.errors import ArangoError
from arangolite.storage.engine import Engine

HANG_GUARD = 60.0


def test_a_kill_stops_a_query_waiting_for_a_key_lock_with_the_lock_whole() -> None:
    engine = Engine(None)
    try:
        with engine.lock:
            db = engine.database("_system")
            coll = db.create_collection("c")
            holder = db.begin(write=["c"], stream=True)
            holder.claim(coll, "k")
            waiter = db.begin(write=["c"], stream=True, lock_timeout=HANG_GUARD)
        ended: list[BaseException] = []
        waiting = threading.Event()

        def query() -> None:  # a query's thread: its compiled code is interruptible
            with limits.track("_system", "the query", {}, {}) as running:
                try:
                    with engine.lock, running.interruptible():
                        waiting.set()
                        waiter.claim(coll, "k")  # waits for the holder's key
                except ArangoError as exc:
                    ended.append(exc)
                ended.append(engine.lock._is_owned())  # type: ignore[arg-type]

        thread = threading.Thread(target=query, daemon=True)
        thread.start()
        assert waiting.wait(HANG_GUARD)
        (running,) = [q for q in limits.current("_system") if q.query == "the query"]
        running.kill()
        # the holder still holds the key (for HANG_GUARD): only the kill ends the wait sooner
        thread.join(HANG_GUARD / 2)
        assert not thread.is_alive(), "hang guard: the kill did not stop the wait"
        assert isinstance(ended[0], ArangoError) and ended[0].code.num == 1500
        assert ended[1] is False  # the thread let go of the engine lock as it left
        with engine.lock:  # and it is whole: this thread takes it
            assert coll.locks == {"k": holder.id}
            holder.abort()
            waiter.abort()
    finally:
        engine.close()
