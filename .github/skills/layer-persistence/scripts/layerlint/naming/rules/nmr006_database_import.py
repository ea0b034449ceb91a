"""NMR006: nothing outside persistence imports ``nomarr.persistence.database``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..imports import imports_package, runtime_imports
from ..source import SourceFile
from .base import PERSISTENCE, Rule

if TYPE_CHECKING:
    from ..project import Project

DATABASE = PERSISTENCE + ".database"


class DatabaseImportedOutside(Rule):
    """Flags modules outside persistence that import ``nomarr.persistence.database``.

    Relative and function-local imports count; imports under ``if TYPE_CHECKING:`` do not.
    """

    code = "NMR006"
    name = "database-imported-outside-persistence"
    message = "`{target}` is imported outside persistence; use the Database instance"
    hint = "take `db: Database` and call `db.<collection>.<method>()`"
    why = (
        "Operations classes are wired by `Database` to one connection and unit of work; building "
        "them elsewhere bypasses both."
    )
    example = "from nomarr.persistence.database.library_files_aql import LibraryFilesOperations"
    instead = "def scan(db: Database) -> None:\n    db.library_files.get_pending_files(key)"

    def applies_to(self, src: SourceFile) -> bool:
        """Check every ``nomarr`` module outside ``nomarr.persistence``."""
        return src.in_package("nomarr") and not src.in_package(PERSISTENCE)

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per runtime import of the database package."""
        for ref in runtime_imports(src, lambda target: imports_package(target, DATABASE)):
            yield self.found(src, ref.node, target=ref.target)
