"""--arango-cluster-rules gives the embedded backend a cluster's refusals."""

from __future__ import annotations

import pytest
from arango.exceptions import ArangoServerError

from nomarr.testing.pytest_plugin import _Backend


@pytest.mark.parametrize("rules", [True, False])
def test_the_option_switches_the_rules_on(rules: bool) -> None:
    fresh = _Backend(None, cluster_rules=rules).fresh()
    db = next(fresh)
    try:
        index = {"type": "persistent", "fields": ["name"], "unique": True}
        if rules:
            with pytest.raises(ArangoServerError) as info:
                db.connection.db.collection("libraries").add_index(index)
            assert info.value.error_code == 1470
        else:
            db.connection.db.collection("libraries").add_index(index)
    finally:
        fresh.close()
