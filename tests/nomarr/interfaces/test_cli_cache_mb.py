"""``--cache-mb``: the embedded engine's cache of decoded documents, from the command line."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from arangolite.storage.engine import open_engine
from nomarr.helpers.errors import ConfigurationError
from nomarr.interfaces.cli import main
from nomarr.persistence import ConnectionSettings, Database
from nomarr.services.backend import AppConfig

_MB = 1 << 20


def _status(*args: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()):
        return main(list(args))


def test_cache_mb_sizes_the_engine_a_command_opens(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    assert _status("--cache-mb", "3", "--data-dir", str(before), "status", "--json") == 0
    assert _status("status", "--data-dir", str(after), "--cache-mb", "0.5") == 0  # after the command too
    for path, limit in ((before, 3 * _MB), (after, _MB // 2)):
        engine = open_engine(str(path))  # the engine the command opened, still shared in process
        try:
            assert engine.disk is not None and engine.disk.cache.limit == limit
        finally:
            engine.close()


def test_connection_settings_carry_the_cache_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARANGOLITE_CACHE_MB", "7")  # the option wins over the engine's variable
    settings = AppConfig(environ={}, data_dir=str(tmp_path / "d"), cache_mb=2).settings()
    assert settings.cache_mb == 2
    with Database.open(settings):
        engine = open_engine(settings.data_dir)
    try:
        assert engine.disk is not None and engine.disk.cache.limit == 2 * _MB
    finally:
        engine.close()
    with Database.open(ConnectionSettings(data_dir=str(tmp_path / "e"))):  # none given: the variable
        engine = open_engine(str(tmp_path / "e"))
    try:
        assert engine.disk is not None and engine.disk.cache.limit == 7 * _MB
    finally:
        engine.close()


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf")])
def test_a_cache_size_must_be_a_finite_number_of_mb(value: float) -> None:
    with pytest.raises(ConfigurationError, match="--cache-mb"):
        AppConfig(environ={}, cache_mb=value).settings()


def test_help_and_errors_name_the_option(nomarr, one_line_error) -> None:
    help_text = nomarr("status", "--help").out
    assert "--cache-mb MB" in help_text and "ARANGOLITE_CACHE_MB" in help_text
    assert "--cache-mb" in nomarr("--help").out
    assert "--cache-mb" in one_line_error(nomarr("--cache-mb", "-1", "status"))
    assert nomarr("--cache-mb", "lots", "status").code == 2  # argparse: not a number
    assert nomarr("--cache-mb", "16", "status", "--json").json()["libraries"] == []
