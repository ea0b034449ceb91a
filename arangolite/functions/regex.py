"""Regular-expression functions: REGEX_TEST, REGEX_MATCHES, REGEX_SPLIT, REGEX_REPLACE and LIKE.

ArangoDB compiles patterns with ICU. Python's ``re`` agrees on the common syntax; the differences
that matter in practice are translated by :func:`translate_icu` (``\\Q...\\E`` quoting,
``\\x{hhhh}``, ``(?<name>...)``, ``\\z``/``\\Z``, ``\\e`` and a few ``\\p{...}`` classes).
An invalid pattern makes the function return null with warning 1543.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from arangolite.aql.values import to_bool
from arangolite.errors import QUERY_INVALID_REGEX
from arangolite.functions._args import arg, int_arg, string_arg, warning
from arangolite.functions.regex_engine import compile_pattern
from arangolite.functions.registry import aql_function

_PROPERTY_CLASSES = {
    "L": r"[^\W\d_]",
    "Letter": r"[^\W\d_]",
    "N": r"\d",
    "Nd": r"\d",
    "Z": r"\s",
    "Zs": r"\s",
    "Space": r"\s",
    "Alpha": r"[^\W\d_]",
    "Alnum": r"[^\W_]",
    "Digit": r"\d",
}
_SIMPLE_ESCAPES = {"z": r"\Z", "Z": r"(?=\n?\Z)", "e": r"\x1b", "h": r"[ \t]"}


def _escape_at(pattern: str, i: int) -> tuple[str, int]:
    """Translate the escape sequence starting at ``pattern[i] == '\\'``; return (text, next i)."""
    nxt = pattern[i + 1] if i + 1 < len(pattern) else ""
    if nxt == "Q":
        end = pattern.find("\\E", i + 2)
        stop = len(pattern) if end < 0 else end
        return re.escape(pattern[i + 2 : stop]), (len(pattern) if end < 0 else end + 2)
    if nxt == "x" and pattern.startswith("{", i + 2):
        close = pattern.index("}", i + 3)
        return f"\\U{int(pattern[i + 3 : close], 16):08x}", close + 1
    if nxt in "pP" and pattern.startswith("{", i + 2):
        close = pattern.index("}", i + 3)
        cls = _PROPERTY_CLASSES[pattern[i + 3 : close]]
        if nxt == "P":
            cls = f"(?!{cls})(?s:.)"
        return cls, close + 1
    if nxt in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[nxt], i + 2
    return pattern[i : i + 2], i + 2


def _is_named_group(pattern: str, i: int, in_class: bool) -> bool:
    """Whether ``pattern[i:]`` opens an ICU named group ``(?<name>`` (not a lookbehind)."""
    return (
        not in_class and pattern.startswith("(?<", i) and pattern[i + 3 : i + 4] not in ("=", "!")
    )


def translate_icu(pattern: str) -> str:
    """Translate ICU regex syntax to Python ``re`` syntax (KeyError/ValueError when unsupported)."""
    out: list[str] = []
    i = 0
    in_class = False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            text, i = _escape_at(pattern, i)
            out.append(text)
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        elif _is_named_group(pattern, i, in_class):
            out.append("(?P<")
            i += 3
            continue
        out.append(c)
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=256)
def _compile(pattern: str, case_insensitive: bool) -> re.Pattern[str] | None:
    try:
        return compile_pattern(translate_icu(pattern), case_insensitive)  # type: ignore[no-any-return]
    except (re.error, KeyError, ValueError, IndexError, OverflowError):
        return None


def compile_regex(pattern: Any, case_insensitive: Any = False) -> re.Pattern[str]:
    """Compile an AQL regex argument; warning 1543 if it is invalid."""
    compiled = _compile(string_arg(pattern), to_bool(case_insensitive))
    if compiled is None:
        raise warning(QUERY_INVALID_REGEX.num, QUERY_INVALID_REGEX.template)
    return compiled


@aql_function("REGEX_TEST", 2, 3)
def regex_test(text: Any, search: Any, case_insensitive: Any = False) -> bool:
    """Whether ``search`` matches anywhere in ``text``."""
    return compile_regex(search, case_insensitive).search(string_arg(text)) is not None


@aql_function("REGEX_MATCHES", 2, 3)
def regex_matches(text: Any, search: Any, case_insensitive: Any = False) -> list[str] | None:
    """The first match and its groups (unmatched groups as ""), or null if there is none."""
    match = compile_regex(search, case_insensitive).search(string_arg(text))
    if match is None:
        return None
    return [match.group(0), *(g or "" for g in match.groups())]


@aql_function("REGEX_SPLIT", 2, 4)
def regex_split(text: Any, search: Any, *rest: Any) -> list[str]:
    """Split ``text`` at matches of ``search``; capture groups are kept; optional ``limit``."""
    compiled = compile_regex(search, arg(rest, 0, False))
    source = string_arg(text)
    parts = [p or "" for p in compiled.split(source)] if compiled.pattern else list(source)
    limit = arg(rest, 1)
    if limit is not None:
        count = int_arg(limit)
        parts = parts[:count] if count >= 0 else parts
    return parts


def _python_replacement(replacement: str) -> str:
    """Turn an ICU replacement (``$1``, ``\\$``) into a Python one."""
    out: list[str] = []
    i = 0
    while i < len(replacement):
        c = replacement[i]
        if c == "\\" and i + 1 < len(replacement):
            out.append(replacement[i + 1].replace("\\", "\\\\"))
            i += 2
            continue
        digits = re.match(r"\$(\d+)", replacement[i:])
        if digits:
            out.append(f"\\g<{digits.group(1)}>")
            i += len(digits.group(0))
            continue
        out.append("\\\\" if c == "\\" else c)
        i += 1
    return "".join(out)


@aql_function("REGEX_REPLACE", 3, 4)
def regex_replace(text: Any, search: Any, replacement: Any, case_insensitive: Any = False) -> Any:
    """Replace every match of ``search`` in ``text``; ``$n`` refers to capture group n."""
    compiled = compile_regex(search, case_insensitive)
    try:
        return compiled.sub(_python_replacement(string_arg(replacement)), string_arg(text))
    except (re.error, IndexError) as exc:
        raise warning(QUERY_INVALID_REGEX.num, QUERY_INVALID_REGEX.template) from exc


def like_to_regex(pattern: str) -> str:
    """Translate a LIKE pattern (``%``, ``_``, backslash escapes) into an anchored regex."""
    out: list[str] = []
    escaped = False
    for c in pattern:
        if c == "\\" and not escaped:
            escaped = True
            continue
        if c == "%" and not escaped:
            out.append("(?s:.)*")
        elif c == "_" and not escaped:
            out.append("(?s:.)")
        else:
            out.append(re.escape(c))
        escaped = False
    return "".join(out) + r"\Z"


@functools.lru_cache(maxsize=256)
def _like_pattern(pattern: str, case_insensitive: bool) -> re.Pattern[str]:
    return compile_pattern(like_to_regex(pattern), case_insensitive)  # type: ignore[no-any-return]


@aql_function("LIKE", 2, 3)
def like(text: Any, search: Any, case_insensitive: Any = False) -> bool:
    """SQL-style LIKE: ``%`` any sequence, ``_`` one character, ``\\`` escapes."""
    compiled = _like_pattern(string_arg(search), to_bool(case_insensitive))
    return compiled.match(string_arg(text)) is not None
