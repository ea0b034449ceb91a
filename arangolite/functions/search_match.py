"""NGRAM_MATCH and MINHASH_MATCH outside SEARCH: evaluated on the two values, without an index.

NGRAM_MATCH follows ArangoDB's ``Functions::NgramMatch``: both strings go through the named
Analyzer (any type, as there; an ``ngram`` one is what the documentation asks for), and the call
is true when the longest common subsequence of the two token lists reaches
``ceil(target token count * threshold)`` (threshold defaults to 0.7). No tokens on either side
is false. A threshold outside (0, 1] records warning 10 and is used as given, as ArangoDB does.

MINHASH_MATCH's body is Enterprise code in ArangoDB; arangolite computes what its documentation
states: the signatures of both strings by the named ``minhash`` Analyzer, and true when the
share of the target's signature found in the value's signature (the estimated Jaccard
similarity) is at least ``threshold``, counted as NGRAM_MATCH counts, i.e.
``matches >= ceil(signature size * threshold)``.

Wrong argument types record warning 1542 and give null; a missing or unusable Analyzer records
warning 10 (``Unable to load requested analyzer``) and gives null; a MINHASH_MATCH Analyzer of
another type than ``minhash`` records warning 10 too. Analyzer types arangolite cannot run answer
error 9 (see :mod:`.analyzer_runs`).
"""

from __future__ import annotations

import math
from typing import Any

from arangolite.aql.values import AqlWarning, is_number
from arangolite.errors import BAD_PARAMETER, QUERY_FUNCTION_ARGUMENT_NUMBER_MISMATCH
from arangolite.functions._args import type_warning
from arangolite.functions.analyzer_runs import Resolved, resolve
from arangolite.functions.registry import FunctionContext, aql_function

__all__ = ["lcs_reaches", "minhash_match", "ngram_match"]

DEFAULT_NGRAM_THRESHOLD = 0.7


def _warning(fname: str, code: int, message: str) -> AqlWarning:
    return AqlWarning(code, f"in function '{fname}()': {message}")


def _analyzer(ctx: FunctionContext, fname: str, name: Any) -> Resolved:
    if type(name) is not str:
        raise type_warning(fname)
    found = resolve(ctx, name)
    if found is None:
        raise _warning(fname, BAD_PARAMETER.num, "Unable to load requested analyzer")
    return found


def lcs_reaches(value: list[bytes], target: list[bytes], threshold: float) -> bool:
    """Whether the longest common subsequence of the token lists reaches
    ``ceil(len(target) * threshold)``, stopping as soon as it does (ArangoDB's loop)."""
    if not value or not target:
        return False
    needed = math.ceil(len(target) * threshold)
    if needed < 0:  # ArangoDB's cast of a negative count to size_t wraps to a huge number
        return False
    row = [0] * (len(value) + 1)
    diagonal = 0
    for wanted in target:
        for i in range(1, len(value) + 1):
            matches = diagonal + (value[i - 1] == wanted)
            if matches >= needed:
                return True
            diagonal = row[i]
            row[i] = max(row[i - 1], row[i], matches)
    return False


@aql_function("NGRAM_MATCH", 2, 4, context=True)
def ngram_match(ctx: FunctionContext, value: Any, target: Any, *rest: Any) -> bool:
    """Whether ``value``'s n-grams match ``target``'s to at least ``threshold`` (default 0.7)."""
    fname = "NGRAM_MATCH"
    if not rest:
        raise _warning(fname, QUERY_FUNCTION_ARGUMENT_NUMBER_MISMATCH.num,
                       "Minimum 3 arguments are expected.")
    if type(value) is not str or type(target) is not str:
        raise type_warning(fname)
    threshold: Any = DEFAULT_NGRAM_THRESHOLD
    if len(rest) == 2:
        threshold = rest[0]
        if not is_number(threshold):
            raise type_warning(fname)
        if not 0 < threshold <= 1:
            ctx.warn(BAD_PARAMETER.num,
                     f"in function '{fname}()': Threshold must be between 0 and 1")
    found = _analyzer(ctx, fname, rest[-1])
    return lcs_reaches(found.run(value), found.run(target), float(threshold))


@aql_function("MINHASH_MATCH", 3, 4, context=True)
def minhash_match(ctx: FunctionContext, value: Any, target: Any, threshold: Any,
                  *rest: Any) -> bool:
    """Whether the MinHash signatures estimate a Jaccard similarity of at least ``threshold``."""
    fname = "MINHASH_MATCH"
    if not rest:
        raise _warning(fname, QUERY_FUNCTION_ARGUMENT_NUMBER_MISMATCH.num,
                       "Minimum 4 arguments are expected.")
    if type(value) is not str or type(target) is not str or not is_number(threshold):
        raise type_warning(fname)
    if not 0 < threshold <= 1:
        raise _warning(fname, BAD_PARAMETER.num, "Threshold must be between 0 and 1")
    found = _analyzer(ctx, fname, rest[0])
    if found.kind != "minhash":
        raise _warning(fname, BAD_PARAMETER.num,
                       f"Analyzer of type '{found.kind}' given, a 'minhash' Analyzer is expected")
    wanted = found.run(target)
    if not wanted:
        return False
    have = set(found.run(value))
    matches = sum(1 for token in set(wanted) if token in have)
    return matches >= math.ceil(len(wanted) * float(threshold))
