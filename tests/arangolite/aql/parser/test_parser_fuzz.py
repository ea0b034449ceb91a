"""Property tests: the parser answers any text with an AST or an ArangoError 1501/1502."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arangolite.aql import ast
from arangolite.aql.parser import parse
from arangolite.errors import ArangoError

SEEDS = [
    "FOR u IN users FILTER u.age >= @min SORT u.name DESC LIMIT 2, 5 RETURN u",
    "FOR v, e, p IN 1..3 OUTBOUND 'a/1' GRAPH 'g' PRUNE v.x == 1 OPTIONS {bfs: true} RETURN p",
    "FOR x IN c COLLECT g = x.a AGGREGATE s = SUM(x.v) INTO grp RETURN {g, s}",
    "FOR x IN c COLLECT g = x.a INTO grp = x.b KEEP x WINDOW {preceding: 1} AGGREGATE m = MAX(g)"
    " RETURN DISTINCT m",
    "UPSERT {k: 1} INSERT {k: 1} UPDATE {n: OLD.n + 1} IN coll OPTIONS {}",
    "LET a = [1, 2, 3] RETURN a[* FILTER CURRENT > 1 RETURN CURRENT * 2]",
    "WITH a FOR p IN ANY K_SHORTEST_PATHS 'a/1' TO 'a/2' edges RETURN p",
    "RETURN x ALL IN [1, 2] ? 'yes' : `no`.@attr",
    'FOR d IN @@c UPDATE d WITH {x: 0x1F, y: .5e3, z: "s\\u00e9"} IN @@c',
]

TOKENS = [
    "FOR", "IN", "RETURN", "FILTER", "LET", "COLLECT", "INTO", "WITH", "COUNT", "SORT", "LIMIT",
    "INSERT", "UPDATE", "REPLACE", "REMOVE", "UPSERT", "OUTBOUND", "ANY", "ALL", "GRAPH",
    "SHORTEST_PATH", "TO", "PRUNE", "OPTIONS", "KEEP", "AGGREGATE", "WINDOW", "DISTINCT", "NOT",
    "AT LEAST", "x", "y", "_key", "@p", "@@c", "1", "1.5", "0x1", "'s'", "\"t\"", "`q`", "(", ")",
    "[", "]", "{", "}", ",", ":", ".", "..", "*", "?", "==", "=", "!", "&&", "||", "+", "-",
    "/*", "*/", "//", "\n", "\u00b4",
]  # fmt: skip


def check(text: str) -> None:
    try:
        result = parse(text)
    except ArangoError as exc:
        assert exc.error_num in (1501, 1502), exc.message
        return
    assert isinstance(result, ast.Query)
    assert result.body


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text(max_size=80))
def test_arbitrary_text(text: str) -> None:
    check(text)


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=25))
def test_token_soup(tokens: list[str]) -> None:
    check(" ".join(tokens))


@FAST
@given(
    st.sampled_from(SEEDS),
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=200), st.integers(0, 4), st.text(max_size=4)),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_valid_queries(seed: str, edits: list[tuple[int, int, str]]) -> None:
    text = seed
    for position, cut, insert in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + cut :]
    check(text)


def test_seeds_are_valid() -> None:
    for seed in SEEDS:
        assert parse(seed).body
