"""NMR001: modules in ``persistence/database/`` are named ``<collection>_aql.py``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..source import SourceFile
from .base import PERSISTENCE, Rule

if TYPE_CHECKING:
    from ..project import Project

DATABASE = PERSISTENCE + ".database"


class AqlModuleName(Rule):
    """Every module below ``nomarr/persistence/database/`` ends in ``_aql``.

    A package named ``<name>_aql/`` and everything inside it is allowed, and so is
    ``database/__init__.py``.
    """

    code = "NMR001"
    name = "aql-module-name"
    message = "module `{module}` in persistence/database/ is not named `<collection>_aql.py`"
    hint = "rename it to <collection>_aql.py (or move non-query code out of database/)"
    why = (
        "The folder layout is the architecture: one `<collection>_aql.py` per collection lets a "
        "reader find every query of a collection from its name alone."
    )
    example = "nomarr/persistence/database/library_files.py"
    instead = "nomarr/persistence/database/library_files_aql.py"

    def applies_to(self, src: SourceFile) -> bool:
        """Check modules strictly below ``nomarr.persistence.database``."""
        return src.module.startswith(DATABASE + ".")

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding when the first name below ``database`` lacks the suffix."""
        first = src.module[len(DATABASE) + 1 :].split(".")[0]
        if not first.endswith("_aql"):
            yield self.found(src, None, module=src.rel)
