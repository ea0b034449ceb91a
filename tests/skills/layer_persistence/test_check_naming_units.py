"""The building blocks of check_naming: folding, suppressions, import resolution, schema."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from layerlint.naming.engine import check
from layerlint.naming.folding import UNKNOWN, Const, Dynamic, Folder, local_bindings
from layerlint.naming.imports import iter_imports
from layerlint.naming.schema import declared_collections
from layerlint.naming.source import SourceFile
from layerlint.naming.suppress import find_suppressions


def fold(module: str, expr: str) -> Const | Dynamic:
    tree = ast.parse(module + "\ndef f(param):\n    return " + expr)
    func = tree.body[-1]
    env = {n.targets[0].id: n.value for n in tree.body if isinstance(n, ast.Assign)}  # type: ignore[attr-defined]
    local, params = local_bindings(func)
    return Folder(env, local, params).fold(func.body[-1].value)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("module", "expr", "value"),
    [
        ("", '"FOR x IN c RETURN x"', "FOR x IN c RETURN x"),
        ('A = "FOR x IN c "', 'A + "RETURN x"', "FOR x IN c RETURN x"),
        ('A = "c"', 'f"FOR x IN {A} RETURN x"', "FOR x IN c RETURN x"),
        ('A = "c"', '"FOR x IN {} RETURN x".format(A)', "FOR x IN c RETURN x"),
        ('A = "c"', '" ".join(["FOR x IN", A, "RETURN x"])', "FOR x IN c RETURN x"),
        ('A = "x"\nB = "y"', "A if param else B", UNKNOWN),
        ("", "queries.GET_FILE", UNKNOWN),
    ],
)
def test_constant_expressions_fold(module: str, expr: str, value: object) -> None:
    assert fold(module, expr) == Const(value)


@pytest.mark.parametrize(
    ("expr", "reason"),
    [
        ('f"LIMIT {param}"', "an f-string interpolates `param`"),
        ('"FOR x IN " + param', "`+` concatenates `param`"),
        ('"SORT x.%s" % param', "`%` formats in `param`"),
        ("param", "parameter `param` is not a constant"),
        ("make_query()", "call `make_query()` is not a constant"),
    ],
)
def test_runtime_expressions_are_dynamic(expr: str, reason: str) -> None:
    folded = fold("", expr)
    assert isinstance(folded, Dynamic) and folded.reason == reason


def test_suppression_needs_a_reason_and_ignores_strings() -> None:
    text = (
        "a = 1  # nomarr: ignore[NMR003, NMR004] wire format\n"
        "b = 2  # nomarr: ignore[NMR003]\n"
        'c = "# nomarr: ignore[NMR003] not a comment"\n'
    )
    found = find_suppressions(text)
    assert set(found) == {1, 2}
    assert found[1].covers("NMR004") and not found[1].covers("NMR005")
    assert not found[2].covers("NMR003")


def source(tmp_path: Path, rel: str, text: str) -> SourceFile:
    file = tmp_path / rel
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text)
    return SourceFile.load(file, tmp_path, ".")


def test_relative_and_type_checking_imports_resolve(tmp_path: Path) -> None:
    text = (
        "from typing import TYPE_CHECKING\n"
        "from ..services import health\n"
        "from . import db\n"
        "if TYPE_CHECKING:\n"
        "    from nomarr.workflows import scan\n"
    )
    refs = list(iter_imports(source(tmp_path, "nomarr/persistence/x.py", text)))
    targets = {(r.target, r.type_checking) for r in refs}
    assert ("nomarr.services.health", False) in targets
    assert ("nomarr.persistence.db", False) in targets
    assert ("nomarr.workflows.scan", True) in targets


def test_package_init_resolves_relative_to_itself(tmp_path: Path) -> None:
    src = source(tmp_path, "nomarr/persistence/__init__.py", "from .database import x\n")
    assert [r.target for r in iter_imports(src)] == ["nomarr.persistence.database.x"]


def test_schema_names_come_from_positional_keyword_and_constants(tmp_path: Path) -> None:
    source(
        tmp_path,
        "nomarr/persistence/schema.py",
        'T = "tags"\nCOLLECTIONS = (CollectionSpec("a"), CollectionSpec(name="b", edge=True), CollectionSpec(T))\n',
    )
    assert declared_collections(tmp_path) == frozenset({"a", "b", "tags"})
    assert declared_collections(tmp_path / "nomarr") is None


def test_helper_in_a_module_checked_earlier_is_found_after_that_module_is_released(
    tmp_path: Path,
) -> None:
    """Modules are released once their rules ran; what other modules need is read first.

    The helper's module comes first in path order and NMR009 does not check it (not
    persistence), so with NMR009 alone nothing else reads its tree before it is released.
    """
    helpers = tmp_path / "nomarr" / "helpers"
    database = tmp_path / "nomarr" / "persistence" / "database"
    helpers.mkdir(parents=True)
    database.mkdir(parents=True)
    (helpers / "aql_run.py").write_text(
        "def run_query(db, query, bind_vars=None):\n"
        "    return db.aql.execute(query, bind_vars=bind_vars)\n"
    )
    (database / "files_aql.py").write_text(
        "from nomarr.helpers.aql_run import run_query\n\n"
        'GET = "FOR f IN files FILTER f.a == @a RETURN f"\n\n\n'
        "def get(db):\n"
        '    return run_query(db, GET, {"b": 1})\n'
    )
    result = check(tmp_path, select={"NMR009"})
    assert sorted((f.path, f.code, f.message) for f in result.findings) == [
        (
            "nomarr/persistence/database/files_aql.py",
            "NMR009",
            "bind variable `a` is declared by the query but not passed",
        ),
        (
            "nomarr/persistence/database/files_aql.py",
            "NMR009",
            "bind variable `b` is passed but not used by the query",
        ),
    ]
