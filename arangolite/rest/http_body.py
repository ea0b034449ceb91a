"""Checks on a request's framing and body before any handler sees it.

The size limits a server enforces (:class:`BodyLimits`), the ``Content-Length`` header, and the
``Content-Encoding`` (deflate, gzip) with a cap on the inflated size, so a small compressed body
cannot expand without bound. Each problem is an :class:`~arangolite.errors.ArangoError` with the
status ArangoDB answers: 400 for a malformed request, 413 for one that is too large.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from arangolite.errors import HTTP_BAD_PARAMETER, HTTP_REQUEST_TOO_LARGE, ArangoError

__all__ = ["BodyLimits", "check_size", "content_length", "inflate"]

_MIB = 1024 * 1024
_WBITS = {"deflate": zlib.MAX_WBITS, "gzip": 16 + zlib.MAX_WBITS}


@dataclass(frozen=True)
class BodyLimits:
    """Largest request body accepted, as sent and after inflating ``Content-Encoding``.

    Attributes:
        max_body: bytes on the wire (``Content-Length``); larger requests get 413.
        max_inflated: bytes after decompression; a body inflating beyond it gets 413.
    """

    max_body: int = 512 * _MIB
    max_inflated: int = 512 * _MIB


def content_length(value: str | None, transfer_encoding: str | None) -> int:
    """The body length a request announces; 400 when malformed."""
    if transfer_encoding and transfer_encoding.strip().lower() != "identity":
        raise ArangoError(
            HTTP_BAD_PARAMETER,
            message="bad parameter: Transfer-Encoding is not supported; send a Content-Length",
        )
    if value is None or not value.strip():
        return 0
    text = value.strip()
    if not text.isdigit() or not text.isascii():
        raise ArangoError(
            HTTP_BAD_PARAMETER,
            message=f"bad parameter: Content-Length must be a non-negative integer, got {text[:40]!r}",
        )
    return int(text)


def check_size(length: int, limits: BodyLimits) -> None:
    """413 when a body of ``length`` bytes is over the limit."""
    if length > limits.max_body:
        raise ArangoError(
            HTTP_REQUEST_TOO_LARGE,
            message=f"request entity too large: the body has {length} bytes, the limit is "
            f"{limits.max_body}",
        )


def inflate(raw: bytes, encoding: str | None, limits: BodyLimits) -> bytes:
    """``raw`` decoded from its ``Content-Encoding``; 400 when garbled, 413 when it inflates too far."""
    name = (encoding or "").strip().lower()
    if name in ("", "identity"):
        return raw
    wbits = _WBITS.get(name)
    if wbits is None:
        raise ArangoError(
            HTTP_BAD_PARAMETER,
            message=f"bad parameter: unsupported Content-Encoding {name[:40]!r} (use deflate or gzip)",
        )
    decoder = zlib.decompressobj(wbits)
    try:
        out = decoder.decompress(raw, limits.max_inflated + 1)
    except zlib.error as exc:
        raise ArangoError(
            HTTP_BAD_PARAMETER, message=f"bad parameter: the {name} body cannot be inflated ({exc})"
        ) from None
    if len(out) > limits.max_inflated:
        raise ArangoError(
            HTTP_REQUEST_TOO_LARGE,
            message=f"request entity too large: the {name} body inflates beyond "
            f"{limits.max_inflated} bytes",
        )
    if not decoder.eof:
        raise ArangoError(
            HTTP_BAD_PARAMETER, message=f"bad parameter: the {name} body is truncated"
        )
    return out
