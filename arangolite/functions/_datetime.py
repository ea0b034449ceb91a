"""Date/time core for the DATE_* functions: parsing, the proleptic Gregorian calendar on
millisecond timestamps, ISO 8601 output and IANA timezone conversion.

Timestamps are integer milliseconds since the Unix epoch (UTC). The calendar arithmetic is done
here (Howard Hinnant's civil-date algorithms) so year 0 works, which ``datetime`` cannot represent.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from arangolite.aql.values import is_number
from arangolite.errors import QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH, QUERY_INVALID_DATE_VALUE
from arangolite.errors import ArangoError as _ArangoError
from arangolite.functions._args import warning

MS_PER_SECOND = 1000
MS_PER_MINUTE = 60 * MS_PER_SECOND
MS_PER_HOUR = 60 * MS_PER_MINUTE
MS_PER_DAY = 24 * MS_PER_HOUR
MIN_MS = -62167219200000
MAX_MS = 253402300799999

_DATE_RE = re.compile(
    r"\s*([+-]?\d{1,6})(?:-(\d{1,2})(?:-(\d{1,2}))?)?"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Civil:
    """Calendar fields of a timestamp (in UTC or in some local time)."""

    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    millisecond: int
    weekday: int  # 0 = Sunday
    days: int  # days since the epoch


def invalid_date() -> Exception:
    """Warning 1572 (invalid date value)."""
    return warning(QUERY_INVALID_DATE_VALUE.num, QUERY_INVALID_DATE_VALUE.template)


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (days past month end overflow)."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """(year, month, day) of a day number since the epoch."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def civil(ms: int) -> Civil:
    """Calendar fields of a timestamp."""
    days, rest = divmod(ms, MS_PER_DAY)
    year, month, day = civil_from_days(days)
    hour, rest = divmod(rest, MS_PER_HOUR)
    minute, rest = divmod(rest, MS_PER_MINUTE)
    second, millisecond = divmod(rest, MS_PER_SECOND)
    return Civil(year, month, day, hour, minute, second, millisecond, (days + 4) % 7, days)


def from_fields(year: int, month: int, day: int, *time: int) -> int:
    """Timestamp of calendar fields; months, days and time parts may overflow."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    hour, minute, second, millisecond = (*time, 0, 0, 0, 0)[:4]
    days = days_from_civil(year, month, 1) + day - 1
    return (
        days * MS_PER_DAY
        + hour * MS_PER_HOUR
        + minute * MS_PER_MINUTE
        + second * 1000
        + millisecond
    )


def is_leap(year: int) -> bool:
    """Gregorian leap year rule."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """Number of days of a month."""
    return days_from_civil(year + month // 12, month % 12 + 1, 1) - days_from_civil(year, month, 1)


def _offset_ms(text: str | None) -> int:
    if text is None or text.upper() == "Z":
        return 0
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
    return sign * minutes * MS_PER_MINUTE


def parse_date_string(text: str) -> int | None:
    """Timestamp of an ISO 8601 date string (partial dates allowed); None if it is not one."""
    m = _DATE_RE.fullmatch(text)
    if m is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = m.groups()
    fields = [int(month or 1), int(day or 1), int(hour or 0), int(minute or 0), int(second or 0)]
    if not (1 <= fields[0] <= 12 and 1 <= fields[1] <= 31 and fields[2] <= 24):
        return None
    if fields[3] > 59 or fields[4] > 59:
        return None
    millis = int((fraction or "0")[:3].ljust(3, "0"))
    return from_fields(int(year), *fields, millis) - _offset_ms(offset)


def to_ms(value: Any) -> int:
    """Timestamp of a date argument (number or string); warning 1572 if invalid or out of range."""
    if is_number(value) and value == value:
        ms = int(value)
    elif type(value) is str:
        parsed = parse_date_string(value)
        if parsed is None:
            raise invalid_date()
        ms = parsed
    else:
        raise invalid_date()
    if not MIN_MS <= ms <= MAX_MS:
        raise invalid_date()
    return ms


def checked(ms: int) -> int:
    """The timestamp if it lies in the valid range; warning 1572 otherwise."""
    if not MIN_MS <= ms <= MAX_MS:
        raise invalid_date()
    return ms


def _format_year(year: int) -> str:
    if 0 <= year <= 9999:
        return f"{year:04d}"
    return f"{'-' if year < 0 else '+'}{abs(year):06d}"


def iso(ms: int, zulu: bool = True) -> str:
    """ISO 8601 string with milliseconds (``Z``-suffixed unless ``zulu`` is false)."""
    c = civil(ms)
    text = (
        f"{_format_year(c.year)}-{c.month:02d}-{c.day:02d}T{c.hour:02d}:{c.minute:02d}:"
        f"{c.second:02d}.{c.millisecond:03d}"
    )
    return text + "Z" if zulu else text


def zone(name: Any, fname: str) -> zoneinfo.ZoneInfo:
    """The IANA timezone ``name``; an error if it is unknown (as in ArangoDB)."""
    try:
        if type(name) is not str or not name:
            raise KeyError(name)
        return zoneinfo.ZoneInfo(name)
    except (KeyError, ValueError, zoneinfo.ZoneInfoNotFoundError) as exc:
        raise _ArangoError(QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH, fname) from exc


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utc_datetime(ms: int) -> datetime:
    """An aware UTC datetime of a timestamp (years 1..9999)."""
    return _EPOCH + timedelta(milliseconds=ms)


def offset_at(tz: zoneinfo.ZoneInfo, ms: int) -> int:
    """UTC offset of ``tz`` at instant ``ms``, in milliseconds."""
    try:
        offset = utc_datetime(ms).astimezone(tz).utcoffset()
    except OverflowError:
        return 0
    return 0 if offset is None else int(offset.total_seconds() * 1000)


def to_local(ms: int, tz: zoneinfo.ZoneInfo | None) -> int:
    """Wall-clock time of instant ``ms`` in ``tz``, expressed as a UTC-like timestamp."""
    return ms if tz is None else ms + offset_at(tz, ms)


def from_local(local_ms: int, tz: zoneinfo.ZoneInfo | None) -> int:
    """The instant whose wall-clock time in ``tz`` is ``local_ms`` (earlier one when ambiguous)."""
    if tz is None:
        return local_ms
    try:
        naive = utc_datetime(local_ms).replace(tzinfo=None)
        offset = naive.replace(tzinfo=tz).utcoffset()
    except OverflowError:
        return local_ms
    return local_ms - (0 if offset is None else int(offset.total_seconds() * 1000))


def optional_zone(name: Any, fname: str) -> zoneinfo.ZoneInfo | None:
    """``zone(name)`` for a given timezone argument, None when it is absent or null."""
    return None if name is None else zone(name, fname)
