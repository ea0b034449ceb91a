"""``/_api/analyzer``: defining, listing and deleting Analyzers; TOKENS with a custom one."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import (
    AnalyzerCreateError,
    AnalyzerDeleteError,
    AnalyzerGetError,
    AQLQueryExecuteError,
)


def test_define_list_get_delete(db: StandardDatabase) -> None:
    made = db.create_analyzer("comma", "delimiter", {"delimiter": ","})
    assert made == {"name": f"{db.name}::comma", "type": "delimiter",
                    "properties": {"delimiter": ","}, "features": []}
    assert db.create_analyzer("comma", "delimiter", {"delimiter": ","})["name"] == made["name"]
    with pytest.raises(AnalyzerCreateError) as dup:
        db.create_analyzer("comma", "delimiter", {"delimiter": ";"})
    assert dup.value.error_code == 1207
    names = [a["name"] for a in db.analyzers()]
    assert "identity" in names and "text_en" in names and f"{db.name}::comma" in names
    assert db.analyzer("text_en")["properties"]["locale"] == "en"
    assert db.analyzer(f"{db.name}::comma")["type"] == "delimiter"
    assert db.delete_analyzer("comma") is True
    with pytest.raises(AnalyzerGetError) as missing:
        db.analyzer("comma")
    assert missing.value.error_code == 1202
    with pytest.raises(AnalyzerDeleteError) as gone:
        db.delete_analyzer("comma")
    assert gone.value.error_code == 1202
    assert db.delete_analyzer("comma", ignore_missing=True) is False


@pytest.mark.parametrize(
    ("name", "kind", "error"),
    [("bad name", "identity", 10), ("ok", "nonsense", 10), ("ok", "geo_s2", 9)],
)
def test_refused_definitions(db: StandardDatabase, name: str, kind: str, error: int) -> None:
    with pytest.raises(AnalyzerCreateError) as info:
        db.create_analyzer(name, kind, {})
    assert info.value.error_code == error


def test_tokens_with_builtin_and_custom(db: StandardDatabase) -> None:
    assert list(db.aql.execute("RETURN TOKENS('Running Dogs', 'text_en')")) == [["run", "dog"]]
    db.create_analyzer("bigram", "ngram", {"min": 2, "max": 2, "preserveOriginal": False})
    assert list(db.aql.execute("RETURN TOKENS('abc', 'bigram')")) == [["ab", "bc"]]
    db.create_analyzer("comma", "delimiter", {"delimiter": ","})
    with pytest.raises(AQLQueryExecuteError) as info:
        db.aql.execute("RETURN TOKENS('a,b', 'comma')")
    assert info.value.error_code == 9 and "delimiter" in info.value.error_message
    with pytest.raises(AQLQueryExecuteError) as unknown:
        db.aql.execute("RETURN TOKENS('abc', 'nosuch')")
    assert unknown.value.error_code == 10
