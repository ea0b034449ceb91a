"""Real ArangoDB functions that arangolite does not provide: calling them raises error 9
("not implemented") instead of 1540 ("unknown function")."""

from __future__ import annotations

from arangolite.functions.registry import not_implemented

_UNSUPPORTED: dict[str, tuple[int, int | None]] = {
    # ArangoSearch and analyzers
    "LEVENSHTEIN_MATCH": (3, 6),
    "ANALYZER": (2, 2),
    "BOOST": (2, 2),
    "EXISTS": (1, 3),
    "MIN_MATCH": (2, None),
    "PHRASE": (2, None),
    "BM25": (1, 3),
    "TFIDF": (1, 2),
    "OFFSET_INFO": (2, 2),
    "DECAY_GAUSS": (5, 5),
    "DECAY_EXP": (5, 5),
    "DECAY_LINEAR": (5, 5),
    "APPROX_NEAR_COSINE": (2, 3),
    "APPROX_NEAR_L2": (2, 3),
    "APPROX_NEAR_INNER_PRODUCT": (2, 3),
    # server, schema and cluster
    "HASH": (1, 1),
    "DECODE_REV": (1, 1),
    "SHARD_ID": (2, 2),
    "SCHEMA_GET": (1, 1),
    "SCHEMA_VALIDATE": (2, 2),
    "VERSION": (0, 0),
    "COLLECTIONS": (0, 0),
    "CURRENT_USER": (0, 0),
    "CURRENT_DATABASE": (0, 0),
    "PREGEL_RESULT": (1, 2),
    "V8": (1, 1),
}
for _name, (_low, _high) in _UNSUPPORTED.items():
    not_implemented(_name, _low, _high)
