"""Replays recorded ArangoDB 3.12 HTTP examples and compares status, body and error-code headers.

The corpus (``shared/conformance/http_3.12.jsonl``) records real server answers; each example's
JavaScript setup is translated by hand into the ``SETUP`` table below. Volatile values (ids,
revisions) are masked on both sides as the corpus says.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from arango.database import StandardDatabase

pytestmark = pytest.mark.conformance

_SHARED = Path(os.environ.get("NOMARR_SHARED_DIR") or Path(__file__).resolve().parents[4] / "shared")
_CORPUS = _SHARED / "conformance" / "http_3.12.jsonl"

# example name -> collections to create: (name, edge?, options, documents)
Setup = list[tuple[str, bool, dict[str, Any], list[dict[str, Any]]]]
_PRODUCTS_SYNC: Setup = [("products", False, {"waitForSync": True}, [])]
_PRODUCTS: Setup = [("products", False, {}, [])]
_TWO: list[dict[str, Any]] = [{"_key": "1", "type": "tv"}, {"_key": "2", "type": "cookbook"}]
SETUP: dict[str, Setup] = {
    "RestDocumentHandlerPostCreate1_single": _PRODUCTS_SYNC,
    "RestDocumentHandlerPostAccept1_single": [("products", False, {"waitForSync": False}, [])],
    "RestDocumentHandlerPostBadJsonMulti_single": _PRODUCTS,
    "RestDocumentHandlerPostBadJson1_single": _PRODUCTS,
    "RestDocumentHandlerPostMulti1_single": _PRODUCTS,
    "RestDocumentHandlerPostMulti2_single": _PRODUCTS,
    "RestDocumentHandlerPostOverwrite_single": _PRODUCTS_SYNC,
    "RestDocumentHandlerPostReturnNew_single": _PRODUCTS,
    "RestDocumentHandlerPostUnknownCollection1_single": [],
    "RestDocumentHandlerPostWait1_single": _PRODUCTS,
    "RestDocumentHandlerReadDocumentUnknownHandle_single": _PRODUCTS,
    "RestDocumentHandlerReadMultiDocument_single": [
        (
            "products",
            False,
            {},
            [{"_key": "doc1", "hello": "world"}, {"_key": "doc2", "say": "hi to mom"}],
        )
    ],
    "RestDocumentHandlerDeleteDocumentRevConflictMulti_single": [
        ("products", False, {"waitForSync": True}, _TWO)
    ],
    "RestDocumentHandlerDeleteDocumentUnknownMulti_single": [
        ("products", False, {"waitForSync": True}, []),
        ("other", False, {"waitForSync": True}, [{"_key": "2"}]),
    ],
    "RestDocumentHandlerDeleteDocumentKeyMulti_single": [
        ("products", False, {"waitForSync": True}, _TWO)
    ],
    "RestDocumentHandlerDeleteDocumentObjectMulti_single": [
        ("products", False, {"waitForSync": True}, _TWO)
    ],
    "RestDocumentHandlerDeleteDocumentIdentifierMulti_single": [
        ("products", False, {"waitForSync": True}, _TWO)
    ],
    "RestImportJsonLines_single": _PRODUCTS,
    "RestImportJsonList_single": _PRODUCTS,
    "RestImportJsonType_single": _PRODUCTS,
    "RestImportJsonUniqueContinue_single": _PRODUCTS,
    "RestImportJsonUniqueFail_single": _PRODUCTS,
    "RestImportJsonInvalidBody_single": _PRODUCTS,
    "RestImportJsonInvalidCollection_single": [],
    "RestImportCsvExample_single": _PRODUCTS,
    "RestImportCsvInvalidBody_single": _PRODUCTS,
    "RestImportJsonEdge_single": [("links", True, {}, []), ("products", False, {}, [])],
    "RestImportJsonEdgeInvalid_single": [("links", True, {}, [])],
    "RestImportCsvEdge_single": [("links", True, {}, []), ("products", False, {}, [])],
    "RestImportCsvEdgeInvalid_single": [("links", True, {}, [])],
    "RestIndexPrimaryIndex_single": _PRODUCTS,
    "RestCollectionCreateCollection_single": [],
    "RestCollectionCreateKeyopt_single": [],
    "RestCursorCreateCursorMissingBody_single": [],
    "RestCursorCreateCursorUnknownCollection_single": [],
    "RestCursorInvalidCursorIdentifier_single": [],
    "RestCursorPostInvalidCursorIdentifier_single": [],
    "RestCursorMissingCursorIdentifier_single": [],
    "RestCursorPostMissingCursorIdentifier_single": [],
    "RestCursorCreateCursorOption_single": [],
    "RestTransactionBeginNonExisting_single": [],
    "RestQueryInvalid_single": [],
    "HttpGharialCreate_single": [],
    "HttpGharialGetGraph_single": [],
}
# examples that start from ArangoDB's example graph "social"
_SOCIAL = (
    "HttpGharialAddEdgeCol_single",
    "HttpGharialAddEdge_single",
    "HttpGharialAddVertexCol_single",
    "HttpGharialAddVertex_single",
    "HttpGharialDeleteVertex_single",
    "HttpGharialDrop_single",
    "HttpGharialEdgeDefinitionRemove_single",
    "HttpGharialGetVertex_single",
    "HttpGharialListEdge_single",
    "HttpGharialListVertex_single",
    "HttpGharialModifyVertex_single",
    "HttpGharialRemoveVertexCollectionFailed_single",
    "HttpGharialReplaceEdgeCol_single",
    "HttpGharialReplaceVertex_single",
    "HttpGharialRemoveVertexCollection_single",
)
SETUP.update({name: [] for name in _SOCIAL})
# the exact wording of JSON parse errors comes from ArangoDB's VelocyPack parser
_PARSER_MESSAGES = {"RestDocumentHandlerPostBadJson1_single"}
_VOLATILE_STATS = (
    "executionTime",
    "peakMemoryUsage",
    "filtered",
    "scannedFull",
    "scannedIndex",
    "documentLookups",
    "seeks",
    "cursorsCreated",
    "searchParallelism",
)


def _examples() -> dict[str, list[dict[str, Any]]]:
    if not _CORPUS.exists():
        return {}
    found: dict[str, list[dict[str, Any]]] = {}
    for line in _CORPUS.read_text().splitlines():
        record = json.loads(line)
        if record["name"] in SETUP:
            found.setdefault(record["name"], []).append(record)
    for records in found.values():
        records.sort(key=lambda r: r["seq"])
    return found


_EXAMPLES = _examples()


def _social(db: StandardDatabase, *, with_other: bool) -> None:
    """ArangoDB's example graph ``social`` (graph-examples/example-graph.js)."""
    graph = db.create_graph(
        "social",
        edge_definitions=[
            {
                "edge_collection": "relation",
                "from_vertex_collections": ["female", "male"],
                "to_vertex_collections": ["female", "male"],
            }
        ],
    )
    female, male = graph.vertex_collection("female"), graph.vertex_collection("male")
    female.insert({"_key": "alice", "name": "Alice"})
    female.insert({"_key": "diana", "name": "Diana"})
    male.insert({"_key": "bob", "name": "Bob"})
    male.insert({"_key": "charly", "name": "Charly"})
    relation = graph.edge_collection("relation")
    for src, dst, kind in (
        ("female/alice", "male/bob", "married"),
        ("female/alice", "male/charly", "friend"),
        ("male/charly", "female/diana", "married"),
        ("male/bob", "female/diana", "friend"),
    ):
        relation.insert({"_from": src, "_to": dst, "type": kind, "vertex": src.split("/")[1]})
    if with_other:
        graph.create_vertex_collection("otherNodes")


def _mask(value: Any, paths: list[str]) -> Any:
    value = json.loads(json.dumps(value))
    for path in paths:
        steps = re.findall(r"\.([A-Za-z_][\w]*)|\[(\d+)\]", path[1:])
        target = value
        for i, (name, index) in enumerate(steps):
            key: Any = name if name else int(index)
            try:
                if i == len(steps) - 1:
                    target[key] = "<volatile>"
                else:
                    target = target[key]
            except (KeyError, IndexError, TypeError):
                break
    return value


def _strip_stats(body: Any) -> Any:
    if isinstance(body, dict) and isinstance(body.get("extra"), dict):
        stats = body["extra"].get("stats")
        for name in _VOLATILE_STATS if isinstance(stats, dict) else ():
            stats.pop(name, None)
    return body


@pytest.mark.skipif(not _EXAMPLES, reason="conformance corpus not available")
@pytest.mark.parametrize("name", sorted(SETUP))
def test_example(name: str, db: StandardDatabase, raw) -> None:  # type: ignore[no-untyped-def]
    records = _EXAMPLES.get(name)
    if not records:
        pytest.skip(f"{name} not in corpus")
    if name in _SOCIAL:
        _social(db, with_other=name == "HttpGharialRemoveVertexCollection_single")
    if name == "HttpGharialGetGraph_single":
        db.create_graph(
            "myGraph",
            edge_definitions=[
                {
                    "edge_collection": "edges",
                    "from_vertex_collections": ["startNodes"],
                    "to_vertex_collections": ["endNodes"],
                }
            ],
        )
    for coll, edge, options, docs in SETUP[name]:
        created = db.create_collection(coll, edge=edge, sync=options.get("waitForSync"))
        if docs:
            created.insert_many(docs)
    for record in records:
        headers = {
            k: v for k, v in (record["request_headers"] or {}).items() if k.lower() != "accept"
        }
        path = re.sub(r"^/_db/_system", "", record["path_only"])
        params = dict(record["query_params"] or [])
        resp = raw(
            record["method"].lower(),
            path,
            data=record["request_body_raw"],
            params=params,
            headers=headers,
        )
        if record["expected_status"] is None:
            continue
        assert resp.status_code == record["expected_status"], (record["id"], resp.body)
        expected_codes = (record["expected_headers"] or {}).get("x-arango-error-codes")
        assert resp.headers.get("x-arango-error-codes") == expected_codes
        if record["expected_body"] is None:
            continue
        volatile = list(record.get("volatile_paths") or [])
        if name in _PARSER_MESSAGES:
            volatile.append("$.errorMessage")
        got = _strip_stats(_mask(resp.body, volatile))
        want = _strip_stats(_mask(record["expected_body"], volatile))
        assert got == want, record["id"]
