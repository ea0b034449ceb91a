"""The stored JSON text of documents read a few at a time, so a response sends it as it is.

A document read from the store is its stored JSON text decoded; the REST layer encodes it again
to answer (a cursor's ``result``, a document read), which for a small query returning whole
documents costs about as much as its index read. Documents decoded by point and batch reads
(:meth:`DiskState.get`, :meth:`DiskState.get_many`: index reads, ``DOCUMENT()``, reads by key)
are remembered here with their text, keyed by the decoded object's identity, the last
:data:`KEEP` of them. :func:`text_of` gives a document's text only for that very object
(``is``, never equality): a document read from the store is never changed in place (the
document cache hands the same object to every reader), and whatever a query builds from it
(``MERGE``, ``UNSET``, a projection) is another object, encoded as usual. The text is the
same JSON value as the object: it is what the object was decoded from.

What it holds beside the document cache's budget: at most :data:`KEEP` texts of together at
most :data:`BYTES` characters (none longer than :data:`LONGEST`) and the documents they belong
to (most of them in the cache too).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

__all__ = ["BYTES", "KEEP", "LONGEST", "remember", "text_of"]

#: Documents remembered (the most recently decoded ones) ...
KEEP = 4096
#: ... their texts' characters together ...
BYTES = 2 * 1024 * 1024
#: ... and the longest text remembered (a bigger document is encoded again when answered).
LONGEST = 64 * 1024
#: Batches larger than this are not remembered (bulk reads: an update of 10k documents reads
#: them ahead and never answers with them).
BATCH = 256

_texts: OrderedDict[int, tuple[Any, str]] = OrderedDict()
_lock = threading.Lock()
_held = 0  # characters of the remembered texts


def remember(pairs: Iterable[tuple[Any, str]]) -> None:
    """Remember ``(document, the JSON text it was decoded from)`` pairs."""
    global _held
    with _lock:
        for doc, text in pairs:
            if len(text) > LONGEST:
                continue
            old = _texts.pop(id(doc), None)
            if old is not None:
                _held -= len(old[1])
            _texts[id(doc)] = (doc, text)
            _held += len(text)
        while len(_texts) > KEEP or _held > BYTES:
            _held -= len(_texts.popitem(last=False)[1][1])


def text_of(doc: Any) -> str | None:
    """The stored JSON text ``doc`` was decoded from, if it is a remembered document."""
    found = _texts.get(id(doc))  # (a plain dict read: atomic under the GIL)
    if found is None or found[0] is not doc:
        return None
    return found[1]


def forget() -> None:
    """Drop every remembered text (tests)."""
    global _held
    with _lock:
        _texts.clear()
        _held = 0
