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
_CLAMP = 2**38  # doubles read within 2**-40 of themselves are within 1/4 of a whole number here


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

    AQL converts null, bools, strings, arrays and objects to numbers for ``%`` and rounds an
    integer beyond 2**53 to a double first; SQLite's ``%`` is of integers (C's, with the sign of
    the dividend, as AQL's ``fmod`` of doubles, exactly within +-2**53). With a whole result
    ``0 <= result < |divisor| <= 2**38`` (what a remainder of a whole number can be) the value
    is read once (:func:`_clamped_remainder`); otherwise only JSON integers within +-2**53 are
    tested and every other value is kept (three reads for a row that fails).
    """
    divisor, result = value
    if type(divisor) is not int or not 0 < abs(divisor) <= _EXACT or not is_number(result):
        return None
    if abs(divisor) <= _CLAMP and result == int(result) and 0 <= result < abs(divisor):
        return _clamped_remainder(json_path, divisor, int(result))
    return (  # (the likely test first: OR stops at the first true term)
        "(json_extract(doc, ?) % ? = ? OR json_type(doc, ?) IS NOT 'integer'"
        " OR json_extract(doc, ?) NOT BETWEEN ? AND ?)",
        [json_path, divisor, result, json_path, json_path, -_EXACT, _EXACT],
    )


def _clamped_remainder(json_path: str, divisor: int, result: int) -> Clause:
    """``% divisor == result``, ``0 <= result < |divisor| <= 2**38``, in one JSON read a row:
    ``ifnull(round(max(min(x, high), -high)) % divisor, 0) = result``, ``high`` the largest
    number up to 2**38 whose remainder is ``result``.

    - a number within +-``high`` (bools are 1 / 0): ``round`` gives a whole number exactly; a
      stored double that AQL finds whole is read within 2**-40 of itself (see
      ``prefilter_match``), less than 1/4 here, so rounds back to itself; one that is not whole
      has no whole remainder;
    - a number above ``high`` and every TEXT (strings, arrays, objects: SQLite orders TEXT above
      every number) become ``high``: kept;
    - a number below ``-high`` becomes ``-high``, whose remainder is ``-result``: kept when
      ``result`` is 0, and AQL's remainder of a negative number is never positive;
    - null or missing (NULL: ``min`` and ``max`` of a NULL are NULL) is 0, as in AQL.
    """
    high = _CLAMP - (_CLAMP - result) % abs(divisor)
    return (
        "ifnull(round(max(min(json_extract(doc, ?), ?), ?)) % ?, 0) = ?",
        [json_path, high, -high, divisor, result],
    )
