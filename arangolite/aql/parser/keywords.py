"""ArangoDB's reserved words, kept keywords in lark's contextual lexer.

The contextual lexer alone would read a keyword as a name wherever the grammar cannot take the
keyword; like ArangoDB we keep them reserved, except right after ``.`` and as object keys
(``doc.filter``, ``{count: 1}``), where a name is the only possibility.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lark import Lark, Token

__all__ = ["RESERVED", "reserve_keywords"]

_RESERVED_WORDS = """FOR LET FILTER RETURN COLLECT SORT LIMIT WINDOW DISTINCT AGGREGATE ASC DESC
    NOT AND OR IN INTO WITH REMOVE INSERT UPDATE REPLACE UPSERT GRAPH SHORTEST_PATH
    K_SHORTEST_PATHS K_PATHS ALL_SHORTEST_PATHS OUTBOUND INBOUND ANY ALL NONE LIKE NULL TRUE FALSE"""
RESERVED = frozenset(_RESERVED_WORDS.split())


def _name_only_states(frontend: Any) -> frozenset[int]:
    """Parser states where only a name can follow (a bind parameter can, a call cannot)."""
    table: Any = frontend.parser._parse_table
    return frozenset(
        state
        for state, actions in table.states.items()
        if "BIND" in actions and "LPAR" not in actions
    )


def reserve_keywords(parser: Lark) -> None:
    """Wrap the contextual lexer so reserved words stay keywords outside name-only positions."""
    frontend: Any = parser.parser
    name_only = _name_only_states(frontend)
    lexer: Any = frontend.lexer
    original = lexer.lex

    def lex(lexer_state: Any, parser_state: Any) -> Iterator[Token]:
        for token in original(lexer_state, parser_state):
            if token.type == "NAME" and parser_state.position not in name_only:
                word = token.upper()
                if word in RESERVED:
                    token = Token.new_borrow_pos(word, str(token), token)
            yield token

    lexer.lex = lex
