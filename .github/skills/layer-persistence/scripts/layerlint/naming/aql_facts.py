"""What the rules read from one AQL query: plain data, the same whichever front end read it.

Named tuples rather than dataclasses: thousands are made per run and pickled into the cache,
and tuples are the cheapest Python objects to build and to pickle.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["AqlRef", "Comparison", "Parsed", "QueryFacts", "canonical"]


class AqlRef(NamedTuple):
    """A name found in a query, with its 1-based position in the query text."""

    name: str
    line: int
    column: int
    detail: str = ""


class Comparison(NamedTuple):
    """An ordering comparison (``<``, ``<=``, ``>``, ``>=``) of a query.

    Attributes:
        op: the operator.
        line: its line in the query text (where its left operand starts).
        column: its column.
        clock: ``DATE_NOW()`` when a clock function is compared, else ''.
        params: the bind parameters inside the comparison, in text order.
    """

    op: str
    line: int
    column: int
    clock: str
    params: tuple[str, ...]


class QueryFacts(NamedTuple):
    """What the rules need from one parsed query (plain data, in text order)."""

    bind_names: frozenset[str]
    collections: tuple[AqlRef, ...]
    renames: tuple[AqlRef, ...]
    comparisons: tuple[Comparison, ...]


class Parsed(NamedTuple):
    """The outcome of parsing one query text: ``facts`` or ``error`` (a message)."""

    facts: QueryFacts | None = None
    error: str | None = None


def canonical(
    binds: set[str],
    collections: list[AqlRef],
    renames: list[AqlRef],
    comparisons: list[Comparison],
) -> QueryFacts:
    """Return the facts with every list in text order, so both front ends give equal facts."""
    return QueryFacts(
        frozenset(binds),
        tuple(sorted(collections, key=_ref_key)),
        tuple(sorted(renames, key=_ref_key)),
        tuple(sorted(comparisons, key=_cmp_key)),
    )


def _ref_key(ref: AqlRef) -> tuple[int, int, str, str]:
    return (ref.line, ref.column, ref.name, ref.detail)


def _cmp_key(cmp: Comparison) -> tuple[int, int, str, str, tuple[str, ...]]:
    return (cmp.line, cmp.column, cmp.op, cmp.clock, cmp.params)
