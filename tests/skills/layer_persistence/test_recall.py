"""Recall on a code base that looks like a real application, not a per-rule fixture.

``fixtures/recall/`` is a small listening-history application: a schema, a Database that owns
transactions, an application runner with an ``execute_query`` helper, Operations modules,
DTOs, services, a workflow and an HTTP interface. Its violations of SKILL.md were written and
checked by hand and are marked ``# expect: CODE`` on their lines; everything else is
deliberately legitimate and made to look like a violation (the clock read to store a
timestamp, ``DATE_NOW()`` outside a comparison, a cutoff chosen by the caller, liveness decided
in a service, transactions in Database, TYPE_CHECKING imports, descriptive ``*_key`` fields,
collections bound with ``@@`` from the schema, a list trimmed without a clock).
"""

from __future__ import annotations

from collections import Counter

from conftest import FIXTURES, expected_findings
from layerlint.naming.engine import check

ROOT = FIXTURES / "recall"


def test_every_marked_violation_is_found_and_nothing_else() -> None:
    expected = expected_findings(ROOT)
    actual = Counter((f.path, f.line, f.code) for f in check(ROOT).findings)
    missed = expected - actual
    spurious = actual - expected
    assert not missed, f"recall below 100%: missed {sorted(missed)}"
    assert not spurious, f"false positives on legitimate code: {sorted(spurious)}"


def test_the_code_base_exercises_every_rule_but_syntax() -> None:
    codes = {code for _, _, code in expected_findings(ROOT)}
    assert codes >= {f"NMR{n:03d}" for n in range(1, 16)}
