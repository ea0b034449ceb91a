"""Load each record's data set into a fresh database, run its query, compare the result."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arango.client import ArangoClient
from arango.database import StandardDatabase
from arango.exceptions import ArangoError as DriverError

from arangolite.conformance.compare import equivalent, mask

_UNORDERED = ("unordered_result_function", "path_tie_order", "observed_order_differs")


@dataclass(frozen=True)
class Outcome:
    """The result of one record: passed or not, and why not."""

    name: str
    passed: bool
    reason: str = ""


def runnable(record: dict[str, Any]) -> bool:
    """Records whose result can be compared: deterministic, or comparable after masking."""
    return bool(record.get("deterministic") or record.get("comparable_after_masking"))


def load_dataset(db: StandardDatabase, dataset: dict[str, Any]) -> None:
    """Create the data set's collections, graphs and documents (in file order)."""
    for name, spec in dataset.get("collections", {}).items():
        if not db.has_collection(name):
            db.create_collection(name, edge=spec.get("type") == "edge")
    for name, spec in dataset.get("graphs", {}).items():
        db.create_graph(name, edge_definitions=[
            {
                "edge_collection": d["collection"],
                "from_vertex_collections": d["from"],
                "to_vertex_collections": d["to"],
            }
            for d in spec.get("edgeDefinitions", [])
        ])
    for name, spec in dataset.get("collections", {}).items():
        if spec.get("docs"):
            db.collection(name).import_bulk(spec["docs"], halt_on_error=True)


def check(db: StandardDatabase, record: dict[str, Any]) -> Outcome:
    """Run one record's query on ``db`` (its data set already loaded) and compare."""
    name = record["name"]
    try:
        cursor = db.aql.execute(record["query"], bind_vars=record.get("bindVars") or None)
        actual = list(cursor)  # type: ignore[arg-type]
    except DriverError as exc:
        return Outcome(name, False, f"error {getattr(exc, 'error_code', None)}: {exc}")
    except Exception as exc:
        return Outcome(name, False, f"crash {type(exc).__name__}: {exc}")
    expected = record["expected"]
    paths = record.get("volatile_paths") or []
    if paths:
        actual, expected = mask(actual, paths), mask(expected, paths)
    unordered = any(c.startswith(_UNORDERED) for c in record.get("caveats") or [])
    if equivalent(actual, expected, unordered=unordered):
        return Outcome(name, True)
    return Outcome(name, False, f"expected {_short(expected)} got {_short(actual)}")


def _short(value: Any, limit: int = 300) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else text[:limit] + "..."


def run_corpus(
    corpus: Path, datasets: Path, client: ArangoClient, username: str = "root", password: str = ""
) -> list[Outcome]:
    """Run every runnable record of ``corpus``, each in a fresh database on ``client``'s server."""
    sys_db = client.db("_system", username=username, password=password)
    records = [json.loads(line) for line in corpus.read_text().splitlines() if line.strip()]
    cache: dict[str, dict[str, Any]] = {}
    outcomes = []
    for number, record in enumerate(r for r in records if runnable(r)):
        db_name = f"conformance_{number}"
        sys_db.create_database(db_name)
        try:
            db = client.db(db_name, username=username, password=password)
            if record.get("dataset"):
                if record["dataset"] not in cache:
                    path = datasets / f"{record['dataset']}.json"
                    cache[record["dataset"]] = json.loads(path.read_text())
                load_dataset(db, cache[record["dataset"]])
            outcomes.append(check(db, record))
        except Exception as exc:
            outcomes.append(Outcome(record["name"], False, f"setup {type(exc).__name__}: {exc}"))
        finally:
            sys_db.delete_database(db_name, ignore_missing=True)
    return outcomes
