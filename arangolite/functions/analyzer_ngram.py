"""ArangoDB's ``ngram`` Analyzer: the n-grams of a string, in the order ArangoDB emits them.

Properties as ArangoDB reads them: ``min`` and ``max`` (numbers, required; ``min`` at least 1,
``max`` at least ``min``), ``preserveOriginal`` (boolean, required), ``startMarker`` /
``endMarker`` (strings, optional) and ``streamType`` (``"binary"``, the default, steps bytes;
``"utf8"`` steps code points). For each start position the grams grow from 1 symbol up to
``max`` and those of at least ``min`` symbols are emitted; the whole input is emitted once more
when ``preserveOriginal`` is set (at the start position, as ArangoDB does). The start marker is
put before grams at the start of the input, the end marker after grams reaching its end.
Tokens are bytes (a binary stream may split a UTF-8 sequence).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from arangolite.errors import BAD_PARAMETER, ArangoError

__all__ = ["NgramOptions", "ngram_tokens"]


@dataclass(frozen=True, slots=True)
class NgramOptions:
    min_gram: int
    max_gram: int
    preserve_original: bool
    start_marker: bytes = b""
    end_marker: bytes = b""
    utf8: bool = False

    @staticmethod
    def parse(properties: dict[str, Any]) -> NgramOptions:
        """Options from stored Analyzer properties (error 10 where ArangoDB refuses them)."""
        low: Any = properties.get("min")
        high: Any = properties.get("max")
        keep = properties.get("preserveOriginal")
        if not _is_number(low) or not _is_number(high) or type(keep) is not bool:
            raise ArangoError(BAD_PARAMETER, "ngram Analyzer needs numbers 'min', 'max' and "
                              "a boolean 'preserveOriginal'")
        markers = [properties.get(k, "") for k in ("startMarker", "endMarker")]
        stream = properties.get("streamType", "binary")
        if any(type(m) is not str for m in markers) or stream not in ("binary", "utf8"):
            raise ArangoError(BAD_PARAMETER, "invalid ngram Analyzer markers or streamType")
        smallest = max(int(low), 1)
        return NgramOptions(smallest, max(int(high), smallest), keep,
                            markers[0].encode(), markers[1].encode(), stream == "utf8")


def _is_number(value: Any) -> bool:
    return type(value) in (int, float) and value >= 0


def _symbol_ends(data: bytes, utf8: bool) -> list[int]:
    """Byte offsets where each symbol ends (bytes, or UTF-8 sequences)."""
    if not utf8:
        return list(range(1, len(data) + 1))
    ends = [i for i in range(1, len(data)) if data[i] & 0xC0 != 0x80]
    return [*ends, len(data)] if data else []


def ngram_tokens(text: str, options: NgramOptions) -> list[bytes]:
    """The tokens ArangoDB's ngram Analyzer emits for ``text``."""
    return list(_stream(text.encode(), options))


def _stream(data: bytes, opt: NgramOptions) -> Iterator[bytes]:
    if not data:
        return
    ends = _symbol_ends(data, opt.utf8)
    starts = [0, *ends[:-1]]
    original_pending = opt.preserve_original
    end_marked_original = False
    for index, start in enumerate(starts):
        for length in range(opt.min_gram, opt.max_gram + 1):
            if index + length > len(ends):
                break
            stop = ends[index + length - 1]
            whole = start == 0 and stop == len(data)
            if whole and original_pending:
                yield from _original(data, opt)
                original_pending = False
                continue
            gram = data[start:stop]
            if start == 0 and opt.start_marker:
                yield opt.start_marker + gram
                end_marked_original = whole and bool(opt.end_marker)
            elif stop == len(data) and opt.end_marker:
                yield gram + opt.end_marker
            else:
                yield gram
        if start == 0:
            if original_pending:
                yield from _original(data, opt)
                original_pending = False
            elif end_marked_original:
                yield data + opt.end_marker


def _original(data: bytes, opt: NgramOptions) -> Iterator[bytes]:
    """The whole input, marked: start marker first, then (separately) the end marker."""
    if opt.start_marker:
        yield opt.start_marker + data
        if opt.end_marker:
            yield data + opt.end_marker
    elif opt.end_marker:
        yield data + opt.end_marker
    else:
        yield data
