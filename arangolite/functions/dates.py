"""Date functions: DATE_NOW, conversions, component extraction, DATE_ADD/SUBTRACT and DATE_DIFF.

See ``_datetime`` for the representation. Invalid dates give null and warning 1572.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from arangolite.aql.values import AqlWarning, is_number, to_bool, to_number
from arangolite.functions import _datetime as dt
from arangolite.functions._args import arg, type_warning
from arangolite.functions.registry import FunctionContext, aql_function

YEAR_MS = 31556952000  # 365.2425 days
MONTH_MS = YEAR_MS // 12
UNIT_MS = {
    "w": 7 * dt.MS_PER_DAY,
    "d": dt.MS_PER_DAY,
    "h": dt.MS_PER_HOUR,
    "i": dt.MS_PER_MINUTE,
    "s": dt.MS_PER_SECOND,
    "f": 1,
}
_UNITS = {
    **dict.fromkeys(("y", "year", "years"), "y"),
    **dict.fromkeys(("m", "month", "months"), "m"),
    **dict.fromkeys(("w", "week", "weeks"), "w"),
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("h", "hour", "hours"), "h"),
    **dict.fromkeys(("i", "minute", "minutes"), "i"),
    **dict.fromkeys(("s", "second", "seconds"), "s"),
    **dict.fromkeys(("f", "millisecond", "milliseconds"), "f"),
}
_DURATION_RE = re.compile(
    r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
    r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?"
)


def unit(value: Any, fname: str) -> str:
    """Canonical one-letter unit (y m w d h i s f); warning 1542 if unknown."""
    canonical = _UNITS.get(value.lower()) if type(value) is str else None
    if canonical is None:
        raise type_warning(fname)
    return canonical


def local_civil(date: Any, tz_name: Any, fname: str) -> dt.Civil:
    """Calendar fields of ``date`` in timezone ``tz_name`` (UTC when null)."""
    ms = dt.to_ms(date)
    return dt.civil(dt.to_local(ms, dt.optional_zone(tz_name, fname)))


@aql_function("DATE_NOW", 0, context=True, deterministic=False)
def date_now(ctx: FunctionContext) -> int:
    """The query's start time as a timestamp."""
    return ctx.now_ms


def _components_ms(args: tuple[Any, ...], fname: str) -> int:
    if len(args) == 1:
        return dt.to_ms(args[0])
    if len(args) < 3 or not all(is_number(a) and a >= 0 for a in args if a is not None):
        raise dt.invalid_date()  # year and month without a day (found by bench_fuzz --seed 57)
    fields = [int(to_number(a)) for a in args]
    return dt.checked(dt.from_fields(*fields))


@aql_function("DATE_TIMESTAMP", 1, 7)
def date_timestamp(*args: Any) -> int:
    """Timestamp of a date, or of year, month, day[, hour, minute, second, millisecond]."""
    return _components_ms(args, "DATE_TIMESTAMP")


@aql_function("DATE_ISO8601", 1, 7)
def date_iso8601(*args: Any) -> str:
    """ISO 8601 UTC string of a date, or of its components."""
    return dt.iso(_components_ms(args, "DATE_ISO8601"))


@aql_function("IS_DATESTRING", 1)
def is_datestring(value: Any) -> bool:
    """Whether the value is a string usable as a date."""
    return type(value) is str and dt.parse_date_string(value) is not None


def iso_week(c: dt.Civil) -> tuple[int, int]:
    """(ISO week number, ISO week-based year)."""
    iso_weekday = (c.weekday + 6) % 7 + 1
    thursday = c.days + 4 - iso_weekday
    year = dt.civil_from_days(thursday)[0]
    return (thursday - dt.days_from_civil(year, 1, 1)) // 7 + 1, year


def _day_of_year(c: dt.Civil) -> int:
    return c.days - dt.days_from_civil(c.year, 1, 1) + 1


_COMPONENTS: dict[str, tuple[Callable[[dt.Civil], Any], bool]] = {
    "DATE_DAYOFWEEK": (lambda c: c.weekday, True),
    "DATE_YEAR": (lambda c: c.year, True),
    "DATE_MONTH": (lambda c: c.month, True),
    "DATE_DAY": (lambda c: c.day, True),
    "DATE_HOUR": (lambda c: c.hour, True),
    "DATE_MINUTE": (lambda c: c.minute, True),
    "DATE_SECOND": (lambda c: c.second, False),
    "DATE_MILLISECOND": (lambda c: c.millisecond, False),
    "DATE_DAYOFYEAR": (_day_of_year, True),
    "DATE_ISOWEEK": (lambda c: iso_week(c)[0], True),
    "DATE_ISOWEEKYEAR": (lambda c: dict(zip(("week", "year"), iso_week(c), strict=True)), True),
    "DATE_LEAPYEAR": (lambda c: dt.is_leap(c.year), True),
    "DATE_QUARTER": (lambda c: (c.month - 1) // 3 + 1, True),
    "DATE_DAYS_IN_MONTH": (lambda c: dt.days_in_month(c.year, c.month), True),
}


def _register_component(name: str, extract: Callable[[dt.Civil], Any], zoned: bool) -> None:
    def impl(date: Any, tz_name: Any = None) -> Any:
        return extract(local_civil(date, tz_name, name))

    impl.__doc__ = f"AQL {name}(): a calendar component of the date (optionally in a timezone)."
    aql_function(name, 1, 2 if zoned else 1)(impl)


for _name, (_extract, _zoned) in _COMPONENTS.items():
    _register_component(_name, _extract, _zoned)


def add_months(local_ms: int, months: int) -> int:
    """Add calendar months; a day past the new month's end overflows into the next month."""
    c = dt.civil(local_ms)
    day_ms = local_ms - c.days * dt.MS_PER_DAY
    return dt.from_fields(c.year, c.month + months, c.day) + day_ms


def _add_amount(local_ms: int, amount: float, unit_letter: str) -> int:
    if unit_letter in ("y", "m"):
        months = amount * 12 if unit_letter == "y" else amount
        whole = int(months)
        return add_months(local_ms, whole) + round((months - whole) * MONTH_MS)
    return local_ms + round(amount * UNIT_MS[unit_letter])


def _add_duration(local_ms: int, text: str, sign: int, fname: str) -> int:
    m = _DURATION_RE.fullmatch(text)
    if m is None or text in ("P", "PT") or text.endswith("T"):
        raise type_warning(fname)
    y, mo, w, d, h, mi, s = (float(g) if g else 0.0 for g in m.groups())
    result = add_months(local_ms, sign * int(y * 12 + mo))
    millis = ((w * 7 + d) * 24 + h) * dt.MS_PER_HOUR + mi * dt.MS_PER_MINUTE + s * 1000
    return result + sign * round(millis)


def shift_by_duration(ms: int, duration: str, sign: int) -> int | None:
    """``ms`` moved by an ISO 8601 duration (UTC calendar arithmetic); None if it is invalid."""
    try:
        return _add_duration(ms, duration, sign, "WINDOW")
    except AqlWarning:
        return None


def _shift(fname: str, sign: int, date: Any, amount: Any, rest: tuple[Any, ...]) -> str:
    ms = dt.to_ms(date)
    duration = type(amount) is str and amount.upper().startswith("P")
    tz = dt.optional_zone(arg(rest, 0 if duration else 1), fname)
    local = dt.to_local(ms, tz)
    if duration:
        local = _add_duration(local, amount.upper(), sign, fname)
    else:
        if not (is_number(amount) or type(amount) is str):
            raise type_warning(fname)
        local = _add_amount(local, sign * float(to_number(amount)), unit(arg(rest, 0), fname))
    return dt.iso(dt.checked(dt.from_local(local, tz)))


@aql_function("DATE_ADD", 2, 4)
def date_add(date: Any, amount: Any, *rest: Any) -> str:
    """``date`` plus ``amount`` ``unit``s (or an ISO 8601 duration), optionally in a timezone."""
    return _shift("DATE_ADD", 1, date, amount, rest)


@aql_function("DATE_SUBTRACT", 2, 4)
def date_subtract(date: Any, amount: Any, *rest: Any) -> str:
    """``date`` minus ``amount`` ``unit``s (or an ISO 8601 duration), optionally in a timezone."""
    return _shift("DATE_SUBTRACT", -1, date, amount, rest)


@aql_function("DATE_DIFF", 3, 6)
def date_diff(date1: Any, date2: Any, unit_name: Any, *rest: Any) -> int | float:
    """``date2 - date1`` in ``unit`` (truncated unless ``asFloat``), in optional timezones."""
    letter = unit(unit_name, "DATE_DIFF")
    if type(arg(rest, 0)) is str:
        rest = (False, *rest)
    as_float = to_bool(arg(rest, 0, False))
    tz1 = dt.optional_zone(arg(rest, 1), "DATE_DIFF")
    tz2 = dt.optional_zone(arg(rest, 2), "DATE_DIFF") if arg(rest, 2) is not None else tz1
    delta = dt.to_local(dt.to_ms(date2), tz2) - dt.to_local(dt.to_ms(date1), tz1)
    per_unit = {"y": YEAR_MS, "m": MONTH_MS}.get(letter) or UNIT_MS[letter]
    result = delta / per_unit
    return result if as_float else int(result)
