"""Connecting: settings, strict serialisation and the three connection failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from nomarr.helpers.errors import (
    AuthenticationError,
    BackendUnavailableError,
    BindVarsNotSerializableError,
    ConfigurationError,
    DatabaseMissingError,
    DataDirError,
)
from nomarr.persistence import ConnectionSettings, Database
from nomarr.persistence.arango_client import MEMORY, default_data_dir, strict_serializer


def test_settings_from_environment() -> None:
    env = {
        "ARANGO_HOST": "http://db:8529",
        "ARANGO_USERNAME": "nomarr",
        "ARANGO_PASSWORD": "secret",
        "ARANGO_DB": "music",
        "NOMARR_REQUEST_TIMEOUT": "5",
    }
    settings = ConnectionSettings.from_env(env)
    assert (settings.host, settings.username, settings.password, settings.db_name) == (
        "http://db:8529", "nomarr", "secret", "music",
    )
    assert settings.request_timeout_s == 5 and not settings.embedded
    assert "secret" not in repr(settings)


def test_embedded_when_no_host() -> None:
    settings = ConnectionSettings.from_env({"NOMARR_DATA_DIR": MEMORY})
    assert settings.embedded and settings.data_dir == MEMORY and settings.db_name == "nomarr"
    assert "nomarr" in default_data_dir()


def test_bad_timeout_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="NOMARR_REQUEST_TIMEOUT"):
        ConnectionSettings.from_env({"NOMARR_REQUEST_TIMEOUT": "soon"})


def test_strict_serializer_names_bind_variable_paths() -> None:
    assert strict_serializer({"query": "RETURN 1", "bindVars": {"a": [1]}}) == '{"query":"RETURN 1","bindVars":{"a":[1]}}'
    with pytest.raises(BindVarsNotSerializableError) as info:
        strict_serializer({"query": "q", "bindVars": {"doc": {"tags": ["a", "b", {1}]}}})
    assert isinstance(info.value, TypeError)
    assert "bind_vars['doc']['tags'][2] (set is not JSON)" in str(info.value)
    with pytest.raises(TypeError, match=r"body\['x'\]"):
        strict_serializer({"x": float("nan")})


def test_unreachable_server_says_how_to_fix_it() -> None:
    settings = ConnectionSettings(host="http://127.0.0.1:9", request_timeout_s=2)
    with pytest.raises(BackendUnavailableError) as info:
        Database.open(settings)
    assert str(info.value).startswith(BackendUnavailableError.prefix)
    assert "ARANGO_HOST" in str(info.value)


def test_missing_database_says_how_to_fix_it(nomarr_settings: ConnectionSettings, nomarr_transport) -> None:
    with pytest.raises(DatabaseMissingError) as info:
        Database.open(nomarr_settings.with_db("nomarr_does_not_exist"), http_client=nomarr_transport)
    assert info.value.error_num == 1228
    assert "ARANGO_DB" in str(info.value)


def test_embedded_creates_its_database(tmp_path) -> None:
    settings = ConnectionSettings(data_dir=MEMORY, db_name="fresh")
    with Database.open(settings) as db:
        assert db.schema_version() >= 1


def test_embedded_data_directory_persists(tmp_path) -> None:
    settings = ConnectionSettings(data_dir=str(tmp_path / "data"), db_name="music")
    with Database.open(settings) as db:
        db.meta.set("kept", [1, 2])
    with Database.open(settings) as db:
        assert db.meta.get("kept") == [1, 2]


def test_foreign_data_directory_is_a_data_dir_error(tmp_path) -> None:
    (tmp_path / "notes.txt").write_text("not a database")
    with pytest.raises(DataDirError) as info:
        Database.open(ConnectionSettings(data_dir=str(tmp_path)))
    assert info.value.error_num == 1201
    assert "NOMARR_DATA_DIR" in str(info.value)


def test_wrong_credentials_say_how_to_fix_them(arango_url: str | None) -> None:
    if arango_url is None:
        pytest.skip("needs a real ArangoDB server (--arango-url)")
    settings = ConnectionSettings(host=arango_url, username="root", password="definitely-wrong-password")
    with pytest.raises(AuthenticationError) as info:
        Database.open(settings.with_db("_system"))
    assert info.value.http_code == 401
    assert "ARANGO_PASSWORD" in str(info.value)


def test_a_missing_engine_dependency_is_a_broken_install_not_a_bad_directory(tmp_path: Path) -> None:
    """A stale venv (a dependency the engine gained since) must not be blamed on the directory."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['lark'] = None\n"  # as if the package were not installed
        "from nomarr.persistence import ConnectionSettings, Database\n"
        "try:\n"
        f"    Database.open(ConnectionSettings(data_dir={str(tmp_path / 'data')!r}))\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.startswith("ConfigurationError"), out.stdout + out.stderr
    assert "lark" in out.stdout and "pip install" in out.stdout
    assert "damaged" not in out.stdout and "other nomarr process" not in out.stdout
