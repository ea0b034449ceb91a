"""Index definitions: validating a creation request, describing an index as ArangoDB does."""

from __future__ import annotations

from typing import Any

from arangolite.errors import BAD_PARAMETER, NOT_IMPLEMENTED, ArangoError
from arangolite.storage.fulltext_index import FulltextIndex, normalize_fulltext
from arangolite.storage.geo_index import GeoIndex, normalize_geo
from arangolite.storage.indexes import PersistentIndex, TtlIndex

__all__ = [
    "SecondaryIndex",
    "build_index",
    "describe",
    "describe_edge",
    "describe_primary",
    "normalize",
]

SecondaryIndex = PersistentIndex | TtlIndex | GeoIndex | FulltextIndex
# Index kinds that answer their own queries (geo functions, FULLTEXT) and describe themselves.
_OWN_NORMALIZE = {"geo": normalize_geo, "fulltext": normalize_fulltext}
_OWN_CLASSES: dict[str, type[GeoIndex] | type[FulltextIndex]] = {
    "geo": GeoIndex,
    "fulltext": FulltextIndex,
}
_OWN_ALIASES = {"geo1": "geo", "geo2": "geo"}
_ALIASES = {
    "persistent": "persistent",
    "hash": "persistent",
    "skiplist": "persistent",
    "ttl": "ttl",
}
_UNSUPPORTED = {"inverted", "mdi", "mdi-prefixed", "zkd", "vector"}
_PASSTHROUGH = ("deduplicate", "estimates", "cacheEnabled", "storedValues", "inBackground")


def _fields(spec: dict[str, Any]) -> list[str]:
    fields = spec.get("fields")
    if (
        not isinstance(fields, list)
        or not fields
        or not all(isinstance(f, str) and f for f in fields)
    ):
        raise ArangoError(BAD_PARAMETER, "index fields must be a non-empty array of strings")
    if len(set(fields)) != len(fields):
        raise ArangoError(BAD_PARAMETER, "duplicate attribute name in index fields list")
    return list(fields)


def normalize(spec: Any) -> dict[str, Any]:
    """Validate a creation request and return the stored definition (without id/name)."""
    if not isinstance(spec, dict):
        raise ArangoError(BAD_PARAMETER, "expecting index definition object")
    kind = spec.get("type")
    if kind in _UNSUPPORTED:
        raise ArangoError(NOT_IMPLEMENTED, f"index type '{kind}' is not supported by arangolite")
    if kind in ("primary", "edge"):
        raise ArangoError(BAD_PARAMETER, f"cannot create index of type '{kind}'")
    kind = _OWN_ALIASES.get(str(kind), kind)
    if kind in _OWN_NORMALIZE:
        return _OWN_NORMALIZE[kind](spec, _fields(spec))
    if kind not in _ALIASES:
        raise ArangoError(BAD_PARAMETER, "invalid index type")
    out: dict[str, Any] = {"type": _ALIASES[kind], "fields": _fields(spec)}
    if out["type"] == "ttl":
        return _normalize_ttl(spec, out)
    if any(f in ("_id", "_rev") or ("[*]" in f and f.count("[*]") > 1) for f in out["fields"]):
        raise ArangoError(BAD_PARAMETER, "invalid index attribute")
    out["unique"] = bool(spec.get("unique", False))
    out["sparse"] = bool(spec.get("sparse", False))
    for name in _PASSTHROUGH:
        if name in spec and name != "inBackground":
            out[name] = spec[name]
    return out


def _normalize_ttl(spec: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    if len(out["fields"]) != 1:
        raise ArangoError(BAD_PARAMETER, "ttl index must have exactly one field")
    expire = spec.get("expireAfter")
    if isinstance(expire, bool) or not isinstance(expire, (int, float)) or expire < 0:
        raise ArangoError(BAD_PARAMETER, "expireAfter attribute must be a number >= 0")
    if spec.get("unique"):
        raise ArangoError(BAD_PARAMETER, "ttl index cannot be unique")
    out["expireAfter"] = expire
    out["unique"] = False
    out["sparse"] = True
    return out


def same_definition(index: SecondaryIndex, spec: dict[str, Any]) -> bool:
    """True when ``spec`` (normalized) asks for exactly this index."""
    if isinstance(index, GeoIndex | FulltextIndex):
        return index.matches(spec)
    if index.kind != spec["type"] or index.fields != spec["fields"]:
        return False
    if isinstance(index, TtlIndex):
        return True
    return bool(index.unique == spec["unique"] and index.sparse == spec["sparse"])


def build_index(iid: str, name: str, spec: dict[str, Any]) -> SecondaryIndex:
    """An empty index object for a normalized definition."""
    if spec["type"] in _OWN_CLASSES:
        return _OWN_CLASSES[spec["type"]](iid, name, spec)
    if spec["type"] == "ttl":
        return TtlIndex(iid, name, spec["fields"][0], float(spec["expireAfter"]))
    index = PersistentIndex(iid, name, spec["fields"], unique=spec["unique"], sparse=spec["sparse"])
    index.extra = {k: spec[k] for k in _PASSTHROUGH if k in spec}
    return index


def stored_spec(index: SecondaryIndex) -> dict[str, Any]:
    """What the catalogue keeps for an index."""
    if isinstance(index, GeoIndex | FulltextIndex):
        return index.stored_spec()
    out: dict[str, Any] = {"id": index.id, "name": index.name, "type": index.kind}
    out["fields"] = list(index.fields)
    if isinstance(index, TtlIndex):
        out["expireAfter"] = _number(index.expire_after)
        return out
    out.update(unique=index.unique, sparse=index.sparse, **index.extra)
    return out


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def describe(index: SecondaryIndex, coll: str) -> dict[str, Any]:
    """The index as ``GET /_api/index`` lists it."""
    if isinstance(index, GeoIndex | FulltextIndex):
        return index.describe(coll)
    if isinstance(index, TtlIndex):
        return {
            "estimates": False,
            "expireAfter": _number(index.expire_after),
            "fields": list(index.fields),
            "id": f"{coll}/{index.id}",
            "name": index.name,
            "sparse": True,
            "type": "ttl",
            "unique": False,
        }
    out: dict[str, Any] = {
        "cacheEnabled": bool(index.extra.get("cacheEnabled", False)),
        "deduplicate": bool(index.extra.get("deduplicate", True)),
        "estimates": bool(index.extra.get("estimates", True)),
        "fields": list(index.fields),
        "id": f"{coll}/{index.id}",
        "name": index.name,
        "selectivityEstimate": 1,
        "sparse": index.sparse,
        "type": "persistent",
        "unique": index.unique,
    }
    if index.extra.get("storedValues"):
        out["storedValues"] = index.extra["storedValues"]
    return out


def describe_primary(coll: str) -> dict[str, Any]:
    """The primary index description."""
    return {
        "fields": ["_key"],
        "id": f"{coll}/0",
        "name": "primary",
        "selectivityEstimate": 1,
        "sparse": False,
        "type": "primary",
        "unique": True,
    }


def describe_edge(coll: str) -> dict[str, Any]:
    """The edge index description."""
    return {
        "fields": ["_from", "_to"],
        "id": f"{coll}/1",
        "name": "edge",
        "selectivityEstimate": 1,
        "sparse": False,
        "type": "edge",
        "unique": False,
    }
