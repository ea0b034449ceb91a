"""NMR000: a module that does not parse cannot be checked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..source import SourceFile
from .base import Rule

if TYPE_CHECKING:
    from ..project import Project


class UnparsableModule(Rule):
    """Reports a module with a Python syntax error, which no other rule can look at."""

    code = "NMR000"
    name = "syntax-error"
    message = "cannot check this module: {error}"
    hint = "fix the syntax error; every other rule skips this file until then"
    why = "A module the checker cannot read would otherwise pass every rule silently."
    example = "def broken(:\n    pass"
    instead = "def fixed() -> None:\n    pass"
    needs_tree = False

    def applies_to(self, src: SourceFile) -> bool:
        """Check every module of the tree."""
        return True

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield one finding when the module has a syntax error."""
        if src.error is not None:
            error = src.error
            yield Finding(
                src.path,
                error.lineno or 1,
                error.offset or 1,
                self.code,
                self.message.format(error=error.msg),
                hint=self.hint,
            )
