"""The expression half of the fast AQL front end (``aql_fast``), one method per grammar level.

The levels are those of ``grammar.lark``, lowest precedence first: ternary, ``||``, ``&&``,
equality, ``IN``, ordering, ``..``, ``+ -``, ``* / %``, unary, postfix, primary. With
``no_in`` an expression stops before a top-level ``IN``, as lark's "m" chain does for the
expressions of modification statements. Each method returns what the facts need to know of
the expression (``Expr``) and raises ``Unsure`` on anything outside the fast subset.
"""

from __future__ import annotations

from collections.abc import Callable

from .aql_tokens import NONRESERVED, RESERVED, Token
from .identifiers import is_rename

__all__ = ["QUERY_START", "Expr", "ExpressionReader", "Unsure"]

KEYWORDS = RESERVED | NONRESERVED
QUERY_START = frozenset(
    {"FOR", "LET", "FILTER", "SORT", "LIMIT", "INSERT", "UPDATE", "REPLACE", "REMOVE", "UPSERT"}
    | {"RETURN", "COLLECT", "WINDOW"}
)
_NEGATABLE = frozenset({"=~", "!~"})
_SYMBOLS = {"||": 0, "&&": 1, "==": 2, "!=": 2, "=~": 2, "!~": 2, "<": 4, "<=": 4, ">": 4}
_SYMBOLS.update({">=": 4, "..": 5, "+": 6, "-": 6, "*": 7, "/": 7, "%": 7})
_WORD_LEVELS = {"OR": 0, "AND": 1, "LIKE": 2, "IN": 3}
_RELATIONAL = 4
_UNARY = frozenset({"!", "-", "+"})
_LITERAL_WORDS = frozenset({"NULL", "TRUE", "FALSE"})
_MAX_DEPTH = 40
_CLOCK = "DATE_NOW"
_OTHER = "other"
_PAST_END = ["", "", ""]

Expr = tuple[int, str, str]
"""An expression for the facts: (index of the token giving its AST position, kind, value);
kind is ``name``, ``string``, ``attr`` (value: the attribute read last) or ``other``."""


class Unsure(Exception):
    """The text leaves the fast subset: the full parser must decide."""


class ExpressionReader:
    """Token access and the expression grammar; ``aql_fast`` adds the statements."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        # per token, read once: its kind, its upper-cased text (words only) and that text again
        # when it is a keyword; three blanks past the end stand for "no token" (look-ahead)
        self.kinds = [kind for kind, _, _ in tokens] + _PAST_END
        self.uppers = [value.upper() if kind == "word" else "" for kind, value, _ in tokens]
        self.keywords = [word if word in KEYWORDS else "" for word in self.uppers] + _PAST_END
        self.at = 0
        self.depth = 0
        self.binds: list[tuple[int, str]] = []  # (token index, name) of every @name
        self.bind_colls: set[str] = set()
        self.clocks: list[int] = []  # token index of every DATE_NOW() call
        self.renames: list[tuple[int, str, str]] = []  # key token index, key, attribute
        self.comparisons: list[tuple[int, str, int, int]] = []  # pos index, op, first, end

    # ---------------------------------------------------------------- tokens

    def kind(self) -> str:
        """Return the kind of the current token ('' at the end)."""
        return self.kinds[self.at]

    def keyword(self, offset: int = 0) -> str:
        """Return the upper-cased word at ``offset`` when it is a keyword, else ''."""
        return self.keywords[self.at + offset]

    def expect(self, kind: str) -> None:
        """Step over a token of ``kind`` or give up."""
        if self.kinds[self.at] != kind:
            raise Unsure
        self.at += 1

    def name(self, *, any_word: bool = False) -> str:
        """Read a NAME or QNAME; a keyword reads as a name only when ``any_word``."""
        kind, value, _ = self.tokens[self.at]
        if kind == "qname":
            self.at += 1
            return value[1:-1]
        if kind != "word" or (not any_word and self.keywords[self.at]):
            raise Unsure
        self.at += 1
        return value

    def query(self, *, top: bool = False) -> None:
        """Read a (sub)query; ``aql_fast`` implements it."""
        raise NotImplementedError

    # ---------------------------------------------------------------- operators

    def expr(self, *, no_in: bool = False) -> Expr:
        """Read ``expr`` (or ``mexpr`` when ``no_in``)."""
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise Unsure
        result = self.binary(0, no_in)
        if self.kinds[self.at] == "?":
            self.at += 1
            if self.kinds[self.at] == ":":
                self.at += 1
            else:
                self.expr()
                self.expect(":")
            self.expr(no_in=no_in)
            result = (result[0], _OTHER, "")
        self.depth -= 1
        return result

    def binary(self, lowest: int, no_in: bool) -> Expr:
        """Read operators of level ``lowest`` and above (precedence climbing, left-assoc)."""
        first = self.at
        kinds = self.kinds
        if kinds[first] in _UNARY or self.keywords[first] == "NOT":
            left = self.unary()
        else:
            left = self.postfix()  # what ``unary`` would do, one call less
        while True:
            kind = kinds[self.at]
            if kind == "word":
                level, width = self.operator(no_in)
            else:  # ``operator`` of a symbol, inline ('' past the end: -1)
                level, width = _SYMBOLS.get(kind, -1), 1
            if level < lowest:
                return left
            op = self.tokens[self.at][1]
            self.at += width
            self.binary(level + 1, no_in)
            if level == _RELATIONAL:
                self.comparisons.append((left[0], op, first, self.at))
            left = (left[0], _OTHER, "")

    def operator(self, no_in: bool) -> tuple[int, int]:
        """Return the level of the binary operator here and its width in tokens (-1: none).

        Levels: 0 ``||``, 1 ``&&``, 2 equality, 3 ``IN``, 4 ordering, 5 ``..``, 6 ``+ -``,
        7 ``* / %``. With ``no_in``, ``IN`` ends the expression.
        """
        kind = self.kinds[self.at]
        if kind != "word":
            return _SYMBOLS.get(kind, -1), 1  # '' past the end: -1
        word = self.uppers[self.at]
        if word in _WORD_LEVELS:
            level = _WORD_LEVELS[word]
            return (-1, 0) if level == 3 and no_in else (level, 1)
        if word in ("ALL", "ANY", "NONE", "AT"):
            raise Unsure  # array quantifiers
        if word != "NOT":
            return -1, 0
        following = self.keyword(1) or self.tokens[self.at + 1][0]
        if following == "LIKE" or following in _NEGATABLE:
            return 2, 2
        if following == "IN" and not no_in and self._blank_between(self.at, self.at + 1):
            return 3, 2
        raise Unsure

    def _blank_between(self, left: int, right: int) -> bool:
        _, value, start = self.tokens[left]
        return not self.text[start + len(value) : self.tokens[right][2]].strip(" \t\r\n")

    def unary(self) -> Expr:
        """Read ``unary_e``: ``NOT``, ``!``, ``-``, ``+`` before a postfix expression."""
        at = self.at
        if self.kinds[at] in _UNARY or self.keywords[at] == "NOT":
            start = self.at
            self.at += 1
            self.unary()
            return (start, _OTHER, "")
        return self.postfix()

    # ---------------------------------------------------------------- operands

    def postfix(self) -> Expr:
        """Read a primary and its ``.name``, ``.@bind`` and ``[index]`` accesses."""
        result = self.primary()
        kinds = self.kinds
        while True:
            kind = kinds[self.at]
            if kind == ".":
                self.at += 1
                if kinds[self.at] == "bind":
                    self.bind(collection=False)
                    result = (result[0], _OTHER, "")
                elif kinds[self.at] == "word":  # ``name(any_word=True)`` of a word, inline
                    result = (result[0], "attr", self.tokens[self.at][1])
                    self.at += 1
                else:
                    result = (result[0], "attr", self.name(any_word=True))
            elif kind == "[":
                self.at += 1
                if kinds[self.at] == "*":
                    raise Unsure  # [*] expansions
                self.expr()
                self.expect("]")
                result = (result[0], _OTHER, "")
            else:
                return result

    def bind(self, *, collection: bool = True) -> None:
        """Read a ``@name`` token, or a ``@@name`` one where ``collection`` allows it."""
        _, value, _ = self.tokens[self.at]
        if value.startswith("@@"):
            if not collection:
                raise Unsure  # only @name is allowed here
            self.bind_colls.add(value[2:])
        else:
            self.binds.append((self.at, value[1:]))
        self.at += 1

    def primary(self) -> Expr:
        """Read a literal, name, bind parameter, call, array, object or parenthesis."""
        start = self.at
        kind, value, _ = self.tokens[start]
        if kind == "num":
            self.at += 1
            return (start, _OTHER, "")
        if kind == "str":
            self.at += 1
            return (start, "string", value[1:-1])
        if kind == "bind":
            self.bind()
            return (start, _OTHER, "")
        if kind == "(":
            return self.parenthesis()
        if kind == "[":
            self.array_literal()
            return (start, _OTHER, "")
        if kind == "{":
            self.object_literal()
            return (start, _OTHER, "")
        word = self.uppers[start]
        if word in _LITERAL_WORDS:
            self.at += 1
            return (start, _OTHER, "")
        if word in RESERVED:
            raise Unsure
        name = self.name(any_word=True)  # OPTIONS, COUNT ... read as names here, as in lark
        if self.kinds[self.at] == "(":
            self.call(name, start)
            return (start, _OTHER, "")
        return (start, "name", name)

    def call(self, name: str, start: int) -> None:
        """Read the arguments of a function call (a bare query is one)."""
        if name.upper() == _CLOCK:
            self.clocks.append(start)
        self.at += 1
        if self.kind() == ")":
            self.at += 1
            return
        while True:
            if self.keyword() in QUERY_START:
                self.query()
            else:
                self.expr()
            if self.kind() != ",":
                break
            self.at += 1
        self.expect(")")

    def parenthesis(self) -> Expr:
        """Read ``( expr )`` (its value is the inner expression) or ``( query )``."""
        start = self.at
        self.at += 1
        if self.keyword() in QUERY_START:
            self.query()
            result: Expr = (start, _OTHER, "")
        else:
            result = self.expr()
        self.expect(")")
        return result

    def array_literal(self) -> None:
        """Read ``[ a, b, ]``."""
        self.enclosed(self.expr, "]")

    def object_literal(self) -> None:
        """Read ``{ key: value, short, [computed]: value, @bind: value, }``."""
        self.enclosed(self.object_item, "}")

    def enclosed(self, item: Callable[[], object], close: str) -> None:
        """Read ``item ("," item)* ","?`` up to ``close``; the opening bracket is current."""
        self.at += 1
        kinds = self.kinds
        while kinds[self.at] != close:
            item()
            if kinds[self.at] != ",":
                break
            self.at += 1
        self.expect(close)

    def object_item(self) -> None:
        """Read one object item, noting ``key: doc._key`` renames."""
        start = self.at
        kind, value, _ = self.tokens[start]
        if kind == "[":
            self.at += 1
            self.expr()
            self.expect("]")
            self.expect(":")
            self.expr()
            return
        if kind == "bind":
            self.bind(collection=False)
            self.expect(":")
            self.expr()
            return
        colon = start + 1 < len(self.tokens) and self.tokens[start + 1][0] == ":"
        if kind == "str" and colon:
            key = value[1:-1]
            self.at += 1
        elif kind in ("word", "qname"):
            key = self.name(any_word=colon)  # a keyword may be a key, not a short item
            if not colon:
                return
        else:
            raise Unsure
        self.expect(":")
        _, what, attribute = self.expr()
        if what == "attr" and is_rename(attribute, key):
            self.renames.append((start, key, attribute))
