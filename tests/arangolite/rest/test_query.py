"""``/_api/query``, ``/_api/explain`` and the query tracking endpoints."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExplainError, AQLQueryValidateError


def test_validate(db: StandardDatabase) -> None:
    result = db.aql.validate("FOR d IN docs FILTER d.a == @x RETURN d")
    assert result["parsed"] is True
    assert result["collections"] == ["docs"] and result["bind_vars"] == ["x"]
    with pytest.raises(AQLQueryValidateError) as info:
        db.aql.validate("FOR i IN 1..100 FILTER i = 1 RETURN i")
    assert info.value.error_code == 1501


def test_explain(db: StandardDatabase) -> None:
    db.create_collection("docs")
    plan = db.aql.explain("FOR d IN docs RETURN d")
    assert plan["collections"] == [{"name": "docs", "type": "read"}]
    with pytest.raises(AQLQueryExplainError) as info:
        db.aql.explain("FOR p IN docs FILTER p.id == @id RETURN p")
    assert info.value.error_code == 1551


def test_tracking_endpoints(db: StandardDatabase) -> None:
    assert db.aql.queries() == []
    assert db.aql.slow_queries() == []
    assert db.aql.clear_slow_queries()
    assert db.aql.tracking()["enabled"] is True
    assert db.aql.cache.properties()["mode"] == "off"


def test_kill_unknown_query(raw) -> None:  # type: ignore[no-untyped-def]
    assert raw("delete", "/_api/query/123").body["errorNum"] == 1591
