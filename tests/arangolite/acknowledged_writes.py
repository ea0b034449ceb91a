"""Shared by the server tests: writes while the server is stopped, and what survived them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from arango import ArangoClient

from arangolite.storage.engine import Engine


def stop_during_writes_keeps_acknowledged(
    url: str, data: Path, stop: Callable[[], None], *, new_connections: bool = False
) -> None:
    """Four threads insert into ``w`` until the server goes; ``stop`` stops it once 200 writes
    were acknowledged. Every acknowledged write must be in ``data`` afterwards. With
    ``new_connections`` each insert opens a connection of its own (so several workers write)."""
    acknowledged: list[str] = []
    lock = threading.Lock()
    ArangoClient(hosts=url).db("_system").create_collection("w")

    def collection() -> object:
        return ArangoClient(hosts=url, request_timeout=5).db("_system").collection("w")

    def writer(n: int) -> None:
        col = collection()
        for i in range(100_000):
            if new_connections:
                col = collection()
            try:
                col.insert({"_key": f"{n}-{i}"})  # type: ignore[attr-defined]
            except Exception:  # the server went away mid-request: not acknowledged
                return
            with lock:
                acknowledged.append(f"{n}-{i}")

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(4)]
    for t in threads:
        t.start()
    while len(acknowledged) < 200:
        time.sleep(0.05)
    stop()
    for t in threads:
        t.join(30)
    engine = Engine(str(data))
    try:
        trx = engine.database("_system").begin(read=["w"])
        stored = {d["_key"] for d in trx.collection("w").all()}
        trx.abort()
    finally:
        engine.close()
    assert acknowledged and set(acknowledged) <= stored
