"""A tokenizer for the fast AQL front end: one regular expression, lark's terminals.

The token patterns are those of ``arangolite/aql/parser/grammar.lark``, tried in the order of
their priority there (hex and binary numbers before floats before integers, ``@@`` before
``@``), so every text the fast front end accepts is cut into the tokens lark cuts it into.
Words are not classified here: whether ``for`` is a keyword or a name depends on where it
stands, which the parser (``aql_fast``) decides. Anything this tokenizer does not know (a
character outside AQL, an unterminated string, a backslash escape) ends the fast path: the
caller then hands the text to arangolite's full parser.
"""

from __future__ import annotations

import re

__all__ = ["NONRESERVED", "RESERVED", "Token", "tokenize"]

# ArangoDB's reserved words (arangolite.aql.parser.keywords.RESERVED) and the keywords lark
# reads as names wherever its grammar cannot take them (grammar.lark, OPTIONS .. TO).
RESERVED = frozenset(
    [
        "FOR",
        "LET",
        "FILTER",
        "RETURN",
        "COLLECT",
        "SORT",
        "LIMIT",
        "WINDOW",
        "DISTINCT",
        "AGGREGATE",
        "ASC",
        "DESC",
        "NOT",
        "AND",
        "OR",
        "IN",
        "INTO",
        "WITH",
        "REMOVE",
        "INSERT",
        "UPDATE",
        "REPLACE",
        "UPSERT",
        "GRAPH",
        "SHORTEST_PATH",
        "K_SHORTEST_PATHS",
        "K_PATHS",
        "ALL_SHORTEST_PATHS",
        "OUTBOUND",
        "INBOUND",
        "ANY",
        "ALL",
        "NONE",
        "LIKE",
        "NULL",
        "TRUE",
        "FALSE",
    ]
)
NONRESERVED = frozenset({"OPTIONS", "SEARCH", "PRUNE", "KEEP", "COUNT", "TO"})

_PATTERN = re.compile(
    r"""
    (\$?[a-zA-Z][_a-zA-Z0-9]*|_+[a-zA-Z]+[_a-zA-Z0-9]*)
  | ([ \t\r\n]+|//[^\n]*|/\*(?:[^*]|\*(?!/))*\*/)
  | (@@(?:_+[a-zA-Z0-9]+[a-zA-Z0-9_]*|[a-zA-Z0-9][a-zA-Z0-9_]*)
      |@(?:_+[a-zA-Z0-9]+[a-zA-Z0-9_]*|[a-zA-Z0-9][a-zA-Z0-9_]*))
  | (0[xX][0-9a-fA-F]+|0[bB][01]+
      |(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)
      |\.[0-9]+(?:[eE][-+]?[0-9]+)?
      |0|[1-9][0-9]*)
  | ("[^"\\]*"|'[^'\\]*')
  | (`[^`\\]*`|\u00b4[^\u00b4\\]*\u00b4)
  | (=~|!~|==|!=|<=|>=|&&|\|\||::|\.\.|[<>=!+\-*/%?.()\[\]{},:])
    """,
    re.VERBOSE,
)
# The groups above, in order: a word, blanks or a comment, a bind parameter, a number, a
# string, a quoted name, an operator.

Token = tuple[str, str, int]
"""A token: its kind (``word``, ``bind``, ``num``, ``str``, ``qname`` or the operator text),
its text and its offset in the query."""


def tokenize(text: str) -> list[Token] | None:
    """Return the tokens of ``text`` (comments and blanks dropped), or None when unsure.

    None means: a character or form this tokenizer does not handle (strings with escapes
    included); the full parser decides those.
    """
    tokens: list[Token] = []
    append = tokens.append
    position = 0
    for word, blank, bind, num, string, qname, op in _PATTERN.findall(text):
        if word:
            append(("word", word, position))
            position += len(word)
        elif op:
            append((op, op, position))
            position += len(op)
        elif blank:
            position += len(blank)
        else:
            kind, value = (
                ("bind", bind)
                if bind
                else ("num", num)
                if num
                else ("str", string)
                if string
                else ("qname", qname)
            )
            append((kind, value, position))
            position += len(value)
    # findall skips what no token matches: the lengths then fall short of the text's
    return tokens if position == len(text) else None
