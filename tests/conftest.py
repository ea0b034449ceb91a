"""Shared pytest configuration.

``--arango-url URL`` (or ``NOMARR_TEST_ARANGO_URL``) points the backend-agnostic tests at a real
ArangoDB server; without it they run on arangolite in process. Tests that need a real server skip
cleanly when none is given.
"""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--arango-url",
        default=os.environ.get("NOMARR_TEST_ARANGO_URL"),
        help="run backend tests against this real ArangoDB server (e.g. http://127.0.0.1:8529)",
    )


@pytest.fixture(scope="session")
def arango_url(request: pytest.FixtureRequest) -> str | None:
    """URL of a real ArangoDB server, or None to use arangolite in process."""
    value = request.config.getoption("--arango-url")
    return str(value) if value else None
