"""The in-memory progress buffer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from nomarr.persistence.progress_buffer import Progress, ProgressBuffer


def test_put_peek_take_restore() -> None:
    buffer = ProgressBuffer()
    buffer.put("j", Progress(0.5, "half"))
    assert buffer.peek("j") == Progress(0.5, "half")
    taken = buffer.take("j")
    assert taken is not None and buffer.peek("j") is None
    buffer.restore("j", taken)
    assert buffer.peek("j") == taken
    buffer.put("j", Progress(0.9))
    buffer.restore("j", taken)  # newer progress wins
    assert buffer.peek("j") == Progress(0.9)
    assert Progress(1.0).fields() == {"progress": 1.0, "message": None}


def test_concurrent_updates_keep_one_latest_value_per_job() -> None:
    buffer = ProgressBuffer()

    def report(job: int) -> None:
        for step in range(1000):
            buffer.put(f"job-{job}", Progress(step / 1000))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(report, range(8)))
    assert all(buffer.peek(f"job-{job}") == Progress(0.999) for job in range(8))
