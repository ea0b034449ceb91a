"""AsyncOverSyncHTTPClient runs the engine off the event loop.

The adapter hands each request to the sync transport on a worker thread. A request that takes
long (here: one the transport holds until the event loop itself releases it) must leave the loop
free to run other coroutines; were the engine called on the loop, the release could never run.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import arangolite
from nomarr.persistence import ConnectionSettings
from nomarr.persistence.aio import AsyncDatabase


class HeldTransport(arangolite.InProcessHTTPClient):
    """Holds every cursor request, once ``hold`` is set, until ``release`` is set (at most 20 s)."""

    def __init__(self) -> None:
        super().__init__(None)
        self.hold = False
        self.entered = threading.Event()
        self.release = threading.Event()
        self.released_in_time: bool | None = None

    def send_request(self, session: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if self.hold and url.endswith("/_api/cursor"):
            self.entered.set()
            self.released_in_time = self.release.wait(20)
        return super().send_request(session, method, url, *args, **kwargs)


def test_a_long_engine_request_leaves_the_event_loop_free() -> None:
    transport = HeldTransport()

    async def main() -> tuple[Any, int]:
        adb = await AsyncDatabase.open(ConnectionSettings(data_dir=":memory:", db_name="held"), http_client=transport)
        try:
            await adb.meta.set("k", 1)
            transport.hold = True
            query = asyncio.ensure_future(adb.meta.get("k"))
            ticks = 0
            while not transport.entered.is_set():  # the loop runs while the request is starting...
                await asyncio.sleep(0.01)
            for _ in range(5):  # ...and while the engine holds it
                await asyncio.sleep(0)
                ticks += 1
            transport.release.set()
            return await query, ticks
        finally:
            transport.release.set()
            await adb.close()

    value, ticks = asyncio.run(main())
    transport.engine.close()
    assert transport.released_in_time is True  # released by the loop, not by the timeout
    assert (value, ticks) == (1, 5)
