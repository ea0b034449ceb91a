"""The fast AQL front end agrees with arangolite's parser wherever it answers.

``fast_facts`` may decline any text (None: the full parser decides), but when it answers, the
text must be valid AQL for arangolite's lark parser and the facts must be the ones read from
lark's AST. Checked on hand-picked edge cases, on every query of this repository and of the
fixtures, on the conformance corpus (when ../shared is present) and on mutated variants of all
of them (a token dropped, doubled, swapped or replaced), which are mostly invalid AQL.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO_ROOT
from layerlint.naming.aql import AqlParser
from layerlint.naming.aql_fast import fast_facts
from layerlint.naming.aql_tokens import tokenize
from layerlint.naming.project import Project

_SHARED = Path(os.environ.get("NOMARR_SHARED_DIR") or REPO_ROOT.parent / "shared")
_CORPUS = _SHARED / "conformance" / "aql_3.12.jsonl"

# Read by the fast path: each must give lark's facts.
FAST = [
    "FOR d IN files FILTER d._key == @key RETURN d",
    "FOR d IN files FILTER d.status == @status SORT d.mtime DESC LIMIT @limit RETURN d",
    "INSERT @doc INTO files RETURN NEW",
    "FOR d IN `my-files` RETURN {id: d._key, ref: d._id, key: d._key, name: d.name}",
    "FOR d IN 'files' RETURN {'id': (d._id), `uuid`: d.x._key}",
    "FOR h IN health FILTER DATE_NOW() - h.last_heartbeat_ms < @timeout RETURN h",
    "FOR h IN health FILTER h.at > @now - @lease AND h.b <= 3 RETURN h",
    "FOR h IN health FILTER @a < @b < @c RETURN h",
    "FOR q IN queue FILTER (q.claimed_at + @lease) >= date_now() RETURN q",
    "FOR q IN queue FILTER -q.a < +@b || !(q.c > 1) RETURN q",
    "LET xs = [1, 2, 3,] FOR x IN xs RETURN x",
    "LET a = 1, b = @b FOR x IN coll RETURN a + b",
    "FOR x IN coll FILTER x.a IN @list AND x.b NOT IN [1, 2] RETURN x",
    "FOR x IN coll FILTER x.a NOT LIKE 'a%' AND x.b =~ 'x' AND x.c NOT !~ 'y' RETURN x",
    "FOR x IN coll LIMIT 2, @count RETURN x.for",
    "FOR x IN coll RETURN {filter: x.options, [x.k]: x.count, @p: 1, v: x.@attr}",
    "FOR x IN coll RETURN x.a ? x.b : x.c ?: @d",
    "FOR x IN coll RETURN (FOR y IN other FILTER y.k < x.k RETURN y)",
    "FOR x IN coll RETURN LENGTH(FOR y IN other RETURN y)",
    "FOR x IN coll RETURN COUNT(x.items)",
    "FOR x IN coll RETURN x[0][@i].name",
    "FOR x IN 1..10 RETURN x * 2 % 3 / 4",
    "FOR x IN @@coll FILTER x.n > 0x1F && x.m < 0b101 || x.f >= 1.5e3 RETURN x",
    "UPDATE @key WITH {n: @n} IN files OPTIONS {keepNull: false} RETURN NEW",
    "UPDATE {_key: @key} IN @@coll",
    "REPLACE @key WITH @doc IN files",
    "REMOVE @key IN files RETURN OLD",
    "UPSERT {k: @k} INSERT {k: @k, n: 1} UPDATE {n: OLD.n + 1} IN counters RETURN NEW",
    "UPSERT @search INSERT @doc REPLACE @doc INTO counters",
    "FOR x IN coll INSERT x INTO other",
    "FOR x IN coll REMOVE x IN coll LET y = 1 RETURN y",
    "// comment\nFOR x IN coll /* block */\n  FILTER x.a < DATE_NOW()\n  RETURN x",
    "FOR x IN coll FILTER x.a == null OR x.b == true OR x.c != false RETURN x",
    "RETURN 1",
    "RETURN (RETURN 1)",
    "FOR x IN coll SORT x.a ASC, x.b RETURN {a: {b: [x.c, {d: x._id}]}}",
    "FOR x IN coll FILTER x.a < @b ? @c : @d RETURN x",
    "LET now = DATE_NOW() FOR x IN coll FILTER x.t < now RETURN x",
    "FOR x IN coll COLLECT WITH COUNT INTO n RETURN n",
    "FOR x IN coll COLLECT s = x.s, t = x.t WITH COUNT INTO n RETURN {s, t, n}",
    "FOR x IN coll COLLECT s = x.s INTO g = x.size RETURN {s, n: LENGTH(g)}",
    "FOR x IN coll COLLECT s = x.s INTO g KEEP x RETURN g",
    "FOR x IN coll COLLECT AGGREGATE lo = MIN(x.t), hi = MAX(x.t) RETURN hi - lo",
    "FOR x IN coll COLLECT s = x.s AGGREGATE n = COUNT(x) INTO g RETURN n",
    "FOR x IN coll FILTER x.a NOT  IN @b RETURN x",
    "INSERT {a: 1} IN coll",
]

# Declined by the fast path: the full parser decides (valid or not).
DECLINED = [
    "",
    "// only a comment",
    "WITH coll FOR x IN coll RETURN x",
    "FOR x IN coll COLLECT a = x.a OPTIONS {method: 'sorted'} RETURN a",
    "FOR x IN coll COLLECT a = x.a KEEP x RETURN a",
    "FOR x IN coll COLLECT INTO g RETURN g",
    "FOR x IN coll COLLECT AGGREGATE n = x.a RETURN n",
    "FOR x IN coll RETURN DISTINCT x",
    "RETURN DISTINCT 1",
    "FOR x IN coll OPTIONS {indexHint: 'a'} RETURN x",
    "FOR v IN 1..2 OUTBOUND 'a/b' edges RETURN v",
    "FOR x IN coll RETURN x[*].a",
    "FOR x IN coll FILTER x.a ALL == 1 RETURN x",
    'FOR x IN coll RETURN "a\\"b"',
    "FOR x IN coll FILTER x.a NOT /* c */ IN @b RETURN x",
    "FOR x IN coll RETURN MY::FUNC(x)",
    "FOR filter IN coll RETURN filter",
    "INSERT {} INTO filter",
    "FOR x IN coll RETURN {count}",
    "FOR x IN coll FILTER RETURN x",
    "FOR x IN coll RETURN x;",
    "FOR x IN coll",
    "FOR x IN coll RETURN x RETURN x",
    "UPSERT @@c INSERT {} UPDATE {} IN coll",
    "FOR x IN coll RETURN {@@c: 1}",
    "FOR x IN coll RETURN x.@@c",
    "INSERT @doc INTO coll NOT IN @x",
    "RETURN " + "(" * 60 + "1" + ")" * 60,
    "RETURN " + "-" * 3000 + "1",
]


def _repository_queries() -> Iterator[str]:
    roots = [REPO_ROOT, *sorted(p for p in FIXTURES.rglob("*") if (p / "nomarr").is_dir())]
    for root in roots:
        project = Project(root)
        for src in project.files:
            if src.tree is not None:
                yield from (query.text for query in project.queries(src))


def _corpus_queries() -> list[str]:
    if not _CORPUS.is_file():
        return []
    lines = _CORPUS.read_text(encoding="utf-8").splitlines()
    return [q for q in (json.loads(line).get("query") for line in lines) if isinstance(q, str)]


_POOL = [
    "FOR",
    "IN",
    "RETURN",
    "NOT",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ".",
    "<",
    "==",
    "@x",
    "@@c",
    "x",
    "1",
    "'s'",
    "INTO",
    "WITH",
    "?",
    "..",
    "LET",
    "=",
    "DISTINCT",
    "OR",
    "COLLECT",
    "KEEP",
    "AGGREGATE",
    "COUNT",
    "UPDATE",
    "NOT",
    "LIKE",
    "DATE_NOW()",
    "._id",
]


def _mutants(text: str, rng: random.Random, count: int) -> Iterator[str]:
    tokens = tokenize(text)
    if not tokens:
        return
    pieces = [value for _, value, _ in tokens]
    for _ in range(count):
        changed = list(pieces)
        at = rng.randrange(len(changed))
        how = rng.randrange(4)
        if how == 0:
            del changed[at]
        elif how == 1:
            changed.insert(at, changed[at])
        elif how == 2 and at + 1 < len(changed):
            changed[at], changed[at + 1] = changed[at + 1], changed[at]
        else:
            changed[at] = rng.choice(_POOL)
        yield " ".join(changed)


def _agree(parser: AqlParser, text: str) -> bool:
    """Check one text; return whether the fast path answered."""
    fast = fast_facts(text)
    if fast is None:
        return False
    reference = parser.parse_fully(text)
    assert reference.error is None, f"fast path accepted invalid AQL: {text!r}: {reference.error}"
    assert reference.facts == fast, f"facts differ for {text!r}"
    return True


@pytest.mark.parametrize("text", FAST)
def test_fast_path_reads_common_forms_like_lark(text: str) -> None:
    assert _agree(AqlParser(), text), f"expected the fast path to read {text!r}"


@pytest.mark.parametrize("text", DECLINED, ids=range(len(DECLINED)))
def test_fast_path_declines_what_it_does_not_know(text: str) -> None:
    assert fast_facts(text) is None


def test_fast_path_agrees_on_real_queries_and_their_mutants() -> None:
    parser = AqlParser()
    rng = random.Random(12)
    queries = sorted(set(_repository_queries())) + _corpus_queries() + FAST + DECLINED
    answered = sum(_agree(parser, text) for text in queries)
    assert answered >= len(FAST)
    mutants = [m for text in queries for m in _mutants(text, rng, 12)]
    answered_mutants = sum(_agree(parser, text) for text in mutants)
    assert answered_mutants > 0  # valid mutants exist and were compared


def test_repository_queries_mostly_take_the_fast_path() -> None:
    queries = sorted(set(_repository_queries()))
    read = [text for text in queries if fast_facts(text) is not None]
    assert len(read) >= 0.8 * len(queries), [q for q in queries if fast_facts(q) is None][:5]
