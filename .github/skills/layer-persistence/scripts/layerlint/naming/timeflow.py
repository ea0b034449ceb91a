"""Which values of a function hold the current time: clock calls and what is computed from them.

Within one function: a name assigned an expression that reads the clock (``now = now_ms()``) or
a name that does (``cutoff = now - lease_ms``, ``at = now if x is None else y``) holds the clock
too. Attributes and arithmetic keep it (``now_ms().value - timeout``). Calls other than the
clock's own do not: ``int(now)`` is still the clock, ``format_time(now)`` is a string.
"""

from __future__ import annotations

import ast
import re

from .folding import local_bindings, memo_on_node

__all__ = ["CLOCKS", "is_clock_call", "reads_clock", "tainted_names"]

CLOCKS = frozenset(
    {"now", "utcnow", "today", "time", "time_ns", "monotonic", "monotonic_ns", "perf_counter"}
)
_CLOCK_NAME = re.compile(r"^(?:utc_?)?now(?:_\w+)?$|^current_time(?:_\w+)?$")
_PRESERVING = frozenset({"int", "float", "round", "abs", "max", "min"})


def is_clock_call(node: ast.AST) -> bool:
    """Return True for a call of a clock without arguments (``now_ms()``, ``time.time()``).

    Clocks: ``now``/``utcnow``/``time``/``monotonic`` and the like, and any ``now_*``,
    ``utc_now*`` or ``current_time*`` function of the project (``now_ms``, ``now_millis``).
    """
    if not isinstance(node, ast.Call) or node.args:
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in CLOCKS or _CLOCK_NAME.match(name) is not None


def reads_clock(expr: ast.AST, tainted: frozenset[str] = frozenset()) -> bool:
    """Return True when ``expr`` evaluates to (a value computed from) the current time."""
    if is_clock_call(expr):
        return True
    if isinstance(expr, ast.Name):
        return expr.id in tainted
    if isinstance(expr, ast.Attribute):
        return reads_clock(expr.value, tainted)
    if isinstance(expr, ast.BinOp):
        return reads_clock(expr.left, tainted) or reads_clock(expr.right, tainted)
    if isinstance(expr, ast.UnaryOp):
        return reads_clock(expr.operand, tainted)
    if isinstance(expr, ast.IfExp):
        return reads_clock(expr.body, tainted) or reads_clock(expr.orelse, tainted)
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id in _PRESERVING
    ):
        return any(reads_clock(arg, tainted) for arg in expr.args)
    return False


@memo_on_node
def tainted_names(func: ast.AST | None) -> frozenset[str]:
    """Return the local names of ``func`` that hold the current time (to a fixed point)."""
    local, _ = local_bindings(func)
    tainted: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, values in local.items():
            if name not in tainted and any(reads_clock(v, frozenset(tainted)) for v in values):
                tainted.add(name)
                changed = True
    return frozenset(tainted)
