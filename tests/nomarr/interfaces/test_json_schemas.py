"""Every ``--json`` output validates against its JSON Schema in docs/schemas/ (real runs, real output)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from nomarr.components.demo import GeneratedLibrary

SCHEMAS = Path(__file__).resolve().parents[3] / "docs" / "schemas"


def _check(name: str, document: Any) -> None:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)


def _lines(text: str) -> list[Any]:
    return [json.loads(line) for line in text.splitlines()]


def test_every_json_output_matches_its_schema(nomarr, music: GeneratedLibrary, tmp_path: Path) -> None:
    _check("scan", nomarr("scan", str(music.root), "--library", "Music", "--json").json())
    _check("work", nomarr("work", "--once", "--json").json())
    _check("status", nomarr("status", "--json").json())
    _check("tags-file", nomarr("tags", str(music.root / "Blue Quartet/Night Sessions/01 Slow Burn.flac"), "--json").json())
    _check("tags-file", nomarr("tags", str(music.root / "Unsorted/broken.flac"), "--json").json())
    _check("tags-counts", nomarr("tags", "--json").json())
    _check("tags-counts", nomarr("tags", "--name", "genre", "--json").json())
    found = _lines(nomarr("find", "genre:jazz", "--json").out)
    assert found
    for row in found:
        _check("find-line", row)
    files = _lines(nomarr("files", "--status", "unreadable", "--status", "tagged", "--json").out)
    assert len(files) == 13
    for row in files:
        _check("files-line", row)
    _check("library-ls", nomarr("library", "ls", "--json").json())
    _check("library-change", nomarr("library", "rename", "Music", "Jazz", "--json").json())
    (tmp_path / "other").mkdir()
    _check("library-change", nomarr("library", "add", "Other", str(tmp_path / "other"), "--json").json())
    _check("library-change", nomarr("library", "rm", "Other", "--yes", "--json").json())
    _check("doctor", nomarr("doctor", "--json").json())


def test_schemas_are_valid_and_each_is_used() -> None:
    names = {path.name.removesuffix(".schema.json") for path in SCHEMAS.glob("*.schema.json")}
    source = Path(__file__).read_text()
    assert names and all(f'"{name}"' in source for name in names)
    for path in SCHEMAS.glob("*.schema.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text()))
