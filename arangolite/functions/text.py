"""Text utilities: encodings, TO_CHAR, SOUNDEX, LEVENSHTEIN_DISTANCE, UUID and RANDOM_TOKEN."""

from __future__ import annotations

import base64
import secrets
import string
import uuid
from typing import Any
from urllib.parse import quote

from arangolite.aql.values import is_number
from arangolite.functions._args import int_arg, string_arg, type_warning
from arangolite.functions.registry import aql_function

_SOUNDEX_CODES = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
    **dict.fromkeys("aeiouyhw", "0"),
}
_TOKEN_ALPHABET = string.ascii_letters + string.digits
_MAX_TOKEN_LENGTH = 65536


@aql_function("ENCODE_URI_COMPONENT", 1)
def encode_uri_component(value: Any) -> str:
    """Percent-encode like JavaScript's ``encodeURIComponent``."""
    return quote(string_arg(value), safe="!~*'()")


@aql_function("TO_BASE64", 1)
def to_base64(value: Any) -> str:
    """Base64 of the UTF-8 bytes of the value's string form."""
    return base64.b64encode(string_arg(value).encode("utf-8")).decode("ascii")


@aql_function("TO_HEX", 1)
def to_hex(value: Any) -> str:
    """Lower-case hex of the UTF-8 bytes of the value's string form."""
    return string_arg(value).encode("utf-8").hex()


_MAX_CODEPOINT = 0x10FFFF


@aql_function("TO_CHAR", 1)
def to_char(codepoint: Any) -> str:
    """The character with Unicode code point ``codepoint``; warning 1542 for anything else."""
    if not is_number(codepoint) or not 0 <= codepoint <= _MAX_CODEPOINT:
        raise type_warning("TO_CHAR")
    if codepoint != int(codepoint):
        raise type_warning("TO_CHAR")
    value = int(codepoint)
    if not 0 <= value <= _MAX_CODEPOINT or 0xD800 <= value <= 0xDFFF:
        raise type_warning("TO_CHAR")
    return chr(value)


@aql_function("SOUNDEX", 1)
def soundex(value: Any) -> str:
    """American Soundex code (first letter plus three digits); non-letters are ignored."""
    letters = [c for c in string_arg(value).lower() if c in _SOUNDEX_CODES]
    if not letters:
        return ""
    result = letters[0].upper()
    previous = _SOUNDEX_CODES[letters[0]]
    for c in letters[1:]:
        code = _SOUNDEX_CODES[c]
        if code not in ("0", previous):
            result += code
            if len(result) == 4:
                break
        previous = code
    return result.ljust(4, "0")


def levenshtein(a: str, b: str) -> int:
    """Classic edit distance (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev_diag, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            current = min(row[j] + 1, row[j - 1] + 1, prev_diag + (ca != cb))
            prev_diag, row[j] = row[j], current
    return row[-1]


@aql_function("LEVENSHTEIN_DISTANCE", 2)
def levenshtein_distance(a: Any, b: Any) -> int:
    """Edit distance between the string forms of ``a`` and ``b``."""
    return levenshtein(string_arg(a), string_arg(b))


@aql_function("UUID", 0, deterministic=False)
def make_uuid() -> str:
    """A random version 4 UUID string."""
    return str(uuid.uuid4())


@aql_function("RANDOM_TOKEN", 1, deterministic=False)
def random_token(length: Any) -> str:
    """A random alphanumeric string of ``length`` characters (0..65536)."""
    size = int_arg(length)
    if size < 0 or size > _MAX_TOKEN_LENGTH:
        raise type_warning("RANDOM_TOKEN")
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(size))
