"""Date functions that work on calendar fields: DATE_FORMAT, DATE_TRUNC, DATE_ROUND and
DATE_COMPARE."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from arangolite.aql.values import is_number
from arangolite.functions import _datetime as dt
from arangolite.functions._args import type_warning
from arangolite.functions.dates import UNIT_MS, iso_week, local_civil, unit
from arangolite.functions.registry import aql_function

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
_PLACEHOLDER_RE = re.compile(
    r"%(yyyyyy|yyyy|yy|y|mmmm|mmm|mm|m|dd|d|hh|h|ii|i|ss|s|fff|f|xxx|x|kk|k|wwww|www|w"
    r"|l|q|a|t|z|&|%)?",
    re.IGNORECASE,
)


def _signed_year(year: int) -> str:
    return f"{'-' if year < 0 else '+'}{abs(year):06d}"


def _year4(year: int) -> str:
    return f"{year:04d}" if 0 <= year <= 9999 else _signed_year(year)


_FORMATTERS: dict[str, Callable[[dt.Civil, int], str]] = {
    "t": lambda c, ms: str(ms),
    "z": lambda c, ms: dt.iso(c.days * dt.MS_PER_DAY + _ms_of_day(c)),
    "w": lambda c, ms: str(c.weekday),
    "www": lambda c, ms: _WEEKDAYS[c.weekday][:3],
    "wwww": lambda c, ms: _WEEKDAYS[c.weekday],
    "y": lambda c, ms: str(c.year),
    "yy": lambda c, ms: ("-" if c.year < 0 else "") + f"{abs(c.year) % 100:02d}",
    "yyyy": lambda c, ms: _year4(c.year),
    "yyyyyy": lambda c, ms: _signed_year(c.year),
    "m": lambda c, ms: str(c.month),
    "mm": lambda c, ms: f"{c.month:02d}",
    "mmm": lambda c, ms: _MONTHS[c.month - 1][:3],
    "mmmm": lambda c, ms: _MONTHS[c.month - 1],
    "d": lambda c, ms: str(c.day),
    "dd": lambda c, ms: f"{c.day:02d}",
    "h": lambda c, ms: str(c.hour),
    "hh": lambda c, ms: f"{c.hour:02d}",
    "i": lambda c, ms: str(c.minute),
    "ii": lambda c, ms: f"{c.minute:02d}",
    "s": lambda c, ms: str(c.second),
    "ss": lambda c, ms: f"{c.second:02d}",
    "f": lambda c, ms: str(c.millisecond),
    "fff": lambda c, ms: f"{c.millisecond:03d}",
    "x": lambda c, ms: str(_day_of_year(c)),
    "xxx": lambda c, ms: f"{_day_of_year(c):03d}",
    "k": lambda c, ms: str(iso_week(c)[0]),
    "kk": lambda c, ms: f"{iso_week(c)[0]:02d}",
    "l": lambda c, ms: "1" if dt.is_leap(c.year) else "0",
    "q": lambda c, ms: str((c.month - 1) // 3 + 1),
    "a": lambda c, ms: str(dt.days_in_month(c.year, c.month)),
    "&": lambda c, ms: "",
    "%": lambda c, ms: "%",
}


def _ms_of_day(c: dt.Civil) -> int:
    return ((c.hour * 60 + c.minute) * 60 + c.second) * 1000 + c.millisecond


def _day_of_year(c: dt.Civil) -> int:
    return c.days - dt.days_from_civil(c.year, 1, 1) + 1


@aql_function("DATE_FORMAT", 2, 3)
def date_format(date: Any, fmt: Any, tz_name: Any = None) -> str:
    """Format ``date`` with ``%`` placeholders (see the ArangoDB manual), optionally in a zone."""
    if type(fmt) is not str:
        raise type_warning("DATE_FORMAT")
    ms = dt.to_ms(date)
    c = local_civil(date, tz_name, "DATE_FORMAT")

    def replace(m: re.Match[str]) -> str:
        token = m.group(1)
        return "" if token is None else _FORMATTERS[token.lower()](c, ms)

    return _PLACEHOLDER_RE.sub(replace, fmt)


def _truncated(c: dt.Civil, letter: str) -> int:
    fields = [c.year, c.month, c.day, c.hour, c.minute, c.second, c.millisecond]
    keep = "ymdhisf".index(letter) + 1
    defaults = [0, 1, 1, 0, 0, 0, 0]
    return dt.from_fields(*fields[:keep], *defaults[keep:])


@aql_function("DATE_TRUNC", 2, 3)
def date_trunc(date: Any, unit_name: Any, tz_name: Any = None) -> str:
    """``date`` truncated to ``unit`` (y m d h i s f), optionally in a timezone."""
    letter = unit(unit_name, "DATE_TRUNC")
    if letter == "w":
        raise type_warning("DATE_TRUNC")
    tz = dt.optional_zone(tz_name, "DATE_TRUNC")
    local = dt.to_local(dt.to_ms(date), tz)
    return dt.iso(dt.from_local(_truncated(dt.civil(local), letter), tz))


@aql_function("DATE_ROUND", 3, 4)
def date_round(date: Any, amount: Any, unit_name: Any, tz_name: Any = None) -> str:
    """``date`` rounded down to a multiple of ``amount`` ``unit``s (d h i s f)."""
    letter = unit(unit_name, "DATE_ROUND")
    if letter not in "dhisf" or not is_number(amount) or amount != int(amount) or amount < 1:
        raise type_warning("DATE_ROUND")
    tz = dt.optional_zone(tz_name, "DATE_ROUND")
    local = dt.to_local(dt.to_ms(date), tz)
    bucket = int(amount) * UNIT_MS[letter]
    return dt.iso(dt.from_local(local - local % bucket, tz))


_COMPARE_ORDER = "ymdhisf"


@aql_function("DATE_COMPARE", 3, 6)
def date_compare(
    date1: Any, date2: Any, start: Any, end: Any = None, tz1: Any = None, tz2: Any = None
) -> bool:
    """Whether the calendar fields from ``start`` to ``end`` unit agree (optionally per zone)."""
    first = _COMPARE_ORDER.index(unit(start, "DATE_COMPARE").replace("w", "d"))
    last = first if end is None else _COMPARE_ORDER.index(unit(end, "DATE_COMPARE"))
    if last < first:
        raise type_warning("DATE_COMPARE")
    c1 = local_civil(date1, tz1, "DATE_COMPARE")
    c2 = local_civil(date2, tz2 if tz2 is not None else tz1, "DATE_COMPARE")
    names = ("year", "month", "day", "hour", "minute", "second", "millisecond")
    return all(getattr(c1, n) == getattr(c2, n) for n in names[first : last + 1])
