"""Every Operations test here runs twice: on ``Database``, then on ``AsyncDatabase``.

``nomarr_api`` (from nomarr's pytest plugin) is parametrised over both APIs for the whole
folder; in the ``async`` run ``nomarr_db`` is the AsyncDatabase on the same database, driven
through :class:`nomarr.testing.blocking.Blocking`, so the same test bodies check both.
"""

from __future__ import annotations

import pytest

from nomarr.testing.pytest_plugin import APIS


@pytest.fixture(params=APIS)
def nomarr_api(request: pytest.FixtureRequest) -> str:
    """``sync`` then ``async``."""
    return str(request.param)
