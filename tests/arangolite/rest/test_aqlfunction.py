"""``/_api/aqlfunction``: registering, listing and deleting user-defined AQL functions."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLFunctionCreateError, AQLFunctionDeleteError, AQLQueryExecuteError

BODY = "function (celsius) { return celsius * 1.8 + 32; }"


def test_create_list_delete(db: StandardDatabase, raw) -> None:  # type: ignore[no-untyped-def]
    assert db.aql.functions() == []
    assert db.aql.create_function("temp::c2f", BODY) == {"is_new": True}
    assert db.aql.create_function("temp::c2f", BODY) == {"is_new": False}
    assert db.aql.create_function("temp::sub::f", "(x) => x") == {"is_new": True}
    assert db.aql.create_function("other::f", BODY) == {"is_new": True}
    names = [f["name"] for f in db.aql.functions()]
    assert names == ["other::f", "temp::c2f", "temp::sub::f"]
    listed = raw("get", "/_api/aqlfunction", params={"namespace": "temp"}).body["result"]
    assert [f["name"] for f in listed] == ["temp::c2f", "temp::sub::f"]
    assert db.aql.delete_function("TEMP::C2F") == {"deleted": 1}
    assert db.aql.delete_function("temp", group=True) == {"deleted": 1}
    assert db.aql.delete_function("temp::c2f", ignore_missing=True) is False
    with pytest.raises(AQLFunctionDeleteError) as info:
        db.aql.delete_function("temp::c2f")
    assert info.value.error_code == 1582
    assert [f["name"] for f in db.aql.functions()] == ["other::f"]


@pytest.mark.parametrize(
    ("name", "code", "error"),
    [
        ("nonamespace", BODY, 1580),
        ("bad name::f", BODY, 1580),
        ("ns::f", "function (x) { invalid syntax }", 1581),
        ("ns::f", "1 + 2", 1581),
        ("ns::f", "", 1581),
    ],
)
def test_invalid_functions(db: StandardDatabase, name: str, code: str, error: int) -> None:
    with pytest.raises(AQLFunctionCreateError) as info:
        db.aql.create_function(name, code)
    assert info.value.error_code == error
    assert db.aql.functions() == []


def test_a_registered_function_is_not_run(db: StandardDatabase) -> None:
    db.aql.create_function("temp::c2f", BODY)
    with pytest.raises(AQLQueryExecuteError) as info:
        db.aql.execute("RETURN temp::c2f(10)")
    assert info.value.error_code == 1540


def test_the_javascript_parser_is_not_imported_by_start_up() -> None:
    """esprima costs about half a second to import: only registering a function may pay it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from arango import ArangoClient\n"
        "from arangolite import InProcessHTTPClient\n"
        "db = ArangoClient(http_client=InProcessHTTPClient(path=None)).db('_system')\n"
        "assert list(db.aql.execute('RETURN 1')) == [1]\n"
        "print('esprima' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stdout + out.stderr
