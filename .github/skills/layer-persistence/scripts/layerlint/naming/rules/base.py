"""The base class every naming rule derives from."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from ...finding import Finding
from ..source import SourceFile

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["PERSISTENCE", "Rule"]

PERSISTENCE = "nomarr.persistence"


class Rule:
    """One check with a stable code.

    Subclasses set the class attributes and implement ``check``; ``applies_to`` picks the
    modules the rule looks at. The documentation attributes feed ``check_naming.py --explain``.

    Attributes:
        code: stable identifier such as ``NMR001``; never reused for another meaning.
        name: short kebab-case name.
        message: ``str.format`` template of the finding message (no code inside).
        hint: how to fix a finding.
        why: why the rule matters.
        example: a snippet that is flagged.
        instead: the snippet to write instead.
        needs_tree: False for rules that also run on modules that do not parse.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]
    hint: ClassVar[str]
    why: ClassVar[str]
    example: ClassVar[str]
    instead: ClassVar[str]
    needs_tree: ClassVar[bool] = True

    def applies_to(self, src: SourceFile) -> bool:
        """Return True when the rule checks ``src`` (default: persistence modules)."""
        return src.in_package(PERSISTENCE)

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield the findings of this rule in ``src``."""
        raise NotImplementedError

    def found(self, src: SourceFile, node: ast.AST | None, **values: Any) -> Finding:
        """Build a finding at ``node`` (whole file when None) with the message filled in."""
        line = getattr(node, "lineno", 1) if node is not None else 1
        col = getattr(node, "col_offset", 0) + 1 if node is not None else 1
        return Finding(
            src.path, line, col, self.code, self.message.format(**values), hint=self.hint
        )

    @classmethod
    def describe(cls) -> str:
        """Return the rule's documentation as plain text."""
        what = inspect.cleandoc(cls.__doc__ or "")
        return (
            f"{cls.code} {cls.name}\n\n{what}\n\nWhy: {cls.why}\n\n"
            f"Flagged:\n{_indent(cls.example)}\n\nInstead:\n{_indent(cls.instead)}\n\n"
            f"Fix: {cls.hint}\n"
        )


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.strip("\n").splitlines())
