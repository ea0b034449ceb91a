"""Compile regular expressions with a linear-time engine (RE2) wherever the pattern allows.

Python's ``re`` backtracks: ``REGEX_TEST('a' * 43 + '!', '(a+)+$')`` runs for minutes, and a
C-level match cannot be interrupted by a query's maxRuntime. RE2 (``google-re2``) matches in
time linear in the text for every pattern it accepts, with the same syntax as ``re`` for what
AQL patterns use. Patterns RE2 cannot run — backreferences and lookaround, which ICU supports —
fall back to ``re``; only those can still backtrack (RELIABILITY.md says so).
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import re2

__all__ = ["compile_pattern"]

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False
_PY_END = re.compile(r"(?<!\\)((?:\\\\)*)\\Z")


def compile_pattern(pattern: str, case_insensitive: bool = False) -> Any:
    """A compiled pattern (``re`` syntax) with ``search``/``match``/``fullmatch``/``split``/``sub``.

    Raises ``re.error`` when neither engine accepts the pattern.
    """
    try:
        return re2.compile(("(?i)" if case_insensitive else "") + _PY_END.sub(r"\1\\z", pattern), _OPTIONS)
    except re2.error:
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return re.compile(pattern, re.IGNORECASE if case_insensitive else 0)
