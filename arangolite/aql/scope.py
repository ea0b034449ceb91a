"""Lexical scopes of a query being compiled: AQL variable names mapped to Python names."""

from __future__ import annotations

from dataclasses import dataclass, field

from arangolite import errors
from arangolite.errors import ArangoError


@dataclass
class Variable:
    """One AQL variable as the generated code sees it."""

    aql: str
    py: str
    is_document: bool = False  # known to be a dict (bound by FOR over a collection)


@dataclass
class Scope:
    """Variables of one query level; ``parent`` is the enclosing query level (for subqueries)."""

    parent: Scope | None = None
    vars: dict[str, Variable] = field(default_factory=dict)

    def lookup(self, name: str) -> Variable | None:
        """Find ``name`` here or in an enclosing level."""
        scope: Scope | None = self
        while scope is not None:
            found = scope.vars.get(name)
            if found is not None:
                return found
            scope = scope.parent
        return None

    def declare(self, var: Variable, *, allow_shadow: bool = False) -> None:
        """Declare a variable; redeclaring one of this level is ArangoDB's error 1511."""
        if var.aql in self.vars and not allow_shadow:
            raise ArangoError(errors.QUERY_VARIABLE_REDECLARED, var.aql)
        self.vars[var.aql] = var

    def local_vars(self) -> list[Variable]:
        """Variables of this level, in declaration order."""
        return list(self.vars.values())


class Names:
    """Generator of unique Python identifiers for one compiled query."""

    def __init__(self) -> None:
        self._counter = 0

    def fresh(self, hint: str) -> str:
        """A new identifier containing ``hint`` (sanitised)."""
        self._counter += 1
        # ASCII only: `x²` or `café` are AQL names but not (all) Python identifiers
        clean = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "_") else "_" for ch in hint)
        return f"{clean}_{self._counter}"
