"""Object (document) functions: MERGE, UNSET, KEEP, HAS, ATTRIBUTES, VALUES, ENTRIES, ZIP,
TRANSLATE, MATCHES, VALUE."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from arangolite.aql.values import aql_eq, to_bool
from arangolite.functions._args import array_arg, object_arg, string_arg, type_warning
from arangolite.functions.registry import aql_function


def _merge_sources(docs: tuple[Any, ...], fname: str) -> list[dict[str, Any]]:
    items = docs[0] if len(docs) == 1 and type(docs[0]) is list else list(docs)
    return [object_arg(d, fname) for d in items]


@aql_function("MERGE", 1, None)
def merge(*docs: Any) -> dict[str, Any]:
    """Shallow merge; later attributes win. Also accepts one array of objects."""
    result: dict[str, Any] = {}
    for doc in _merge_sources(docs, "MERGE"):
        result.update(doc)
    return result


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in extra.items():
        old = result.get(key)
        if type(old) is dict and type(value) is dict:
            result[key] = _deep_merge(old, value)
        else:
            result[key] = value
    return result


@aql_function("MERGE_RECURSIVE", 1, None)
def merge_recursive(*docs: Any) -> dict[str, Any]:
    """Deep merge of nested objects; later values win otherwise."""
    result: dict[str, Any] = {}
    for doc in _merge_sources(docs, "MERGE_RECURSIVE"):
        result = _deep_merge(result, doc)
    return result


def _names(names: tuple[Any, ...]) -> set[str]:
    flat: set[str] = set()
    for name in names:
        members = name if type(name) is list else [name]
        flat.update(string_arg(m) for m in members)
    return flat


def _filter_keys(
    doc: dict[str, Any], keep: Callable[[str], bool], recursive: bool
) -> dict[str, Any]:
    result = {}
    for key, value in doc.items():
        if keep(key):
            nested = recursive and type(value) is dict
            result[key] = _filter_keys(value, keep, recursive) if nested else value
    return result


@aql_function("UNSET", 2, None)
def unset(doc: Any, *names: Any) -> dict[str, Any]:
    """The object without the named top-level attributes."""
    drop = _names(names)
    return _filter_keys(object_arg(doc, "UNSET"), lambda k: k not in drop, False)


@aql_function("UNSET_RECURSIVE", 2, None)
def unset_recursive(doc: Any, *names: Any) -> dict[str, Any]:
    """The object without the named attributes at any depth of nested objects."""
    drop = _names(names)
    return _filter_keys(object_arg(doc, "UNSET_RECURSIVE"), lambda k: k not in drop, True)


@aql_function("KEEP", 2, None)
def keep(doc: Any, *names: Any) -> dict[str, Any]:
    """Only the named top-level attributes."""
    wanted = _names(names)
    return _filter_keys(object_arg(doc, "KEEP"), wanted.__contains__, False)


@aql_function("KEEP_RECURSIVE", 2, None)
def keep_recursive(doc: Any, *names: Any) -> dict[str, Any]:
    """Only the named attributes, at every depth of nested objects."""
    wanted = _names(names)
    return _filter_keys(object_arg(doc, "KEEP_RECURSIVE"), wanted.__contains__, True)


@aql_function("HAS", 2)
def has(doc: Any, name: Any) -> bool:
    """Whether the object has attribute ``name`` (false for non-objects)."""
    return type(doc) is dict and string_arg(name) in doc


def _visible_keys(doc: dict[str, Any], remove_internal: Any) -> list[str]:
    hide = to_bool(remove_internal)
    return [k for k in doc if not (hide and k.startswith("_"))]


@aql_function("ATTRIBUTES", 1, 3, aliases=("KEYS",))
def attributes(doc: Any, remove_internal: Any = False, sort: Any = False) -> list[str]:
    """Attribute names (without ``_``-prefixed ones if asked), optionally sorted."""
    keys = _visible_keys(object_arg(doc, "ATTRIBUTES"), remove_internal)
    return sorted(keys) if to_bool(sort) else keys


@aql_function("VALUES", 1, 2)
def values(doc: Any, remove_internal: Any = False) -> list[Any]:
    """Attribute values (without those of ``_``-prefixed attributes if asked)."""
    obj = object_arg(doc, "VALUES")
    return [obj[k] for k in _visible_keys(obj, remove_internal)]


@aql_function("ENTRIES", 1)
def entries(doc: Any) -> list[list[Any]]:
    """``[name, value]`` pairs."""
    return [[k, v] for k, v in object_arg(doc, "ENTRIES").items()]


@aql_function("ZIP", 2)
def zip_(keys: Any, vals: Any) -> dict[str, Any]:
    """An object from parallel arrays of names and values."""
    names, items = array_arg(keys, "ZIP"), array_arg(vals, "ZIP")
    if len(names) != len(items):
        raise type_warning("ZIP")
    result: dict[str, Any] = {}
    for name, value in zip(names, items, strict=True):
        result.setdefault(string_arg(name), value)
    return result


@aql_function("VALUE", 2)
def value(doc: Any, path: Any) -> Any:
    """The value at ``path`` (attribute names and array indexes); null when missing."""
    current: Any = object_arg(doc, "VALUE")
    for step in array_arg(path, "VALUE"):
        if type(current) is dict and type(step) is str:
            current = current.get(step)
        elif type(current) is list and type(step) is int:
            current = current[step] if -len(current) <= step < len(current) else None
        else:
            return None
    return current


@aql_function("TRANSLATE", 2, 3)
def translate(value: Any, lookup: Any, default: Any = ...) -> Any:
    """``lookup[value]`` if present, else ``default`` (or the value itself)."""
    table = object_arg(lookup, "TRANSLATE")
    key = string_arg(value)
    if key in table:
        return table[key]
    return value if default is ... else default


def _matches(doc: dict[str, Any], example: Any) -> bool:
    if type(example) is not dict:
        return False
    return all(aql_eq(doc.get(k), v) for k, v in example.items())


@aql_function("MATCHES", 2, 3)
def matches(doc: Any, examples: Any, return_index: Any = False) -> bool | int:
    """Whether ``doc`` has all attributes of one of the examples (or that example's index)."""
    candidates = examples if type(examples) is list else [examples]
    found = -1
    if type(doc) is dict:
        found = next((i for i, ex in enumerate(candidates) if _matches(doc, ex)), -1)
    return found if to_bool(return_index) else found >= 0
