"""Log level reset, structured log settings and ``/_admin/support-info``."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import DatabaseSupportInfoError


def test_reset_log_levels(sys_db: StandardDatabase) -> None:
    sys_db.set_log_levels(queries="DEBUG")
    assert sys_db.log_levels()["queries"] == "DEBUG"
    reset = sys_db.reset_log_levels()
    assert reset["queries"] == "INFO" and set(reset) == set(sys_db.log_levels())


def test_structured_log_settings_list_only_enabled(sys_db: StandardDatabase) -> None:
    try:
        assert sys_db.set_log_settings(database=True, url=True) == {"database": True, "url": True}
        assert sys_db.set_log_settings(url=False) == {"database": True}
        assert sys_db.log_settings() == {"database": True}
    finally:
        sys_db.set_log_settings(database=False, url=False, username=False)


def test_support_info_only_in_system(sys_db: StandardDatabase, db: StandardDatabase) -> None:
    info = sys_db.support_info()
    assert info["deployment"]["type"] == "single" and "date" in info
    with pytest.raises(DatabaseSupportInfoError) as err:
        db.support_info()
    assert err.value.error_code == 11
