"""Strict JSON: refuse anything that would not round-trip, and say exactly where it is.

Python's ``json`` silently turns ``float('nan')`` into ``NaN`` (not JSON), int dict keys into
strings and fails on other objects without saying where they were. nomarr binds query variables
and writes archives through :func:`dumps_strict`, which walks the value first and raises
:class:`~nomarr.helpers.errors.BindVarsNotSerializableError` naming the offending path, e.g.
``bind_vars['doc']['tags'][2]``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from nomarr.helpers.errors import BindVarsNotSerializableError

__all__ = ["check_json", "dumps_strict", "find_non_json"]

_SCALARS = (str, int, bool, type(None))
_FAST_SCALARS = frozenset({str, int, bool, type(None)})
_Problem = tuple[list[str], str]


def find_non_json(value: Any, root: str = "value") -> str | None:
    """Return ``"<path> (<reason>)"`` for the first non-JSON part of ``value``, or None.

    Accepted: None, bool, int, finite float, str, list, tuple, and dict with str keys
    (subclasses such as ``StrEnum`` members included).
    """
    try:
        problem = _problem(value)
    except RecursionError:
        return f"{root} (nested too deeply)"
    if problem is None:
        return None
    parts, reason = problem
    return f"{root}{''.join(reversed(parts))} ({reason})"


def _problem(value: Any) -> _Problem | None:
    kind = type(value)
    if kind in _FAST_SCALARS:
        return None
    if kind is dict:
        return _dict_problem(value)
    if kind is list or kind is tuple:
        return _sequence_problem(value)
    if isinstance(value, float):
        return None if math.isfinite(value) else ([], f"float {value!r} is not finite")
    if isinstance(value, _SCALARS):
        return None
    if isinstance(value, dict):
        return _dict_problem(value)
    if isinstance(value, list | tuple):
        return _sequence_problem(value)
    return [], f"{type(value).__name__} is not JSON"


def _dict_problem(value: dict[Any, Any]) -> _Problem | None:
    for key, child in value.items():
        if not isinstance(key, str):
            return [], f"dict key {key!r} is {type(key).__name__}, not str"
        if type(child) in _FAST_SCALARS:
            continue
        problem = _problem(child)
        if problem is not None:
            problem[0].append(f"[{key!r}]")
            return problem
    return None


def _sequence_problem(value: list[Any] | tuple[Any, ...]) -> _Problem | None:
    for index, child in enumerate(value):
        if type(child) in _FAST_SCALARS:
            continue
        problem = _problem(child)
        if problem is not None:
            problem[0].append(f"[{index}]")
            return problem
    return None


def check_json(value: Any, root: str = "value") -> None:
    """Raise BindVarsNotSerializableError when ``value`` is not strict JSON.

    Args:
        value: the value to check.
        root: the name of ``value`` in the error message, e.g. ``"bind_vars"``.
    """
    problem = find_non_json(value, root)
    if problem:
        raise BindVarsNotSerializableError(problem)


def dumps_strict(value: Any, root: str = "value") -> str:
    """Return compact JSON for ``value`` after :func:`check_json`."""
    check_json(value, root)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
