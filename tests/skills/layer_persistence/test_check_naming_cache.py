"""check_naming's cache: same findings warm as cold, invalidated by any change that matters."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, SCRIPTS
from layerlint.naming.cache import ResultCache
from layerlint.naming.engine import check
from layerlint.naming.source import SourceFile

CHECK = SCRIPTS / "check_naming.py"


def tree(tmp_path: Path, code: str = "NMR007") -> Path:
    root = tmp_path / "tree"
    shutil.copytree(FIXTURES / code, root)
    return root


def lines(result: object) -> list[str]:
    return [f"{f.location()}: {f.code} {f.message}" for f in result.findings]  # type: ignore[attr-defined]


def test_warm_run_returns_the_cold_findings_without_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tree(tmp_path)
    cache = ResultCache(tmp_path / "cache")
    cold = check(root, cache=cache)
    assert cold.findings

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm run with no file changed parsed a module")

    monkeypatch.setattr(SourceFile, "load", no_parsing)
    warm = check(root, cache=cache)
    assert lines(warm) == lines(cold) and warm.files_checked == cold.files_checked


def test_a_changed_file_is_checked_again(tmp_path: Path) -> None:
    root = tree(tmp_path)
    cache = ResultCache(tmp_path / "cache")
    before = check(root, cache=cache)
    service = root / "nomarr" / "services" / "report.py"
    service.write_text(service.read_text().replace('f"FOR d IN {collection} RETURN d"', '"FOR d IN c RETURN d"'))
    after = check(root, cache=cache)
    assert len(after.findings) == len(before.findings) - 1
    assert lines(after) == lines(check(root))


def test_selection_and_scope_are_part_of_the_key(tmp_path: Path) -> None:
    root = tree(tmp_path)
    cache = ResultCache(tmp_path / "cache")
    everything = check(root, cache=cache)
    only_services = check(root, cache=cache, only=["nomarr/services"])
    selected = check(root, cache=cache, select={"NMR013"})
    assert len(only_services.findings) == 1 < len(everything.findings)
    assert selected.findings == []


def test_a_foreign_or_broken_cache_is_ignored(tmp_path: Path) -> None:
    root = tree(tmp_path)
    directory = tmp_path / "cache"
    directory.mkdir()
    (directory / "check_naming.json").write_text("{not json")
    (directory / "aql_facts.pickle").write_bytes(b"garbage")
    assert lines(check(root, cache=ResultCache(directory))) == lines(check(root))


def test_cli_cache_dir_option_and_gitignore(tmp_path: Path) -> None:
    root = tree(tmp_path)
    chosen = tmp_path / "elsewhere"
    for _ in range(2):
        proc = subprocess.run(
            [sys.executable, str(CHECK), "--path", str(root), "--cache-dir", str(chosen)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 1, proc.stderr
    assert (chosen / "check_naming.json").is_file()
    assert (chosen / ".gitignore").read_text().splitlines()[-1] == "*"
    assert not (root / ".nomarr_lint_cache").exists()
    proc = subprocess.run(
        [sys.executable, str(CHECK), "--path", str(root), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "", "NOMARR_LINT_CACHE_DIR": str(tmp_path / "unused")},
    )
    assert proc.returncode == 1 and not (tmp_path / "unused").exists()
