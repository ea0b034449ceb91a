"""A tokenizer for the fast AQL front end: one regular expression, lark's terminals.

The token patterns are read from ``arangolite/aql/parser/grammar.lark`` itself (found without
importing arangolite), tried in the order of their priority there (hex and binary numbers before
floats before integers, ``@@`` before ``@``), so every text the fast front end accepts is cut into
the tokens lark cuts it into. Strings and quoted names are taken without their backslash-escape
alternative: a text with an escape is left to the full parser. The reserved words are those of
``arangolite/aql/parser/keywords.py``; the other keywords of the grammar are read as names where
it cannot take them. Words are not classified here: whether ``for`` is a keyword or a name
depends on where it stands, which the parser (``aql_fast``) decides. Anything this tokenizer does
not know (a character outside AQL, an unterminated string, a backslash escape) ends the fast
path: the caller then hands the text to arangolite's full parser (which also decides when
arangolite cannot be found).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .cache import aql_parser_dir

__all__ = ["NONRESERVED", "RESERVED", "Token", "pattern_from", "tokenize"]

_TERMINAL = re.compile(r"^([A-Z_]+)(?:\.\d+)?: (.+)$", re.MULTILINE)
_REGEX = re.compile(r"/((?:[^/\\\n]|\\.)+)/[a-z]*")
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"(i?)')
# the groups of the pattern, in the order tokenize reads them
_GROUPS = (
    ("NAME",),
    ("WS", "COMMENT"),
    ("BIND_COLL", "BIND"),
    ("HEX", "BIN", "FLOAT", "INT"),
    ("STRING",),
    ("QNAME",),
)
# the same order, blanks first and alone (``blank_first_pattern``)
_BLANK_FIRST = (("WS",), ("NAME",), ("COMMENT",), *_GROUPS[2:])
_ESCAPE = "|\\\\."  # the escape alternative of STRING and QNAME: ``|\\.``


def pattern_from(grammar: str) -> re.Pattern[str]:
    """The tokenizer's regular expression for ``grammar`` (the text of ``grammar.lark``).

    One group per kind of token, blanks and comments one kind, in the order of ``_GROUPS``.
    """
    groups = _groups(grammar, _GROUPS)
    return re.compile("|".join(f"({group})" for group in groups), re.DOTALL)


def blank_first_pattern(grammar: str) -> re.Pattern[str]:
    """``pattern_from`` that also takes the blanks before each token, in group 1.

    One match per token instead of two (a token and the blank after it) halves the matches
    ``tokenize`` reads; an end alternative takes blanks that end the text.
    """
    blank, *groups = _groups(grammar, _BLANK_FIRST)
    tokens = "|".join(f"({group})" for group in groups)
    return re.compile(f"((?:{blank})?)(?:{tokens}|\\Z)", re.DOTALL)


def _groups(grammar: str, order: tuple[tuple[str, ...], ...]) -> list[str]:
    """The alternatives of each group of ``order``, then the operators' group."""
    terminals = {m[1]: _REGEX.findall(m[2]) for m in _TERMINAL.finditer(grammar)}
    groups = []
    for names in order:
        alternatives = [alt for name in names for alt in terminals[name]]
        if names in (("STRING",), ("QNAME",)):
            if not all(_ESCAPE in alt for alt in alternatives):
                raise ValueError(f"grammar.lark: {names[0]} changed shape (no escape alternative)")
            alternatives = [alt.replace(_ESCAPE, "") for alt in alternatives]
        groups.append("|".join(alternatives))
    rules = "\n".join(line.split("//")[0] for line in grammar.splitlines())
    operators = {
        text
        for text, fold in _LITERAL.findall(_REGEX.sub("", rules))
        if not fold and text and not text.isalpha()
    }
    ordered = sorted(operators, key=lambda op: (-len(op), op))
    groups.append("|".join(re.escape(op) for op in ordered))
    return groups


def _reserved(keywords: str) -> frozenset[str]:
    for node in ast.parse(keywords).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "_RESERVED_WORDS":
            return frozenset(ast.literal_eval(node.value).split())
    raise ValueError("keywords.py: _RESERVED_WORDS not found")


def _load() -> tuple[re.Pattern[str] | None, frozenset[str], frozenset[str]]:
    folder: Path | None = aql_parser_dir()
    if folder is None:  # no arangolite: every text goes to the full parser (which says so)
        return None, frozenset(), frozenset()
    grammar = (folder / "grammar.lark").read_text(encoding="utf-8")
    reserved = _reserved((folder / "keywords.py").read_text(encoding="utf-8"))
    keywords = {text.upper() for text, fold in _LITERAL.findall(grammar) if fold}
    return blank_first_pattern(grammar), reserved, frozenset(keywords - reserved)


# ArangoDB's reserved words, and the keywords lark reads as names wherever its grammar cannot
# take them (OPTIONS .. TO)
_PATTERN, RESERVED, NONRESERVED = _load()

Token = tuple[str, str, int]
"""A token: its kind (``word``, ``bind``, ``num``, ``str``, ``qname`` or the operator text),
its text and its offset in the query."""


def tokenize(text: str) -> list[Token] | None:
    """Return the tokens of ``text`` (comments and blanks dropped), or None when unsure.

    None means: a character or form this tokenizer does not handle (strings with escapes
    included); the full parser decides those.
    """
    if _PATTERN is None:
        return None
    tokens: list[Token] = []
    append = tokens.append
    position = 0
    for blank, word, comment, bind, num, string, qname, op in _PATTERN.findall(text):
        position += len(blank)
        if word:
            append(("word", word, position))
            position += len(word)
        elif op:
            append((op, op, position))
            position += len(op)
        elif comment:
            position += len(comment)
        elif bind or num or string or qname:
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
