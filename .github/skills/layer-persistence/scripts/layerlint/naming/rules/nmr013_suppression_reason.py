"""NMR013: a suppression comment gives its reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..source import SourceFile
from .base import Rule

if TYPE_CHECKING:
    from ..project import Project


class SuppressionWithoutReason(Rule):
    """Flags ``# nomarr: ignore[CODE]`` comments that do not say why.

    Such a comment suppresses nothing. This finding itself cannot be suppressed.
    """

    code = "NMR013"
    name = "suppression-without-reason"
    message = "suppression of {codes} gives no reason, so it suppresses nothing"
    hint = "write the reason after the bracket: # nomarr: ignore[NMR003] <why this is fine>"
    why = "An unexplained suppression cannot be reviewed, and outlives the reason it had."
    example = 'out = {"id": doc["_key"]}  # nomarr: ignore[NMR003]'
    instead = 'out = {"id": doc["_key"]}  # nomarr: ignore[NMR003] wire format of the v1 API'

    def applies_to(self, src: SourceFile) -> bool:
        """Check every module of the tree."""
        return True

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per suppression without a reason."""
        for item in src.suppressions.values():
            if not item.reason:
                codes = ", ".join(sorted(item.codes)) or "no code"
                yield Finding(
                    src.path,
                    item.line,
                    item.col,
                    self.code,
                    self.message.format(codes=codes),
                    hint=self.hint,
                )
