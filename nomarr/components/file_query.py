"""Parse ``nomarr find``'s query, in the style of beets' ``beet ls``, into a structured filter.

::

    parse_query(["genre:rock", "year:1990..1999", "^mood:calm", ",", "artist:=nina simone"])
    # [[genre contains rock, year in 1990..1999, NOT mood contains calm], [artist == nina simone]]

Terms (all case-insensitive, compared after NFC normalisation):

======================  ====================================================================
``rock``                any tag value, the path or the title contains ``rock``
``genre:rock``          a ``genre`` tag contains ``rock``
``genre:=rock``         a ``genre`` tag is exactly ``rock`` (also ``genre=rock``)
``year:1990..1999``     a ``year`` tag between 1990 and 1999 (``1990..`` and ``..1999`` open)
``year>=1990``          also ``>``, ``<=``, ``<``
``path:live/``          the path (relative to the library root) contains ``live/``
``title:blue``          the embedded title contains ``blue``
``^term``               NOT term (beets' negation; ``-term`` after ``--`` too)
``,``                   OR: a lone comma separates groups; terms within a group are AND-ed
======================  ====================================================================

The result is data (lists of clause dicts) for
:meth:`nomarr.persistence.database.file_search_aql.FileSearchOperations.iter_matching`; no
query text is ever built from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from nomarr.components.tag_normalize import clean_text, normalize_value

__all__ = ["FIELDS", "QueryError", "parse_query", "tag_names_in"]

FIELDS = ("path", "title")
"""Names that are not tags but may be queried."""

_RANGE = re.compile(r"^(-?\d+(?:\.\d+)?)?\.\.(-?\d+(?:\.\d+)?)?$")
_COMPARE = re.compile(r"^([^\s:=<>^]+)\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$")
_EXAMPLE = {"year": "1997", "bpm": "120"}

Clause = dict[str, Any]


class QueryError(ValueError):
    """The query cannot be understood; the message says which term and how to write it."""


def _clause(field: str, op: str, *, name: str = "", value: str | None = None, negate: bool = False) -> Clause:
    return {"field": field, "name": name, "op": op, "value": value, "low": None, "high": None,
            "low_strict": False, "high_strict": False, "negate": negate}  # fmt: skip


def _number(text: str | None) -> float | int | None:
    if text is None:
        return None
    number = float(text)
    return int(number) if number.is_integer() else number


def _range(name: str, low: str | None, high: str | None, negate: bool, strict: tuple[bool, bool] = (False, False)) -> Clause:
    clause = _clause("tag", "range", name=name, negate=negate)
    clause.update(low=_number(low), high=_number(high), low_strict=strict[0], high_strict=strict[1])
    return clause


def _compare(name: str, operator: str, number: str, negate: bool) -> Clause:
    if operator.startswith(">"):
        return _range(name, number, None, negate, (operator == ">", False))
    return _range(name, None, number, negate, (False, operator == "<"))


def _exact(name: str, value: str, negate: bool, term: str) -> Clause:
    if name in FIELDS:
        return _clause(name, "eq", value=clean_text(value), negate=negate)
    values = normalize_value(name, value)
    if len(values) != 1:
        example = _EXAMPLE.get(name, "jazz")
        what = "a four-digit year" if name == "year" else "exactly one value"
        raise QueryError(f"{term!r}: give {what} (for example {name}={example})")
    return _clause("tag", "eq", name=name, value=values[0], negate=negate)


def _field_term(name: str, value: str, negate: bool, term: str) -> Clause:
    if value.startswith("="):
        return _exact(name, value[1:], negate, term)
    if value.startswith(":"):
        raise QueryError(f"{term!r}: regular expressions (NAME::REGEX) are not supported; use a substring (NAME:TEXT)")
    bounds = _RANGE.match(value.strip())
    if bounds and name not in FIELDS and (bounds.group(1) or bounds.group(2)):
        return _range(name, bounds.group(1), bounds.group(2), negate)
    text = clean_text(value)
    if not text:
        raise QueryError(f"{term!r}: give a value after the colon (for example {name}:rock)")
    field = name if name in FIELDS else "tag"
    return _clause(field, "contains", name="" if name in FIELDS else name, value=text, negate=negate)


def _term(term: str) -> Clause:
    negate = term.startswith(("^", "-"))
    body = term[1:] if negate else term
    compare = _COMPARE.match(body)
    if compare:
        return _compare(_name(compare.group(1)), compare.group(2), compare.group(3), negate)
    name, colon, value = body.partition(":")
    if colon and name.strip():
        return _field_term(_name(name), value, negate, term)
    name, equals, value = body.partition("=")
    if equals and name.strip():
        return _exact(_name(name), value, negate, term)
    text = clean_text(body)
    if not text:
        raise QueryError(f"{term!r} is empty: give a word to look for, or NAME:VALUE")
    return _clause("any", "contains", value=text, negate=negate)


def _name(name: str) -> str:
    cleaned = clean_text(name)
    return "year" if cleaned == "date" else cleaned


def parse_query(terms: Sequence[str]) -> list[list[Clause]]:
    """Return the OR-ed groups of AND-ed clauses of ``terms`` (see the module doc).

    Raises:
        QueryError: a term cannot be understood, or a group is empty.
    """
    groups: list[list[Clause]] = [[]]
    for term in terms:
        if term.strip() == ",":
            groups.append([])
        else:
            groups[-1].append(_term(term))
    if any(not group for group in groups):
        raise QueryError("a comma (OR) needs terms on both sides, for example: genre:rock , genre:jazz")
    return groups


def tag_names_in(groups: Iterable[Iterable[Clause]]) -> set[str]:
    """Return the tag names the query uses."""
    return {clause["name"] for group in groups for clause in group if clause["field"] == "tag"}
