"""Prefilter clauses for order: range bounds (numbers and strings) and ``x % n == c``.

Each returns ``(sql, params)`` keeping a superset of the documents whose value at ``json_path``
satisfies the AQL condition, or None when that is not clear (see :mod:`.prefilter`). AQL's type
order is null < bool < number < string < array < object; ``json_extract`` gives null (and a
missing value) as NULL, bools as 1 / 0, numbers as numbers, strings as TEXT and arrays and
objects as their JSON TEXT, and SQLite orders every number below every TEXT.
"""

from __future__ import annotations

from typing import Any

from arangolite.storage.prefilter_match import is_number, number_margin

__all__ = ["lower", "remainder", "upper"]

Clause = tuple[str, list[Any]]
_EXACT = 2**53  # integers up to this are exact doubles: AQL's % (fmod of doubles) is exact there


def _bindable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return "\x00" not in text


def lower(json_path: str, value: Any) -> Clause | None:
    """``>= value`` (also standing for ``>``): a number or a string without NUL.

    For a number, strings, arrays and objects (TEXT) stay above it; bools (1 / 0) can only add
    rows. For a string, arrays and objects are kept: by their JSON text (``[...`` / ``{...``)
    when the bound is at most ``"["``, else by ``json_type``; every string is compared
    as TEXT, UTF-8 bytes in code point order as AQL compares. ``json_extract`` cuts a string at
    a ``\\u0000``: that prefix is still ``>=`` a bound without NUL that the whole string is
    ``>=``.
    """
    if is_number(value):
        return "json_extract(doc, ?) >= ?", [json_path, value - number_margin(value)]
    if type(value) is str and _bindable(value):
        if value <= "[":  # the JSON text of every array ("[") and object ("{") is >= value
            return "json_extract(doc, ?) >= ?", [json_path, value]
        return (
            "(json_extract(doc, ?) >= ? OR json_type(doc, ?) IN ('array', 'object'))",
            [json_path, value, json_path],
        )
    return None


def upper(json_path: str, value: Any) -> Clause | None:
    """``<= value`` (also standing for ``<``): a number or a string without NUL.

    null and missing values (NULL in SQL) are kept; for a number bools too (as 1 / 0 when the
    widened bound is at least 1, else by ``json_type``); for
    a string every number and bool is below any TEXT, and a string cut at a ``\\u0000`` is a
    prefix of it, so no greater.
    """
    if is_number(value):
        high = value + number_margin(value)
        if high >= 1:  # bools (1 / 0 from json_extract) are below it anyway: one JSON read
            return "ifnull(json_extract(doc, ?) <= ?, 1)", [json_path, high]
        return (
            "(coalesce(json_type(doc, ?), 'null') IN ('null', 'true', 'false')"
            " OR json_extract(doc, ?) <= ?)",
            [json_path, json_path, high],
        )
    if type(value) is str and _bindable(value):
        return "ifnull(json_extract(doc, ?) <= ?, 1)", [json_path, value]
    return None


def remainder(json_path: str, value: Any) -> Clause | None:
    """``% divisor == result`` for ``value == (divisor, result)``: an int divisor, 0 < |divisor|
    <= 2**53, and a number result.

    Only JSON integers within +-2**53 are tested (SQLite's ``%`` of integers is C's, with the
    sign of the dividend, as AQL's ``fmod`` of doubles, exactly there); every other value is
    kept: AQL converts null, bools, strings, arrays and objects to numbers for ``%``, and an
    integer beyond 2**53 is rounded to a double first.
    """
    divisor, result = value
    if type(divisor) is not int or not 0 < abs(divisor) <= _EXACT or not is_number(result):
        return None
    return (  # (the likely test first: OR stops at the first true term)
        "(json_extract(doc, ?) % ? = ? OR json_type(doc, ?) IS NOT 'integer'"
        " OR json_extract(doc, ?) NOT BETWEEN ? AND ?)",
        [json_path, divisor, result, json_path, json_path, -_EXACT, _EXACT],
    )
