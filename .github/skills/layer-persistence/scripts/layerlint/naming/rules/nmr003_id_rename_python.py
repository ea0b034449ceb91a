"""NMR003: Python code keeps ArangoDB's ``_key``/``_id`` names."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..identifiers import ARANGO_IDS, GENERIC_FIELDS, is_rename
from ..source import SourceFile
from .base import PERSISTENCE, Rule

if TYPE_CHECKING:
    from ..project import Project

_ALIAS_KEYWORDS = frozenset({"alias", "validation_alias", "serialization_alias"})
MAPPING_MODULE = "nomarr.helpers.dto.base"
Hit = tuple[ast.AST, str, str]


class IdKeyRenamedInPython(Rule):
    """Flags Python that renames ``_key``/``_id`` to a generic name.

    Anywhere in ``nomarr``: a ``Field(alias="_key")`` (or ``_id``, also as ``validation_alias``,
    ``serialization_alias`` or inside ``AliasChoices``) outside ``nomarr.helpers.dto.base``,
    whatever the field is called (``file_ref = Field(alias="_id")`` too). In persistence and
    helpers, also caught: dict keys and subscript targets that receive ``doc["_key"]`` (or ``doc.get("_id")``),
    ``dict(id=doc["_key"])``, a pydantic ``Field(alias="_key")`` on a field named ``id``, ``key``
    or ``uuid``, and model fields named ``id``. Descriptive foreign keys (``library_key``) are
    fine, and so is the one sanctioned DTO mapping ``key_: str = Field(alias="_key")`` (and
    ``id_`` for ``_id``) in ``nomarr.helpers.dto.base``.
    """

    code = "NMR003"
    name = "id-key-renamed"
    message = "{what} renames ArangoDB's `{source}`"
    hint = "keep `_key`/`_id`; DTOs map them once, in helpers.dto.base (key_ = Field(alias='_key'))"
    why = (
        "`_key` and `_id` mean one thing everywhere in ArangoDB; a generic `id` or `uuid` hides "
        "which of the two a value is, and each extra mapping is one more place to get it wrong."
    )
    example = 'return {"id": doc["_key"], "title": doc["title"]}'
    instead = "return LibraryFile.model_validate(doc)  # the DTO aliases _key once"

    def applies_to(self, src: SourceFile) -> bool:
        """Check every ``nomarr`` module (renames in Python only in persistence and helpers)."""
        return src.in_package("nomarr")

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per renaming site and per alias outside the one mapping place."""
        renames = src.in_package(PERSISTENCE) or src.in_package("nomarr.helpers")
        mapping_place = src.module == MAPPING_MODULE
        lines: set[int] = set()
        aliases: list[Finding] = []
        for hits in _all_hits(src) if renames else ():
            for where, what, source in hits:
                lines.add(getattr(where, "lineno", 0))
                yield self.found(src, where, what=what, source=source)
        for node in () if mapping_place else src.of(ast.keyword):
            alias = _aliased_id(node)
            if alias:
                what = f"an alias outside {MAPPING_MODULE} (the one place ids are mapped)"
                aliases.append(self.found(src, node, what=what, source=alias))
        yield from (finding for finding in aliases if finding.line not in lines)


_READS = (ast.Subscript, ast.Call)  # the expressions ``_id_source`` may find an id read in


def _all_hits(src: SourceFile) -> Iterator[list[Hit]]:
    """The hits of every dict, assignment, ``dict(...)`` call and class, by kind as ``src.of``
    lists them.

    Only the nodes that can hold a hit are looked at: a dict with a subscript or call value, an
    assignment of one, a call of ``dict`` with keywords.
    """
    for node in src.of(ast.Dict):
        if any(type(value) in _READS for value in node.values):
            yield _dict_hits(node)
    for node in src.of(ast.Assign):
        if type(node.value) in _READS:
            yield _subscript_hits(node)
    for node in src.of(ast.Call):
        func = node.func
        if type(func) is ast.Name and func.id == "dict" and node.keywords:
            yield _call_hits(node)
    for node in src.of(ast.ClassDef):
        yield _field_hits(node)


def _call_hits(node: ast.Call) -> list[Hit]:
    """Keywords of a ``dict(...)`` call that rename an id read."""
    return [
        (kw, f"dict key `{kw.arg}`", src)
        for kw in node.keywords
        if kw.arg and (src := _id_source(kw.value)) and is_rename(src, kw.arg)
    ]


def _id_source(expr: ast.expr) -> str | None:
    """Return ``_key``/``_id`` when ``expr`` reads that attribute of a document."""
    key: ast.expr | None = None
    if isinstance(expr, ast.Subscript):
        key = expr.slice
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.args:
        key = expr.args[0] if expr.func.attr == "get" else None
    if isinstance(key, ast.Constant) and key.value in ARANGO_IDS:
        return str(key.value)
    return None


def _dict_hits(node: ast.Dict) -> list[Hit]:
    hits: list[Hit] = []
    for key, value in zip(node.keys, node.values, strict=True):
        source = _id_source(value)
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and source:
            hits.extend(
                [(key, f"dict key `{key.value}`", source)] if is_rename(source, key.value) else []
            )
    return hits


def _subscript_hits(node: ast.Assign) -> list[Hit]:
    source = _id_source(node.value)
    hits: list[Hit] = []
    for target in node.targets:
        if source and isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
            name = target.slice.value
            if isinstance(name, str) and is_rename(source, name):
                hits.append((target, f"dict key `{name}`", source))
    return hits


def _field_hits(node: ast.ClassDef) -> list[Hit]:
    hits: list[Hit] = []
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            field_name = stmt.target.id
            alias = _alias_of(stmt.value)
            if alias and field_name in GENERIC_FIELDS:
                hits.append((stmt, f"field `{field_name}` (alias of `{alias}`)", alias))
            elif field_name == "id":
                hits.append((stmt, "model field `id`", "_key/_id"))
    return hits


def _alias_of(value: ast.expr | None) -> str | None:
    if not isinstance(value, ast.Call):
        return None
    for keyword in value.keywords:
        value = keyword.value
        if (
            keyword.arg in _ALIAS_KEYWORDS
            and isinstance(value, ast.Constant)
            and value.value in ARANGO_IDS
        ):
            return str(value.value)
    return None


def _aliased_id(keyword: ast.AST) -> str | None:
    """Return ``_key``/``_id`` when an alias keyword names one (also inside ``AliasChoices``)."""
    if not isinstance(keyword, ast.keyword) or keyword.arg not in _ALIAS_KEYWORDS:
        return None
    for sub in ast.walk(keyword.value):
        if isinstance(sub, ast.Constant) and sub.value in ARANGO_IDS:
            return str(sub.value)
    return None
