"""Transient failures are retried with bounded backoff; others are not."""

from __future__ import annotations

from typing import Any

import pytest
from arango.http import HTTPClient
from arango.response import Response

from nomarr.helpers.errors import BackendUnavailableError, ConflictError, DocumentNotFoundError
from nomarr.persistence import ConnectionSettings, Database
from nomarr.persistence.retry import RetryPolicy, call_with_retry, is_transient


def _failing(failures: list[Exception], result: str = "ok") -> Any:
    def operation() -> str:
        if failures:
            raise failures.pop(0)
        return result

    return operation


def test_conflicts_retried_only_when_safe() -> None:
    policy = RetryPolicy(attempts=3, base_delay_s=0)
    assert call_with_retry(_failing([ConflictError(), ConflictError()]), policy, True, sleep=lambda s: None) == "ok"
    with pytest.raises(ConflictError):
        call_with_retry(_failing([ConflictError()]), policy, False, sleep=lambda s: None)
    assert call_with_retry(_failing([ConflictError()]), policy, False, conflict_safe=True, sleep=lambda s: None) == "ok"


def test_attempts_are_bounded_and_delays_grow() -> None:
    delays: list[float] = []
    policy = RetryPolicy(attempts=4, base_delay_s=0.01, max_delay_s=0.03)
    with pytest.raises(BackendUnavailableError):
        call_with_retry(_failing([BackendUnavailableError(http_code=503)] * 5), policy, False, sleep=delays.append)
    assert len(delays) == 3
    assert 0.005 <= delays[0] <= 0.01 and 0.015 <= delays[2] <= 0.03


def test_classification() -> None:
    assert is_transient(BackendUnavailableError(http_code=503), idempotent=False)
    assert not is_transient(BackendUnavailableError(), idempotent=False)
    assert is_transient(BackendUnavailableError(), idempotent=True)
    assert not is_transient(DocumentNotFoundError(), idempotent=True)


class FlakyTransport(HTTPClient):
    """Wraps a real transport and answers 503 to the first ``fail`` cursor requests."""

    def __init__(self, inner: HTTPClient, fail: int) -> None:
        self.inner, self.fail, self.calls = inner, fail, 0

    def create_session(self, host: str) -> Any:
        return self.inner.create_session(host)

    def send_request(self, session: Any, method: str, url: str, headers: Any = None, params: Any = None, data: Any = None, auth: Any = None) -> Response:
        if "/_api/cursor" in url:
            self.calls += 1
            if self.fail > 0:
                self.fail -= 1
                body = '{"error":true,"code":503,"errorNum":503,"errorMessage":"service unavailable"}'
                return Response(method, url, {}, 503, "Service Unavailable", body)
        return self.inner.send_request(session, method, url, headers, params, data, auth)


def test_http_503_is_retried_through_the_whole_stack(
    nomarr_settings: ConnectionSettings, nomarr_transport, nomarr_db_name: str
) -> None:
    """python-arango re-sends a 503 up to 3 times itself, then nomarr retries with backoff."""
    if nomarr_transport is None:
        pytest.skip("wraps the in-process transport")
    flaky = FlakyTransport(nomarr_transport, fail=0)
    db = Database.open(nomarr_settings.with_db(nomarr_db_name), http_client=flaky)
    flaky.fail, flaky.calls = 10, 0
    assert db.meta.set("k", 1).value == 1
    assert flaky.calls == 11
    flaky.fail, flaky.calls = 100, 0
    with pytest.raises(BackendUnavailableError, match="ARANGO_HOST"):
        db.meta.get("k")
    assert flaky.calls == 3 * db.connection.settings.retry.attempts


def test_unknown_outcome_is_not_retried_for_non_idempotent_writes(
    nomarr_settings: ConnectionSettings, nomarr_transport, nomarr_db_name: str
) -> None:
    if nomarr_transport is None:
        pytest.skip("wraps the in-process transport")
    flaky = FlakyTransport(nomarr_transport, fail=0)
    db = Database.open(nomarr_settings.with_db(nomarr_db_name), http_client=flaky)
    flaky.fail, flaky.calls = 3, 0
    with pytest.raises(BackendUnavailableError):
        db.worker_claims.try_claim("f1", "w1")
    assert flaky.calls == 3
    assert db.worker_claims.try_claim("f1", "w1") is not None
