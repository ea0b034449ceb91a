"""Each rule against its fixture tree: every ``# expect:`` marker found, nothing else."""

from __future__ import annotations

import importlib.util
from collections import Counter

import pytest
from conftest import FIXTURES, expected_findings
from layerlint.naming.engine import check
from layerlint.naming.rules import ALL_RULES

_AQL_RULES = {"NMR004", "NMR008", "NMR009", "NMR010"}
_HAS_PARSER = importlib.util.find_spec("arangolite.aql.parser") is not None
FIXTURE_CODES = sorted(
    p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name.startswith("NMR")
)


@pytest.mark.parametrize("code", FIXTURE_CODES)
def test_fixture_tree_yields_exactly_the_marked_findings(code: str) -> None:
    if code in _AQL_RULES and not _HAS_PARSER:
        pytest.skip("arangolite.aql.parser is not available yet")
    root = FIXTURES / code
    result = check(root)
    actual = Counter((f.path, f.line, f.code) for f in result.findings)
    assert actual == expected_findings(root)


@pytest.mark.parametrize("code", FIXTURE_CODES)
def test_fixture_has_true_positive_and_suppression(code: str) -> None:
    marked = expected_findings(FIXTURES / code)
    assert any(c == code for _, _, c in marked), f"{code} fixture marks no finding of its own"
    texts = "".join(p.read_text() for p in (FIXTURES / code).rglob("*.py"))
    if code not in {"NMR000", "NMR013"}:
        assert f"ignore[{code}" in texts or f", {code}]" in texts, "no suppression case"


def test_every_rule_has_a_fixture_tree() -> None:
    assert {rule.code for rule in ALL_RULES} == set(FIXTURE_CODES)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule: object) -> None:
    for attribute in ("code", "name", "message", "hint", "why", "example", "instead"):
        assert getattr(rule, attribute), attribute
    assert type(rule).__doc__
    assert type(rule).code not in type(rule).message


def test_codes_are_unique_and_stable_format() -> None:
    codes = [rule.code for rule in ALL_RULES]
    assert len(codes) == len(set(codes))
    assert all(c.startswith("NMR") and len(c) == 6 and c[3:].isdigit() for c in codes)
