"""Running an Analyzer by name: the built-in ones and the custom types arangolite can run.

A name (``db::name``, ``::name`` or ``name``) is a built-in Analyzer of
:mod:`arangolite.functions.analyzers` or a custom one kept in the database's ``_analyzers``
collection. Custom types run here: ``identity``, ``ngram`` (:mod:`.analyzer_ngram`) and
``minhash`` (ArangoDB's signature of the wrapped Analyzer's tokens: each token's CityHash64, the
``numHashes`` smallest distinct ones in the order ArangoDB's heap leaves them, each as unpadded
base64), wrapping no Analyzer (the whole input is one token), ``identity`` or ``ngram``. Other
types answer error 9 naming the type, never different tokens.

Tokens are bytes: n-grams of a binary stream may split a UTF-8 sequence. TOKENS returns them as
strings; a token that is not valid UTF-8 answers error 9 rather than a different string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from arangolite.errors import BAD_PARAMETER, NOT_IMPLEMENTED, ArangoError
from arangolite.functions._args import string_arg
from arangolite.functions._cityhash import city_hash64
from arangolite.functions.analyzer_ngram import NgramOptions, ngram_tokens
from arangolite.functions.analyzers import analyzer, builtin_names
from arangolite.functions.registry import FunctionContext, aql_function
from arangolite.functions.similarity import encode_hash, smallest_hashes

__all__ = ["Resolved", "resolve", "tokens"]

Run = Callable[[str], list[bytes]]


@dataclass(frozen=True, slots=True)
class Resolved:
    """An Analyzer found by name: its type and how to run it on a string."""

    kind: str
    run: Run


def resolve(ctx: FunctionContext, name: str) -> Resolved | None:
    """The Analyzer called ``name``; None when there is none."""
    short = name.split("::", 1)[1] if "::" in name else name
    if short in builtin_names():
        builtin = analyzer(name)
        kind = "identity" if short == "identity" else "text"
        return Resolved(kind, lambda text: [t.encode() for t in builtin(text)])
    try:
        stored = ctx.document(f"_analyzers/{short}")
    except ArangoError:
        stored = None
    if stored is None:
        return None
    return Resolved(stored["type"], _runner(stored["type"], stored.get("properties") or {}))


def _runner(kind: Any, properties: dict[str, Any]) -> Run:
    if kind == "identity":
        return lambda text: [text.encode()]
    if kind == "ngram":
        options = NgramOptions.parse(properties)
        return lambda text: ngram_tokens(text, options)
    if kind == "minhash":
        return _minhash(properties)
    raise ArangoError(NOT_IMPLEMENTED, f"running the custom {kind} Analyzer")


def _minhash(properties: dict[str, Any]) -> Run:
    size: Any = properties.get("numHashes")
    if type(size) not in (int, float) or size < 1:
        raise ArangoError(BAD_PARAMETER, "minhash Analyzer needs 'numHashes' of at least 1")
    inner = properties.get("analyzer")
    if inner is None or inner == {}:
        wrapped: Run = lambda text: [text.encode()]  # noqa: E731 - ArangoDB's string stream
    elif type(inner) is dict and type(inner.get("type")) is str:
        wrapped = _runner(inner["type"], inner.get("properties") or {})
    else:
        raise ArangoError(BAD_PARAMETER, "minhash Analyzer 'analyzer' must be an object with 'type'")
    count = int(size)

    def run(text: str) -> list[bytes]:
        hashes = smallest_hashes(map(city_hash64, wrapped(text)), count)
        return [encode_hash(h).encode() for h in hashes] if hashes else []

    return run


@aql_function("TOKENS", 1, 2, context=True)
def tokens(ctx: FunctionContext, value: Any, name: Any = "identity") -> list[Any]:
    """Split ``value`` (a string or nested arrays of strings) into tokens with an Analyzer."""
    text = string_arg(name)
    found = resolve(ctx, text)
    if found is None:
        raise ArangoError(BAD_PARAMETER, f"failure to find Analyzer with name '{text}'")
    return _tokenize(value, found.run)


def _tokenize(value: Any, run: Run) -> list[Any]:
    if type(value) is list:
        return [_tokenize(v, run) for v in value]
    try:
        return [token.decode() for token in run(string_arg(value))]
    except UnicodeDecodeError:
        raise ArangoError(NOT_IMPLEMENTED, "TOKENS with a token that is not valid UTF-8") from None
