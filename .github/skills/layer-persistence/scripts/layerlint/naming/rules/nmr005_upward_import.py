"""NMR005: persistence imports nothing from the layers above it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..imports import imports_package, runtime_imports
from ..source import SourceFile
from .base import Rule

if TYPE_CHECKING:
    from ..project import Project

UPPER_LAYERS = tuple(
    f"nomarr.{layer}" for layer in ("services", "workflows", "components", "interfaces")
)


class UpwardImport(Rule):
    """Flags persistence modules importing services, workflows, components or interfaces.

    Relative and function-local imports count; imports under ``if TYPE_CHECKING:`` do not,
    because they never run.
    """

    code = "NMR005"
    name = "persistence-imports-upward"
    message = "persistence imports `{target}` from a layer above it"
    hint = "pass the value in as an argument, or move the code that needs it up a layer"
    why = (
        "Persistence sits under every caller; importing a caller creates a cycle and drags "
        "business logic into data access."
    )
    example = "from nomarr.services.health import HEALTH_TIMEOUT_MS"
    instead = "def get_last_heartbeat(self, component_id: str) -> int | None: ..."

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per runtime import of an upper layer."""
        for ref in runtime_imports(src, _upper_layer):
            yield self.found(src, ref.node, target=ref.target)


def _upper_layer(target: str) -> bool:
    return any(imports_package(target, package) for package in UPPER_LAYERS)
