"""NMR012: persistence has no ``is_healthy``/``is_alive``/``is_stale`` style predicates."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..source import SourceFile
from .base import Rule

if TYPE_CHECKING:
    from ..project import Project

_DECISION = re.compile(
    r"^_*(is|has|check)_\w*?(healthy|health|alive|stale|dead|expired|overloaded|live)"
)


class LivenessPredicate(Rule):
    """Flags persistence functions whose name announces a health or liveness decision.

    Names such as ``is_component_healthy``, ``is_worker_alive``, ``is_claim_stale`` or
    ``has_expired`` say the function decides; persistence only fetches what the decision needs.
    """

    code = "NMR012"
    name = "liveness-predicate"
    message = "`{func}` decides {what} inside persistence; that decision belongs in a service"
    hint = "expose the facts (get_last_heartbeat, get_claim) and move the predicate to services/"
    why = (
        "Health and liveness rules are business policy; keeping them in services lets them "
        "change, and be tested, without touching data access."
    )
    example = "def is_component_healthy(self, component_id: str) -> bool: ..."
    instead = "def get_last_heartbeat(self, component_id: str) -> int | None: ..."

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per function with a decision name."""
        for node in src.of(ast.FunctionDef, ast.AsyncFunctionDef):
            match = _DECISION.match(node.name)
            if match:
                yield self.found(src, node, func=node.name, what=match.group(2))
