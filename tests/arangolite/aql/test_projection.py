"""Projections (``aql.projection``): the attributes of a FOR variable a query reads, or None
whenever it may read the document whole."""

from __future__ import annotations

import pytest

from arangolite.aql.parser.driver import parse
from arangolite.aql.projection import MAX_FIELDS, projected

CASES: dict[str, tuple[str, ...] | None] = {
    "FOR d IN c FILTER d.n % 7 == 3 RETURN d._key": ("_key", "n"),
    "FOR d IN c FILTER d.a.b == 1 RETURN d['x']": ("_key", "a", "x"),
    "FOR d IN c FILTER d.n == 1 RETURN d.tags[*].x": ("_key", "n", "tags"),
    "FOR d IN c FILTER d.n == 1 RETURN d.a[0]": ("_key", "a", "n"),
    "FOR d IN c FILTER d.n == 1 COLLECT s = d.s WITH COUNT INTO k RETURN [s, k]": ("_key", "n", "s"),
    "FOR d IN c FILTER d.n == 1 COLLECT AGGREGATE m = MAX(d.m) RETURN m": ("_key", "m", "n"),
    "FOR d IN c FILTER d.n == 1 UPDATE d._key WITH {x: 1} IN c": ("_key", "n"),
    "FOR d IN c FILTER d.n == 1 SORT d.s LIMIT 2 RETURN {k: d._id}": ("_id", "_key", "n", "s"),
    "FOR d IN c FILTER d.n == 1 LET x = (FOR y IN e FILTER y.a == d.a RETURN y) RETURN x":
        ("_key", "a", "n"),
    # the document read whole, or possibly so
    "FOR d IN c FILTER d.n % 7 == 3 RETURN d": None,
    "FOR d IN c FILTER d.n == 1 COLLECT s = d.s INTO g RETURN s": None,
    "FOR d IN c FILTER d.n == 1 COLLECT s = d.s INTO g = d.x RETURN g": None,
    "FOR d IN c FILTER d.n == 1 COLLECT s = d.s INTO g KEEP d RETURN g": None,
    "FOR d IN c FILTER d.n == 1 LET d2 = d RETURN d2.n": None,
    "FOR d IN c FILTER d.n == 1 RETURN MERGE(d, {})": None,
    "FOR d IN c FILTER d.n == 1 RETURN HAS(d, 'x')": None,
    "FOR d IN c FILTER d.n == 1 RETURN d[@x]": None,
    "FOR d IN c FILTER d.n == 1 RETURN d.@x": None,
    "FOR d IN c FILTER d.n == 1 RETURN d[CONCAT('a', 'b')]": None,
    "FOR d IN c FILTER d.n == 1 RETURN d.`a b`": None,
    "FOR d IN c FILTER d.n == 1 RETURN d[*].n": None,
    "FOR d IN c FILTER d.n == 1 UPDATE d WITH {x: 1} IN c": None,
    "FOR d IN c FILTER d.n == 1 REMOVE d IN c": None,
    "FOR d IN c FILTER d.n == 1 FOR v IN 1..2 OUTBOUND d e RETURN v": None,
    # the name declared again: another variable, possibly read whole
    "FOR d IN c FILTER d.n == 1 RETURN (FOR d IN e RETURN d.x)": None,
    "FOR d IN c FILTER d.n == 1 RETURN (FOR x IN e LET d = x RETURN d.y)": None,
    "FOR d IN c FILTER d.n == 1 FOR v, d IN 1..1 OUTBOUND 'c/a' e RETURN v._key": None,
}


@pytest.mark.parametrize(("query", "fields"), list(CASES.items()))
def test_a_projection_lists_what_the_query_reads_or_is_none(
    query: str, fields: tuple[str, ...] | None
) -> None:
    assert projected(parse(query), "d") == fields


def test_too_many_attributes_read_the_document_whole() -> None:
    names = [f"a{i}" for i in range(MAX_FIELDS)]
    query = f"FOR d IN c FILTER d.n == 1 RETURN [{', '.join('d.' + n for n in names)}]"
    assert projected(parse(query), "d") is None
    fewer = f"FOR d IN c FILTER d.n == 1 RETURN [{', '.join('d.' + n for n in names[:5])}]"
    assert projected(parse(fewer), "d") == ("_key", *names[:5], "n")
