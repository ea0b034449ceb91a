"""Per-line suppressions: ``# nomarr: ignore[NMR003] the reason``.

A suppression names one or more codes and must give a reason; one without a reason suppresses
nothing and is itself reported (``NMR013``).
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

__all__ = ["Suppression", "find_suppressions"]

_PATTERN = re.compile(r"#\s*nomarr:\s*ignore\[(?P<codes>[^\]]*)\](?P<reason>[^#]*)")


@dataclass(frozen=True, slots=True)
class Suppression:
    """One suppression comment.

    Attributes:
        line: the line it sits on.
        col: its 1-based column.
        codes: the codes it names.
        reason: the explanation ('' when missing).
    """

    line: int
    col: int
    codes: frozenset[str]
    reason: str

    def covers(self, code: str) -> bool:
        """Return True when this suppression silences ``code`` (only with a reason)."""
        return bool(self.reason) and code in self.codes


def find_suppressions(text: str) -> dict[int, Suppression]:
    """Return the suppression comments of a module, by line (only real comments count)."""
    found: dict[int, Suppression] = {}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return found
    for token in tokens:
        if token.type == tokenize.COMMENT:
            match = _PATTERN.search(token.string)
            if match:
                line, col = token.start
                codes = frozenset(c.strip() for c in match["codes"].split(",") if c.strip())
                found[line] = Suppression(
                    line, col + match.start() + 1, codes, match["reason"].strip()
                )
    return found
