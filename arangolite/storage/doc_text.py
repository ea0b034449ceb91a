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

What it holds beside the document cache's budget: at most :data:`KEEP` texts and the
documents they belong to (most of them in the cache too).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

__all__ = ["KEEP", "remember", "text_of"]

#: Documents remembered (the most recently decoded ones).
KEEP = 4096
#: Batches larger than this are not remembered (bulk reads: an update of 10k documents reads
#: them ahead and never answers with them).
BATCH = 256

_texts: OrderedDict[int, tuple[Any, str]] = OrderedDict()
_lock = threading.Lock()


def remember(pairs: Iterable[tuple[Any, str]]) -> None:
    """Remember ``(document, the JSON text it was decoded from)`` pairs."""
    with _lock:
        for doc, text in pairs:
            _texts[id(doc)] = (doc, text)
            _texts.move_to_end(id(doc))
        while len(_texts) > KEEP:
            _texts.popitem(last=False)


def text_of(doc: Any) -> str | None:
    """The stored JSON text ``doc`` was decoded from, if it is a remembered document."""
    found = _texts.get(id(doc))  # (a plain dict read: atomic under the GIL)
    if found is None or found[0] is not doc:
        return None
    return found[1]


def forget() -> None:
    """Drop every remembered text (tests)."""
    with _lock:
        _texts.clear()
