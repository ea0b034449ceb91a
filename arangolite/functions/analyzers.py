"""ArangoDB's built-in Analyzers.

- ``identity``: the input string as one token.
- ``text_<lang>`` (de, en, es, fi, fr, it, nl, no, pt, ru, sv): ArangoDB's ``text`` Analyzer with
  the built-in settings — split into words (Unicode word boundaries: letters, digits and
  underscores, with apostrophes and periods inside a word kept, as UAX #29 does), lower case,
  accents removed, Snowball stemming for the language (the ``snowballstemmer`` package, the same
  algorithms as ArangoDB's libstemmer), no stopwords (the built-ins define none).

``text_zh`` needs a dictionary word segmenter: error 9 (not implemented) rather than different
tokens. Custom Analyzers are defined with ``/_api/analyzer`` (kept in the database's
``_analyzers`` collection); TOKENS runs them with :mod:`.analyzer_runs`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any

from arangolite.errors import BAD_PARAMETER, NOT_IMPLEMENTED, ArangoError

__all__ = ["analyzer", "builtin_names", "builtin_properties"]

_LANGUAGES = {
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "it": "italian",
    "nl": "dutch_porter",  # libstemmer's Dutch is the Porter-based one (newer Snowball: "dutch")
    "no": "norwegian",
    "pt": "portuguese",
    "ru": "russian",
    "sv": "swedish",
}
_WORD = re.compile(r"\w+(?:['\u2019.]\w+)*")

Analyzer = Callable[[str], list[str]]


def _fold(word: str) -> str:
    """Lower case without accents (NFD, drop non-spacing marks, NFC)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped)


def _stemmer(language: str) -> Callable[[str], str]:
    import snowballstemmer  # imported on first use: registering the functions does not need it

    algorithm = language if language in snowballstemmer.algorithms() else "dutch"
    stemmer = snowballstemmer.stemmer(algorithm)
    return stemmer.stemWord  # type: ignore[no-any-return]


@cache
def analyzer(name: str) -> Analyzer:
    """The built-in Analyzer called ``name`` (``_system::`` prefix allowed)."""
    short = name.removeprefix("_system::").removeprefix("::")
    if short == "identity":
        return lambda text: [text]
    if short.startswith("text_") and short[5:] in _LANGUAGES:
        stem = _stemmer(_LANGUAGES[short[5:]])
        return lambda text: [stem(_fold(w)) for w in _WORD.findall(text)]
    if short == "text_zh":
        raise ArangoError(NOT_IMPLEMENTED, "Analyzer 'text_zh' (Chinese word segmentation)")
    raise ArangoError(BAD_PARAMETER, f"failure to find Analyzer with name '{name}'")


def builtin_names() -> tuple[str, ...]:
    """The built-in Analyzers every database has."""
    return ("identity", *(f"text_{lang}" for lang in sorted(_LANGUAGES)), "text_zh")


def builtin_properties(name: str) -> dict[str, Any]:
    """A built-in Analyzer's properties, as ``/_api/analyzer`` lists them."""
    if name == "identity":
        return {}
    return {"locale": name[5:], "case": "lower", "stopwords": [], "accent": False,
            "stemming": True}
