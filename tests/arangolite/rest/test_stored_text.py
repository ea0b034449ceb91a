"""Documents read from the store are answered with their stored JSON text (``storage.doc_text``):
the same answers through python-arango, and only for the very objects read (never for a value
a query built, never for an equal copy)."""

from __future__ import annotations

import json
from pathlib import Path

from arango.client import ArangoClient

from arangolite.client import InProcessHTTPClient
from arangolite.rest.http import Response, _encode
from arangolite.storage import doc_text
from arangolite.storage.engine import Engine


def test_a_stored_document_in_a_result_is_sent_as_its_stored_text() -> None:
    doc = {"_key": "a", "n": 1, "s": "x"}
    stored = '{ "_key" : "a", "n" : 1, "s" : "x" }'  # (the same value, other spacing)
    doc_text.remember(((doc, stored),))
    body = {"error": False, "code": 201, "result": [doc, {"n": 2}, doc], "hasMore": False}
    text = Response(201, body).text()
    assert text.count(stored) == 2
    assert json.loads(text) == body
    assert Response(200, doc).text() == stored  # a document read


def test_only_that_object_and_only_where_the_body_allows() -> None:
    doc = {"_key": "b", "n": 1}
    doc_text.remember(((doc, '{"_key": "b", "n": 1}'),))
    assert doc_text.text_of(dict(doc)) is None  # an equal copy is another value
    body = {"error": False, "code": 201, "result": [dict(doc)], "hasMore": False}
    assert Response(201, body).text() == _encode(body)
    # an object before ``result`` could hold a "result":0 of its own: encoded as usual
    nested = {"extra": {"result": 0}, "result": [doc]}
    assert Response(200, nested).text() == _encode(nested)


def test_queries_over_stored_documents_answer_as_before(tmp_path: Path) -> None:
    engine = Engine(str(tmp_path / "d"))
    try:
        db = ArangoClient(
            hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=engine)
        ).db("_system")
        coll = db.create_collection("c")
        coll.add_index({"type": "persistent", "fields": ["n"]})
        coll.import_bulk([{"_key": f"k{i}", "n": i, "s": "é" * (i % 3)} for i in range(50)])
        query = "FOR d IN c FILTER d.n >= 10 && d.n < 40 SORT d.n LIMIT 5 RETURN d"
        first = list(db.aql.execute(query))
        assert [d["n"] for d in first] == [10, 11, 12, 13, 14]
        assert all(d == coll.get(d["_key"]) for d in first)
        # built from stored documents: encoded as usual
        merged = list(db.aql.execute(query.replace("RETURN d", "RETURN MERGE(d, {m: 1})")))
        assert merged == [{**d, "m": 1} for d in first]
        coll.update({"_key": "k11", "n": 11, "s": "new"})
        again = list(db.aql.execute(query))
        assert again[1]["s"] == "new" and again[1]["_rev"] != first[1]["_rev"]
        # a stream transaction's own write, not stored yet, beside stored documents
        trx = db.begin_transaction(read="c", write="c")
        trx.collection("c").update({"_key": "k12", "s": "mine"})
        inside = list(trx.aql.execute(query))
        assert [d["s"] for d in inside][1:3] == ["new", "mine"]
        trx.abort_transaction()
        assert json.dumps(list(db.aql.execute(query))[2]) == json.dumps(first[2])
    finally:
        engine.close()


def test_what_is_remembered_stays_within_its_bounds() -> None:
    doc_text.forget()
    big = {"s": "x" * doc_text.LONGEST}
    doc_text.remember(((big, json.dumps(big)),))
    assert doc_text.text_of(big) is None  # too long: encoded when answered
    docs = [{"n": i} for i in range(doc_text.KEEP + 10)]
    doc_text.remember((d, json.dumps(d)) for d in docs)
    assert doc_text.text_of(docs[0]) is None and doc_text.text_of(docs[-1]) == json.dumps(docs[-1])
    wide = [{"s": "y" * 1000, "n": i} for i in range(3000)]  # 3 MB of text: over BYTES
    doc_text.remember((d, json.dumps(d)) for d in wide)
    kept = [d for d in wide if doc_text.text_of(d) is not None]
    assert kept == wide[-len(kept):] and sum(len(json.dumps(d)) for d in kept) <= doc_text.BYTES
    doc_text.forget()
