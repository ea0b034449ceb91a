"""Timezone conversion functions: DATE_UTCTOLOCAL, DATE_LOCALTOUTC, DATE_TIMEZONE(S)."""

from __future__ import annotations

import functools
import zoneinfo
from pathlib import Path
from typing import Any

from arangolite.aql.values import to_bool
from arangolite.functions import _datetime as dt
from arangolite.functions.registry import aql_function

_STEP_MS = 7 * dt.MS_PER_DAY
_SEARCH_STEPS = 52 * 250  # about 250 years each way


@functools.cache
def tzdb_version() -> str:
    """Version of the IANA database in use (e.g. ``"2025b"``), or ``"unknown"``."""
    for root in zoneinfo.TZPATH:
        path = Path(root) / "tzdata.zi"
        if path.is_file():
            first = path.read_text(encoding="utf-8").splitlines()[0]
            return first.removeprefix("# version ").strip()
    try:
        import tzdata

        return str(tzdata.IANA_VERSION)
    except ImportError:
        return "unknown"


def _state(tz: zoneinfo.ZoneInfo, ms: int) -> tuple[Any, ...]:
    try:
        local = dt.utc_datetime(ms).astimezone(tz)
    except OverflowError:
        return ()
    return (local.utcoffset(), local.dst(), local.tzname())


def _transition(tz: zoneinfo.ZoneInfo, ms: int, direction: int) -> int | None:
    """The nearest instant (in ``direction``) where the zone's offset, DST or name changes."""
    here = _state(tz, ms)
    inside = ms
    for _ in range(_SEARCH_STEPS):
        probe = inside + direction * _STEP_MS
        if _state(tz, probe) != here:
            break
        inside = probe
    else:
        return None
    lo_s, hi_s = min(inside, probe) // 1000, -(-max(inside, probe) // 1000)
    lo_side = _state(tz, lo_s * 1000)
    while hi_s - lo_s > 1:
        mid = (lo_s + hi_s) // 2
        if _state(tz, mid * 1000) == lo_side:
            lo_s = mid
        else:
            hi_s = mid
    return hi_s * 1000


def zone_info(tz: zoneinfo.ZoneInfo, ms: int) -> dict[str, Any]:
    """ArangoDB's ``zoneInfo`` object for instant ``ms``."""
    offset, dst, name = _state(tz, ms)
    begin, end = _transition(tz, ms, -1), _transition(tz, ms, 1)
    return {
        "name": name,
        "begin": None if begin is None else dt.iso(begin),
        "end": None if end is None else dt.iso(end),
        "dst": bool(dst),
        "offset": int(offset.total_seconds()),
    }


@aql_function("DATE_UTCTOLOCAL", 2, 3)
def date_utc_to_local(date: Any, tz_name: Any, with_info: Any = False) -> Any:
    """The local wall-clock time of a UTC date in ``timezone`` (no ``Z`` unless offset 0)."""
    tz = dt.zone(tz_name, "DATE_UTCTOLOCAL")
    ms = dt.to_ms(date)
    offset = dt.offset_at(tz, ms)
    local = dt.iso(ms + offset, zulu=offset == 0)
    if not to_bool(with_info):
        return local
    return {"local": local, "tzdb": tzdb_version(), "zoneInfo": zone_info(tz, ms)}


@aql_function("DATE_LOCALTOUTC", 2, 3)
def date_local_to_utc(date: Any, tz_name: Any, with_info: Any = False) -> Any:
    """The UTC time of a local wall-clock date in ``timezone``."""
    tz = dt.zone(tz_name, "DATE_LOCALTOUTC")
    ms = dt.checked(dt.from_local(dt.to_ms(date), tz))
    utc = dt.iso(ms)
    if not to_bool(with_info):
        return utc
    return {"utc": utc, "tzdb": tzdb_version(), "zoneInfo": zone_info(tz, ms)}


@aql_function("DATE_TIMEZONE", 0)
def date_timezone() -> str:
    """The server's timezone (arangolite always works in UTC)."""
    return "Etc/UTC"


@aql_function("DATE_TIMEZONES", 0)
def date_timezones() -> list[str]:
    """All known IANA timezone names, sorted."""
    return sorted(zoneinfo.available_timezones())
