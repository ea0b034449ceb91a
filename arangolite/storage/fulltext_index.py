"""ArangoDB's fulltext index: the words of one attribute, by document key.

A document's words come from the attribute's string value (or the strings of an array or object
value): split at every character that is not a letter or digit, lower-cased, cut to 40
characters, words shorter than ``minLength`` left out. Words are kept sorted, so a prefix query
reads only the words that start with the prefix.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from arangolite.errors import BAD_PARAMETER, ArangoError
from arangolite.storage.built_on_read import BuiltOnRead
from arangolite.storage.docs import resolve_path

__all__ = ["MAX_WORD_LENGTH", "FulltextIndex", "normalize_fulltext", "words_of"]

Document = dict[str, Any]
MAX_WORD_LENGTH = 40
_WORD = re.compile(r"[^\W_]+")


def normalize_fulltext(spec: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """The stored definition of a fulltext index request (error 10 unless one field)."""
    if len(fields) != 1:
        raise ArangoError(BAD_PARAMETER, "fulltext index must have exactly one field")
    min_length = spec.get("minLength", 2)
    if type(min_length) not in (int, float) or min_length < 1:
        min_length = 2
    return {
        "type": "fulltext",
        "fields": fields,
        "minLength": int(min_length),
        "unique": False,
        "sparse": True,
    }


def normalize_word(word: str) -> str:
    """A word as the index keeps it (lower case, at most 40 characters)."""
    return word.lower()[:MAX_WORD_LENGTH]


def words_of(value: Any, min_length: int) -> set[str]:
    """The distinct indexed words of an attribute value."""
    if type(value) is str:
        texts = [value]
    elif type(value) is list:
        texts = [v for v in value if type(v) is str]
    elif type(value) is dict:
        texts = [v for v in value.values() if type(v) is str]
    else:
        return set()
    return {
        normalize_word(w) for text in texts for w in _WORD.findall(text) if len(w) >= min_length
    }


class FulltextIndex(BuiltOnRead):
    """Word -> keys of the documents containing it."""

    kind = "fulltext"
    ENTRIES = ("postings", "_words")
    unique = False
    sparse = True

    def __init__(self, iid: str, name: str, spec: dict[str, Any]) -> None:
        self.id = iid
        self.name = name
        self.fields = list(spec["fields"])
        self.min_length = int(spec.get("minLength", 2))
        self.postings: dict[str, set[str]] = {}
        self._words: list[str] = []

    def words(self, doc: Document) -> set[str]:
        return words_of(resolve_path(doc, self.fields[0]), self.min_length)

    # -- maintenance (the secondary index interface) ----------------------------------------------

    def insert(self, doc: Document) -> None:
        if not self.built:
            return  # the build will read it
        for word in self.words(doc):
            keys = self.postings.get(word)
            if keys is None:
                keys = self.postings[word] = set()
                bisect.insort(self._words, word)
            keys.add(doc["_key"])

    def remove(self, doc: Document) -> None:
        if not self.built:
            return
        for word in self.words(doc):
            keys = self.postings.get(word)
            if keys is None:
                continue
            keys.discard(doc["_key"])
            if not keys:
                del self.postings[word]
                del self._words[bisect.bisect_left(self._words, word)]

    def bulk_load(self, docs: list[Document]) -> None:
        for doc in docs:
            for word in self.words(doc):
                self.postings.setdefault(word, set()).add(doc["_key"])
        self._words = sorted(self.postings)

    def clear(self) -> None:
        self.postings, self._words = {}, []

    def same_entries(self, old: Document, new: Document) -> bool:
        return self.words(old) == self.words(new)

    # -- queries ----------------------------------------------------------------------------------

    def complete(self, word: str) -> set[str]:
        """Keys of documents containing exactly ``word``."""
        self._build()
        return set(self.postings.get(normalize_word(word), ()))

    def prefix(self, prefix: str) -> set[str]:
        """Keys of documents containing a word that starts with ``prefix``."""
        self._build()
        start = normalize_word(prefix)
        found: set[str] = set()
        for pos in range(bisect.bisect_left(self._words, start), len(self._words)):
            word = self._words[pos]
            if not word.startswith(start):
                break
            found |= self.postings[word]
        return found

    # -- definition -------------------------------------------------------------------------------

    def matches(self, spec: dict[str, Any]) -> bool:
        return bool(spec["type"] == "fulltext" and self.fields == spec["fields"])

    def stored_spec(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": "fulltext",
            "fields": list(self.fields),
            "minLength": self.min_length,
        }

    def describe(self, coll: str) -> dict[str, Any]:
        return {
            "fields": list(self.fields),
            "id": f"{coll}/{self.id}",
            "minLength": self.min_length,
            "name": self.name,
            "sparse": True,
            "type": "fulltext",
            "unique": False,
        }
