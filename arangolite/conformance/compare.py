"""How a conformance result is compared with ArangoDB's recorded one.

Numbers compare numerically (they went through IEEE doubles), attribute order never matters,
values at volatile paths (``$[0]._rev``) are ignored on both sides, and where the record says the
order of some arrays is unspecified, arrays compare as multisets.
"""

from __future__ import annotations

import json
import re
from typing import Any

_STEP = re.compile(r"\[(\d+)\]|\.([^.\[]+)")
_MASKED = "<masked>"


def _canonical(value: Any, unordered: bool) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list):
        items = [_canonical(v, unordered) for v in value]
        if unordered:
            items.sort(key=lambda v: json.dumps(v, sort_keys=True))
        return items
    return {k: _canonical(v, unordered) for k, v in value.items()}


def equivalent(actual: Any, expected: Any, *, unordered: bool = False) -> bool:
    """True when two results are the same under the corpus' comparison rules."""
    return bool(_canonical(actual, unordered) == _canonical(expected, unordered))


def mask(value: Any, paths: list[str]) -> Any:
    """A copy of ``value`` with every JSON path in ``paths`` (``$[0][1]._rev``) masked."""
    result = json.loads(json.dumps(value))
    for path in paths:
        steps = [(int(i) if i else k) for i, k in _STEP.findall(path[1:])]
        _mask_one(result, steps)
    return result


def _mask_one(node: Any, steps: list[Any]) -> None:
    for step in steps[:-1]:
        try:
            node = node[step]
        except (IndexError, KeyError, TypeError):
            return
    last = steps[-1] if steps else None
    if isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = _MASKED
        return
    if isinstance(node, dict) and isinstance(last, str) and last in node:
        node[last] = _MASKED
