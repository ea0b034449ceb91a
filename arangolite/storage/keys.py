"""Document keys, document handles, names and revisions.

ArangoDB's rules: a ``_key`` is 1..254 bytes of ``[a-zA-Z0-9_\\-:.@()+,=;$!*'%]``; a document
handle is ``collection/key``; collection names (traditional) start with a letter (an underscore
for system collections) followed by letters, digits, ``_`` and ``-``. Revisions are strings derived
from a hybrid logical clock, encoded in ArangoDB's sort-preserving base64 alphabet.
"""

from __future__ import annotations

import base64
import contextlib
import re
import threading
import time
import unicodedata
import uuid
from typing import Any

from arangolite.errors import (
    DOCUMENT_HANDLE_BAD,
    DOCUMENT_KEY_BAD,
    DOCUMENT_KEY_UNEXPECTED,
    INVALID_KEY_GENERATOR,
    OUT_OF_KEYS,
    ArangoError,
)

__all__ = [
    "KeyGenerator",
    "RevisionClock",
    "is_valid_collection_name",
    "is_valid_database_name",
    "is_valid_key",
    "split_id",
    "validate_key",
]

_KEY_RE = re.compile(r"[a-zA-Z0-9_\-:.@()+,=;$!*'%]{1,254}")
_COLLECTION_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_\-]{0,255}")
_DATABASE_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9_\-]{0,63}")
_ALPHABET = "-_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_MAX_SAFE = 2**53


def is_valid_key(key: Any) -> bool:
    """True when ``key`` is a string ArangoDB accepts as ``_key``."""
    return type(key) is str and _KEY_RE.fullmatch(key) is not None


def validate_key(key: Any) -> str:
    """Return ``key`` or raise 1221 (illegal document key)."""
    if type(key) is not str or _KEY_RE.fullmatch(key) is None:
        raise ArangoError(DOCUMENT_KEY_BAD)
    return key


def _extended_name(name: Any, forbidden: str) -> bool:
    """ArangoDB 3.12's extended names: 1..256 bytes of NFC-normalised UTF-8, no control
    characters, no leading or trailing space, none of ``forbidden``, not starting with a digit."""
    if type(name) is not str or not name or len(name.encode("utf-8", "surrogatepass")) > 256:
        return False
    if name[0].isdigit() or name != name.strip() or not unicodedata.is_normalized("NFC", name):
        return False
    return not any(ord(ch) < 32 or ord(ch) == 127 or ch in forbidden for ch in name)


def is_valid_collection_name(name: Any, *, system: bool = False) -> bool:
    """Extended collection-name rules (3.12's default); names starting with ``_`` need ``system``."""
    if not _extended_name(name, "/"):
        return False
    return system or not name.startswith("_")


def is_valid_database_name(name: Any) -> bool:
    """Extended database-name rules (``_system`` is the one name starting with an underscore)."""
    if name == "_system":
        return True
    return _extended_name(name, "/:") and not name.startswith("_")


def split_id(handle: Any) -> tuple[str, str]:
    """Split ``"coll/key"`` into its parts; 1205 when malformed."""
    if type(handle) is not str or handle.count("/") != 1:
        raise ArangoError(DOCUMENT_HANDLE_BAD, handle)
    coll, key = handle.split("/")
    if not coll or not is_valid_key(key):
        raise ArangoError(DOCUMENT_HANDLE_BAD, handle)
    return coll, key


_TO_ARANGO = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", _ALPHABET.encode()
)


def _encode_rev_full(value: int) -> str:
    # 9 bytes are 12 base64 digits; the first one only holds the 6 leading zero bits.
    return base64.b64encode(value.to_bytes(9, "big"))[1:].translate(_TO_ARANGO).decode()


# The last two digits of a revision are its low 12 bits; the first nine depend on the rest only,
# and consecutive revisions (a clock hands out ``last + 1`` within a millisecond) share them.
_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]
_head: tuple[int, str] = (-1, "")  # (value >> 12, its nine digits) of the last encoded revision


def encode_rev(value: int) -> str:
    """Encode an unsigned 64-bit number as ArangoDB's 11-character revision string."""
    global _head
    high, digits = _head  # one tuple: threads see a consistent pair
    if value >> 12 != high or value < 0:
        digits = _encode_rev_full(value)[:9]
        _head = (value >> 12, digits)
    return digits + _PAIRS[value & 0xFFF]


def decode_rev(rev: str) -> int | None:
    """Inverse of :func:`encode_rev`; None for strings that are not such revisions."""
    value = 0
    for ch in rev:
        pos = _ALPHABET.find(ch)
        if pos < 0:
            return None
        value = (value << 6) | pos
    return value


class RevisionClock:
    """Hybrid logical clock: milliseconds shifted by 20 bits, strictly increasing."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    @property
    def last(self) -> int:
        """The last value handed out (persisted so revisions stay unique across restarts)."""
        return self._last

    def observe(self, value: int) -> None:
        """Make sure every later value is greater than ``value``."""
        with self._lock:
            self._last = max(self._last, value)

    def next_value(self) -> int:
        """A new clock value."""
        with self._lock:
            value = max((time.time_ns() // 1_000_000) << 20, self._last + 1)
            self._last = value
            return value

    def next_rev(self) -> str:
        """A new revision string (:meth:`next_value`, encoded; one call per written document)."""
        return encode_rev(self.next_value())


class KeyGenerator:
    """ArangoDB key generators: traditional, autoincrement, padded and uuid.

    ``ticks`` supplies engine-wide increasing numbers (traditional keys use them, like
    ArangoDB's server tick). ``last_value`` is what ``keyOptions.lastValue`` reports.
    """

    TYPES = ("traditional", "autoincrement", "padded", "uuid")

    def __init__(self, options: dict[str, Any] | None, ticks: Any) -> None:
        opts = dict(options or {})
        self.type = str(opts.get("type", "traditional"))
        if self.type not in self.TYPES:
            raise ArangoError(INVALID_KEY_GENERATOR, self.type)
        self.allow_user_keys = bool(opts.get("allowUserKeys", True))
        self.increment = int(opts.get("increment", 1))
        self.offset = int(opts.get("offset", 0))
        if self.type == "autoincrement" and not (1 <= self.increment < 2**16 and self.offset >= 0):
            raise ArangoError(INVALID_KEY_GENERATOR, "increment/offset out of range")
        self.last_value = int(opts.get("lastValue", 0))
        self._ticks = ticks

    def describe(self) -> dict[str, Any]:
        """The ``keyOptions`` object ArangoDB reports."""
        out: dict[str, Any] = {"allowUserKeys": self.allow_user_keys, "type": self.type}
        if self.type == "autoincrement":
            out["offset"] = self.offset
            out["increment"] = self.increment
        if self.type != "uuid":
            out["lastValue"] = self.last_value
        return out

    def generate(self) -> str:
        """A new key."""
        if self.type == "uuid":
            return str(uuid.uuid4())
        if self.type == "autoincrement":
            last = self.last_value
            if last < self.offset:
                value = self.offset
            else:
                value = last + self.increment - ((last - self.offset) % self.increment)
        else:
            value = max(self._ticks(), self.last_value + 1)
        if value >= _MAX_SAFE:
            raise ArangoError(OUT_OF_KEYS)
        self.last_value = value
        if self.type == "padded":
            return f"{value:016x}"
        return str(value)

    def check_user_key(self, key: Any) -> str:
        """Validate a user-supplied key (1221/1222) and track numeric keys."""
        if not self.allow_user_keys:
            raise ArangoError(DOCUMENT_KEY_UNEXPECTED)
        if type(key) is not str or _KEY_RE.fullmatch(key) is None:
            raise ArangoError(DOCUMENT_KEY_BAD)
        if self.type == "traditional" and not key.isdigit():
            return key  # (nothing to track: the common case of a named key)
        self.track(key)
        return key

    def track(self, key: str) -> None:
        """Keep generated keys above a numeric user key (traditional/autoincrement/padded)."""
        if self.type == "uuid":
            return
        if self.type == "padded":
            if len(key) == 16:
                with contextlib.suppress(ValueError):
                    self.last_value = max(self.last_value, int(key, 16))
            return
        if key.isdigit() and len(key) < 16:
            self.last_value = max(self.last_value, int(key))
