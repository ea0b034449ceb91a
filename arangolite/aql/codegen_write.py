"""Compiling INSERT, UPDATE, REPLACE, REMOVE and UPSERT, and ArangoDB's rule that a query may not
read a collection after modifying it (1579)."""

from __future__ import annotations

from typing import Any

from arangolite import errors
from arangolite.aql import ast
from arangolite.aql.codegen_base import Block, CodegenBase
from arangolite.aql.codegen_expr import constant_value, is_constant
from arangolite.aql.scope import Scope
from arangolite.errors import ArangoError


class WriteCodegen(CodegenBase):
    """Data-modification operations."""

    def _options(self, node: Any) -> str:
        if node is None:
            return "None"
        if not is_constant(node) and not isinstance(node, (ast.ObjectLit, ast.BindParam)):
            raise ArangoError(errors.QUERY_PARSE, message="OPTIONS must be an object literal")
        return self.const(constant_value(node)) if is_constant(node) else self.expr(node)

    def _note_read(self, node: Any) -> None:
        """ArangoDB refuses to read a collection after the query modified it (1579)."""
        if isinstance(node, ast.Name):
            if node.name in self.modified:
                raise ArangoError(errors.QUERY_ACCESS_AFTER_MODIFICATION, f"collection '{node.name}'")
            self.first_read.setdefault(node.name, self.nesting)

    def _note_write(self, node: Any) -> None:
        """... or to modify, inside a subquery, a collection an outer level reads (1579)."""
        if isinstance(node, ast.Name):
            if self.first_read.get(node.name, self.nesting) < self.nesting:
                raise ArangoError(errors.QUERY_ACCESS_AFTER_MODIFICATION, f"collection '{node.name}'")
            self.modified.add(node.name)

    def _modification(self, op: Any, seg: Block) -> None:
        name = self.collection_name(op.collection)
        self._note_write(op.collection)
        self.writes.add(name)
        opts = self._options(op.options)
        result = self.names.fresh("m")
        if isinstance(op, ast.Insert):
            call = f"rt.insert({name}, {self.expr(op.doc)}, {opts})"
        elif isinstance(op, (ast.Update, ast.Replace)):
            kind = "update" if isinstance(op, ast.Update) else "replace"
            key = self.expr(op.key) if op.key is not None else "None"
            call = f"rt.{kind}({name}, {key}, {self.expr(op.doc)}, {opts})"
        elif isinstance(op, ast.Remove):
            call = f"rt.remove({name}, {self.expr(op.key)}, {opts})"
        else:
            call = self._upsert_call(op, name, opts)
        seg.emit(f"{result} = {call}")
        seg.emit(f"if {result} is None: continue")
        old = self._declare("OLD", shadow=True)
        new = self._declare("NEW", shadow=True)
        seg.emit(f"{old.py}, {new.py} = {result}")

    def _upsert_call(self, op: ast.Upsert, name: str, opts: str) -> str:
        search = self.expr(op.search)
        insert = self.expr(op.insert)
        saved, self.scope = self.scope, Scope(parent=self.scope)
        try:
            old = self._declare("OLD")
            update = self.expr(op.update)
        finally:
            self.scope = saved
        return (
            f"rt.upsert({name}, {search}, lambda: {insert}, lambda {old.py}: {update}, "
            f"{op.replace}, {opts})"
        )
