"""Picking the children of a transformer callback apart: tokens by type, tagged clauses.

Optional clauses (``OPTIONS``, ``INTO``, ``PRUNE``, ...) come back from their callbacks as tuples
tagged with their name, ``("options", expr)``, so a statement finds them wherever they stand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lark import Token

__all__ = ["first_token", "tagged", "tagged_value", "tokens_of"]


def tokens_of(children: Sequence[Any], kind: str) -> list[Token]:
    """The tokens of one type among ``children``."""
    return [c for c in children if isinstance(c, Token) and c.type == kind]


def first_token(children: Sequence[Any], *kinds: str) -> Token | None:
    """The first token of one of ``kinds``, or ``None``."""
    for child in children:
        if isinstance(child, Token) and child.type in kinds:
            return child
    return None


def tagged(children: Sequence[Any], tag: str) -> Any:
    """The first clause tagged ``tag``, or ``None``."""
    for child in children:
        if isinstance(child, tuple) and child and child[0] == tag:
            return child
    return None


def tagged_value(children: Sequence[Any], tag: str, default: Any = None) -> Any:
    """The value (second item) of the clause tagged ``tag``, or ``default`` without one."""
    clause = tagged(children, tag)
    return clause[1] if clause else default
