"""SKILL.md's validation checklist says, item by item, what enforces it.

Each item names the check_naming rule (or lint.py) that enforces it, or is marked *review*;
every code named is a real rule, and every rule that guards the layer appears in the list.
"""

from __future__ import annotations

import re

from conftest import REPO_ROOT
from layerlint.naming.rules import ALL_RULES

_SKILL = REPO_ROOT / ".github" / "skills" / "layer-persistence" / "SKILL.md"
_CODE = re.compile(r"\bNMR\d{3}\b")
# NMR000 (the module parses) and NMR013 (a suppression gives its reason) guard the checker's
# own input, not a property of the layer a contributor ticks off.
_NOT_CHECKLIST = {"NMR000", "NMR013"}


def _checklist_items() -> list[str]:
    text = _SKILL.read_text(encoding="utf-8")
    section = text.split("## Validation checklist", 1)[1].split("\n## ", 1)[0]
    items = re.split(r"\n- \[ \] ", "\n" + section.split("\n- [ ] ", 1)[1])
    return [" ".join(item.split()) for item in items if item.strip()]


def test_every_item_is_enforced_or_marked_for_review() -> None:
    items = _checklist_items()
    assert len(items) >= 10
    for item in items:
        assert _CODE.search(item) or "*review*" in item or "lint.py" in item, item


def test_codes_in_the_checklist_are_rules_and_cover_the_layer_rules() -> None:
    known = {rule.code for rule in ALL_RULES}
    named = {code for item in _checklist_items() for code in _CODE.findall(item)}
    assert named <= known, named - known
    assert known - _NOT_CHECKLIST <= named, (known - _NOT_CHECKLIST) - named
