"""String functions: CONCAT, SUBSTRING, TRIM, SPLIT, SUBSTITUTE, FIND_FIRST and friends.

Positions and lengths count Unicode characters (code points), except in SUBSTRING_BYTES.
"""

from __future__ import annotations

import re
from typing import Any

from arangolite.aql import limits
from arangolite.aql.values import is_number, to_bool, to_number
from arangolite.errors import RESOURCE_LIMIT, ArangoError
from arangolite.functions._args import arg, int_arg, string_arg, type_warning
from arangolite.functions.registry import aql_function

_WHITESPACE = " \t\r\n"


@aql_function("CHAR_LENGTH", 1)
def char_length(value: Any) -> int:
    """Number of characters of the value's string form."""
    return len(string_arg(value))


def _concat_parts(values: list[Any]) -> list[str]:
    return [string_arg(v) for v in values if v is not None]


@aql_function("CONCAT", 1, None)
def concat(*values: Any) -> str:
    """Concatenate the values (or the members of a single array argument); nulls are skipped."""
    items = values[0] if len(values) == 1 and type(values[0]) is list else list(values)
    return "".join(_concat_parts(items))


@aql_function("CONCAT_SEPARATOR", 2, None)
def concat_separator(separator: Any, *values: Any) -> str:
    """Join the values with ``separator``; nulls are skipped.

    A single array argument contributes its members; with several arguments, arrays and objects
    are JSON-encoded in their entirety (as ArangoDB 3.12 does).
    """
    items = values[0] if len(values) == 1 and type(values[0]) is list else list(values)
    return string_arg(separator).join(_concat_parts(items))


@aql_function("LOWER", 1)
def lower(value: Any) -> str:
    """Lower-case form of the value's string form."""
    return string_arg(value).lower()


@aql_function("UPPER", 1)
def upper(value: Any) -> str:
    """Upper-case form of the value's string form."""
    return string_arg(value).upper()


@aql_function("SUBSTRING", 2, 3)
def substring(value: Any, offset: Any, length: Any = None) -> str:
    """``length`` characters starting at ``offset`` (negative offsets count from the end)."""
    text = string_arg(value)
    start = int_arg(offset)
    if start < 0:
        start = max(0, len(text) + start)
    if length is None:
        return text[start:]
    count = int_arg(length)
    return text[start : start + count] if count > 0 else ""


def _is_boundary(data: bytes, index: int) -> bool:
    return index in (0, len(data)) or (data[index] & 0xC0) != 0x80


@aql_function("SUBSTRING_BYTES", 2, 5)
def substring_bytes(value: Any, offset: Any, length: Any = None, *extend: Any) -> str:
    """Byte-based substring, widened by ``left``/``right`` characters; null if it splits a char."""
    data = string_arg(value).encode("utf-8")
    start = int_arg(offset)
    if start < 0:
        start = max(0, len(data) + start)
    start = min(start, len(data))
    end = len(data) if length is None else min(len(data), start + max(0, int_arg(length)))
    if not (_is_boundary(data, start) and _is_boundary(data, end)):
        raise type_warning("SUBSTRING_BYTES")
    left, right = max(0, int_arg(arg(extend, 0, 0))), max(0, int_arg(arg(extend, 1, 0)))
    prefix = data[:start].decode("utf-8")
    suffix = data[end:].decode("utf-8")
    return (
        prefix[len(prefix) - min(left, len(prefix)) :] + data[start:end].decode() + suffix[:right]
    )


@aql_function("LEFT", 2)
def left(value: Any, n: Any) -> str:
    """The first ``n`` characters."""
    count = int_arg(n)
    return string_arg(value)[:count] if count > 0 else ""


@aql_function("RIGHT", 2)
def right(value: Any, n: Any) -> str:
    """The last ``n`` characters."""
    count = int_arg(n)
    return string_arg(value)[-count:] if count > 0 else ""


def _trim_chars(chars: Any) -> str:
    return _WHITESPACE if chars is None else string_arg(chars)


@aql_function("TRIM", 1, 2)
def trim(value: Any, how: Any = None) -> str:
    """Strip whitespace (or ``chars``) from both ends; a numeric ``how`` 1/2 strips left/right."""
    text = string_arg(value)
    if is_number(how):
        mode = int(how)
        if mode == 1:
            return text.lstrip(_WHITESPACE)
        if mode == 2:
            return text.rstrip(_WHITESPACE)
        return text.strip(_WHITESPACE)
    return text.strip(_trim_chars(how))


@aql_function("LTRIM", 1, 2)
def ltrim(value: Any, chars: Any = None) -> str:
    """Strip whitespace (or ``chars``) from the start."""
    return string_arg(value).lstrip(_trim_chars(chars))


@aql_function("RTRIM", 1, 2)
def rtrim(value: Any, chars: Any = None) -> str:
    """Strip whitespace (or ``chars``) from the end."""
    return string_arg(value).rstrip(_trim_chars(chars))


def _split_pattern(separator: Any) -> str | None:
    """Regex for the separator(s); "" means split into characters, None means no splitting."""
    if type(separator) is str:
        return re.escape(separator)
    if type(separator) is not list:
        return None
    if any(type(s) is not str or s == "" for s in separator):
        return ""  # as in ArangoDB, one empty separator rules them all
    return "|".join(re.escape(s) for s in separator)


@aql_function("SPLIT", 1, 3)
def split(value: Any, separator: Any = None, limit: Any = None) -> list[str]:
    """Split at ``separator`` (a string or an array of strings), keeping at most ``limit`` parts."""
    text = string_arg(value)
    pattern = _split_pattern(separator)
    if pattern is None:
        parts = [text]
    elif pattern == "":
        parts = list(text)
    else:
        parts = re.split(pattern, text)
    if limit is not None:
        count = int_arg(limit)
        if count >= 0:
            parts = parts[:count]
    return parts


def _substitutions(search: Any, replace: Any) -> list[tuple[str, str]]:
    if type(search) is dict:
        return [(k, string_arg(v)) for k, v in search.items()]
    searches = search if type(search) is list else [search]
    if type(replace) is list:
        padded = [*replace, *([None] * (len(searches) - len(replace)))]
        return [(string_arg(s), string_arg(r)) for s, r in zip(searches, padded, strict=False)]
    return [(string_arg(s), string_arg(replace)) for s in searches]


@aql_function("SUBSTITUTE", 2, 4)
def substitute(value: Any, search: Any, replace: Any = None, limit: Any = None) -> str:
    """Replace occurrences of search strings (a string, an array or a mapping object)."""
    if type(search) is dict:
        limit = replace
    pairs = [(s, r) for s, r in _substitutions(search, replace) if s]
    text = string_arg(value)
    if not pairs:
        return text
    mapping: dict[str, str] = {}
    for s, r in pairs:
        mapping.setdefault(s, r)
    count = 0 if limit is None else max(0, int_arg(limit))
    pattern = "|".join(re.escape(s) for s, _ in pairs)
    return re.sub(pattern, lambda m: mapping[m.group(0)], text, count=count)


@aql_function("CONTAINS", 2, 3)
def contains(text: Any, search: Any, return_index: Any = False) -> bool | int:
    """Whether ``search`` occurs in ``text`` (or its character position, -1 if absent)."""
    position = string_arg(text).find(string_arg(search))
    return position if to_bool(return_index) else position >= 0


def _search_window(text: str, start: Any, end: Any) -> tuple[int, int] | None:
    lo = max(0, int_arg(start)) if start is not None else 0
    hi = len(text) if end is None else min(len(text), int_arg(end) + 1)
    if end is not None and hi <= lo:
        return None
    return lo, hi


@aql_function("FIND_FIRST", 2, 4)
def find_first(text: Any, search: Any, start: Any = None, end: Any = None) -> int:
    """Character position of the first occurrence of ``search`` within [start, end], or -1."""
    value = string_arg(text)
    window = _search_window(value, start, end)
    return -1 if window is None else value.find(string_arg(search), *window)


@aql_function("FIND_LAST", 2, 4)
def find_last(text: Any, search: Any, start: Any = None, end: Any = None) -> int:
    """Character position of the last occurrence of ``search`` within [start, end], or -1."""
    value = string_arg(text)
    window = _search_window(value, start, end)
    return -1 if window is None else value.rfind(string_arg(search), *window)


@aql_function("STARTS_WITH", 2, 3)
def starts_with(text: Any, prefix: Any, min_match: Any = None) -> bool:
    """Whether ``text`` starts with ``prefix``; with an array, at least ``minMatch`` of them."""
    value = string_arg(text)
    if type(prefix) is not list:
        return value.startswith(string_arg(prefix))
    needed = 1 if min_match is None else int_arg(min_match)
    matches = sum(1 for p in prefix if value.startswith(string_arg(p)))
    return matches >= needed


REPEAT_LIMIT = 16 * 1024 * 1024  # characters, as ArangoDB's 16 MB output limit


@aql_function("REPEAT", 2, 3)
def repeat(value: Any, count: Any, separator: Any = None) -> str:
    """The value's string form repeated ``count`` times, joined by ``separator``."""
    number = to_number(count)
    if number <= 0:
        return ""
    text, sep = string_arg(value), string_arg(separator)
    size = len(text) * number + len(sep) * (number - 1)
    if size > REPEAT_LIMIT:
        raise ArangoError(RESOURCE_LIMIT, message="Output string of AQL REPEAT function was limited to 16MB.")
    limits.charge(int(size))
    return sep.join([text] * int(number))


@aql_function("REVERSE", 1)
def reverse(value: Any) -> Any:
    """A string with its characters reversed, or an array in reverse order; else null."""
    if type(value) is str or type(value) is list:
        return value[::-1]
    return None
