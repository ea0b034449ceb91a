"""Date functions (dates.py, dates_format.py, dates_zoned.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.arangolite.functions.conftest import MemoryContext

CASES = [
    ("DATE_TIMESTAMP", ("2014-05-07T14:19:09.522",), 1399472349522),
    ("DATE_TIMESTAMP", ("2014-05-07T14:19:09.522Z",), 1399472349522),
    ("DATE_TIMESTAMP", ("2014-05-07 14:19:09.522",), 1399472349522),
    ("DATE_TIMESTAMP", ("2014-05-07T15:19:09.522+01:00",), 1399472349522),
    ("DATE_TIMESTAMP", (2014, 5, 7, 14, 19, 9, 522), 1399472349522),
    ("DATE_TIMESTAMP", (1399472349522,), 1399472349522),
    ("DATE_TIMESTAMP", (2016, 2, 32), 1456963200000),
    ("DATE_TIMESTAMP", (1970, 1, 1, 26), 93600000),
    ("DATE_ISO8601", ("2014-05-07 14:19:09.522Z",), "2014-05-07T14:19:09.522Z"),
    ("DATE_ISO8601", (2014, 5, 7, 14, 19, 9, 522), "2014-05-07T14:19:09.522Z"),
    ("DATE_ISO8601", (1399472349522,), "2014-05-07T14:19:09.522Z"),
    ("DATE_ISO8601", (0,), "1970-01-01T00:00:00.000Z"),
    ("DATE_ISO8601", (-62167219200000,), "0000-01-01T00:00:00.000Z"),
    ("IS_DATESTRING", ("2015",), True),
    ("IS_DATESTRING", ("2015-10",), True),
    ("IS_DATESTRING", ("2015-02-31",), True),
    ("IS_DATESTRING", ("foo",), False),
    ("IS_DATESTRING", (1399472349522,), False),
    ("DATE_DAYOFWEEK", ("2020-08-29",), 6),
    ("DATE_DAYOFWEEK", (0,), 4),
    ("DATE_DAYOFWEEK", ("2023-03-25T23:00:00.000Z", "Europe/Berlin"), 0),
    ("DATE_YEAR", ("2020-08-29",), 2020),
    ("DATE_YEAR", (0,), 1970),
    ("DATE_YEAR", ("2023-12-31T23:00:00.000Z", "Europe/Berlin"), 2024),
    ("DATE_MONTH", (0,), 1),
    ("DATE_MONTH", ("2023-12-31T23:00:00.000Z", "Europe/Berlin"), 1),
    ("DATE_DAY", ("2020-08-29",), 29),
    ("DATE_HOUR", ("2020-08-29T16:30:05.123",), 16),
    ("DATE_HOUR", (14400000,), 4),
    ("DATE_HOUR", ("2023-12-31T23:00:00.000Z", "Europe/Berlin"), 0),
    ("DATE_MINUTE", (2520000,), 42),
    ("DATE_MINUTE", ("2023-12-31T23:00:00.000Z", "Asia/Kathmandu"), 45),
    ("DATE_SECOND", (1234567890,), 7),
    ("DATE_MILLISECOND", ("2020-08-29T16:30:05.123",), 123),
    ("DATE_MILLISECOND", (1234567890,), 890),
    ("DATE_DAYOFYEAR", ("2020-08-29",), 242),
    ("DATE_DAYOFYEAR", (86400000,), 2),
    ("DATE_ISOWEEK", ("2020-08-29",), 35),
    ("DATE_ISOWEEK", (1234567890,), 3),
    ("DATE_ISOWEEKYEAR", ("2023-01-01",), {"week": 52, "year": 2022}),
    ("DATE_ISOWEEKYEAR", ("2019-12-30",), {"week": 1, "year": 2020}),
    ("DATE_LEAPYEAR", ("2020-01-01",), True),
    ("DATE_LEAPYEAR", ("2021-01-01",), False),
    ("DATE_LEAPYEAR", ("2016-12-31T23:00:00.000Z", "Europe/Berlin"), False),
    ("DATE_QUARTER", ("2020-08-29",), 3),
    ("DATE_QUARTER", ("2023-12-31T23:00:00.000Z", "Europe/Berlin"), 1),
    ("DATE_DAYS_IN_MONTH", ("2020-08-01",), 31),
    ("DATE_DAYS_IN_MONTH", ("2020-09-01",), 30),
    ("DATE_DAYS_IN_MONTH", ("2020-02-01",), 29),
    ("DATE_DAYS_IN_MONTH", ("2021-02-01",), 28),
    ("DATE_DAYS_IN_MONTH", ("2023-11-30T23:00:00.000Z", "Europe/Berlin"), 31),
    ("DATE_ADD", ("2023-03-25T23:00:00.000Z", 1, "day"), "2023-03-26T23:00:00.000Z"),
    (
        "DATE_ADD",
        ("2023-03-25T23:00:00.000Z", 1, "day", "Europe/Berlin"),
        "2023-03-26T22:00:00.000Z",
    ),
    ("DATE_ADD", ("2015-04-01", 61, "months"), "2020-05-01T00:00:00.000Z"),
    ("DATE_ADD", ("2000-01-01", "PT4H"), "2000-01-01T04:00:00.000Z"),
    ("DATE_ADD", ("2000-01-01", "PT30M44.4S"), "2000-01-01T00:30:44.400Z"),
    ("DATE_ADD", ("2000-01-01", "P1Y2M3W4DT5H6M7.89S"), "2001-03-26T05:06:07.890Z"),
    ("DATE_SUBTRACT", ("2000-01-05", "P4D"), "2000-01-01T00:00:00.000Z"),
    ("DATE_SUBTRACT", ("2000-01-01", 1, "day"), "1999-12-31T00:00:00.000Z"),
    ("DATE_DIFF", ("2023-12-01", "2024-04-01", "days"), 122),
    (
        "DATE_DIFF",
        (
            "2024-01-01T00:00:00.000Z",
            "2024-01-01T00:00:00.000Z",
            "hours",
            True,
            "Asia/Kathmandu",
            "America/Los_Angeles",
        ),
        -13.75,
    ),
    ("DATE_DIFF", ("2023-03-25T23:00:00.000Z", "2023-03-26T23:00:00.000Z", "hours"), 24),
    (
        "DATE_DIFF",
        ("2023-03-25T23:00:00.000Z", "2023-03-26T23:00:00.000Z", "hours", "Europe/Berlin"),
        25,
    ),
    (
        "DATE_COMPARE",
        ("2001-01-01T15:30:45.678Z", "2001-01-01T08:08:08.008Z", "years", "days"),
        True,
    ),
    (
        "DATE_COMPARE",
        ("2023-04-01T09:00:00.000Z", "2024-04-01T18:00:00.000Z", "hour", "minute"),
        False,
    ),
    (
        "DATE_COMPARE",
        (
            "2023-04-01T09:00:00.000Z",
            "2024-04-01T18:00:00.000Z",
            "hour",
            "minute",
            "Europe/Berlin",
            "America/Los_Angeles",
        ),
        True,
    ),
    ("DATE_FORMAT", ("1969", "Summer of '%yy"), "Summer of '69"),
    ("DATE_FORMAT", ("2016", "%%l = %l"), "%l = 1"),
    (
        "DATE_FORMAT",
        ("2014-05-07T14:19:09.522Z", "%dd.%mm.%yyyy %hh:%ii:%ss,%fff"),
        "07.05.2014 14:19:09,522",
    ),
    (
        "DATE_FORMAT",
        ("2014-05-07T14:19:09.522Z", "%www %wwww %mmm %mmmm %q %k %a %m%&month"),
        "Wed Wednesday May May 2 19 31 5month",
    ),
    ("DATE_FORMAT", ("2023-03-25T23:00:00.000Z", "%w", "Europe/Berlin"), "0"),
    ("DATE_TRUNC", ("2017-02-03", "month"), "2017-02-01T00:00:00.000Z"),
    ("DATE_TRUNC", ("2017-02-03 04:05:06", "hours"), "2017-02-03T04:00:00.000Z"),
    ("DATE_TRUNC", ("2023-03-25 23:00:00", "day"), "2023-03-25T00:00:00.000Z"),
    ("DATE_TRUNC", ("2023-03-25 23:00:00", "day", "Europe/Berlin"), "2023-03-25T23:00:00.000Z"),
    ("DATE_ROUND", ("2000-04-28T11:11:11.111Z", 1, "day"), "2000-04-28T00:00:00.000Z"),
    ("DATE_ROUND", ("2000-04-10T11:39:29Z", 15, "minutes"), "2000-04-10T11:30:00.000Z"),
    (
        "DATE_ROUND",
        ("2023-03-25T23:55:55.555Z", 1, "day", "Europe/Berlin"),
        "2023-03-25T23:00:00.000Z",
    ),
    ("DATE_ROUND", ("2019-12-04T21:17:52.583Z", 5, "minutes"), "2019-12-04T21:15:00.000Z"),
    ("DATE_UTCTOLOCAL", ("2020-03-15T00:00:00.000", "Europe/Berlin"), "2020-03-15T01:00:00.000"),
    ("DATE_UTCTOLOCAL", ("2020-03-15T00:00:00.000", "America/New_York"), "2020-03-14T20:00:00.000"),
    ("DATE_UTCTOLOCAL", ("2020-03-15T00:00:00.000", "UTC"), "2020-03-15T00:00:00.000Z"),
    (
        "DATE_UTCTOLOCAL",
        ("2020-03-15T00:00:00.000-02:00", "Asia/Shanghai"),
        "2020-03-15T10:00:00.000",
    ),
    ("DATE_LOCALTOUTC", ("2020-03-15T00:00:00.000", "Asia/Shanghai"), "2020-03-14T16:00:00.000Z"),
    ("DATE_LOCALTOUTC", ("2021-03-16T12:00:00.000", "Africa/Lagos"), "2021-03-16T11:00:00.000Z"),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES)
def test_date_function(
    call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: Any
) -> None:
    assert call(name, *args) == expected


def test_date_now_uses_query_start(call: Callable[..., Any], ctx: MemoryContext) -> None:
    assert call("DATE_NOW", ctx=ctx) == ctx.now_ms


def test_zone_info_object(call: Callable[..., Any]) -> None:
    result = call("DATE_LOCALTOUTC", "2021-03-16T12:00:00.000", "Africa/Lagos", True)
    assert result["utc"] == "2021-03-16T11:00:00.000Z"
    assert result["zoneInfo"] == {
        "name": "WAT",
        "begin": "1919-08-31T23:30:00.000Z",
        "end": None,
        "dst": False,
        "offset": 3600,
    }
    assert isinstance(result["tzdb"], str)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("DATE_HOUR", ("foo",)),
        ("DATE_TIMESTAMP", (2016, 12, -1)),
        ("DATE_ISO8601", (253402300800000,)),
        ("DATE_YEAR", (None,)),
        ("DATE_ADD", ("9999-12-31", 1, "day")),
    ],
)
def test_invalid_dates_warn_1572(
    warns: Callable[..., int], name: str, args: tuple[Any, ...]
) -> None:
    assert warns(name, *args) == 1572


def test_unknown_unit_warns(warns: Callable[..., int]) -> None:
    assert warns("DATE_ADD", "2000-01-01", 1, "fortnight") == 1542


def test_unknown_timezone_is_an_error(call: Callable[..., Any]) -> None:
    from arangolite.errors import ArangoError

    with pytest.raises(ArangoError):
        call("DATE_UTCTOLOCAL", "2020-01-01", "Mars/Olympus")
