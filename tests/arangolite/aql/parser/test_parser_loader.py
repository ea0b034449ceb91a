"""Parser: building the lark parser, with and without lark's on-disk cache (``loader``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest
from lark import Lark
from lark import __version__ as lark_version
from lark.exceptions import LarkError

from arangolite.aql.parser import cache_lock, errors, loader
from arangolite.aql.parser.keywords import reserve_keywords

GRAMMAR = (Path(loader.__file__).parent / "grammar.lark").read_text(encoding="utf-8")

# valid queries, reserved words in name-only and keyword positions, and every kind of error
QUERIES = [
    "FOR u IN users FILTER u.age >= @min SORT u.name DESC LIMIT 2, 5 RETURN u",
    "FOR v, e, p IN 1..3 OUTBOUND 'a/1' GRAPH 'g' PRUNE v.x == 1 OPTIONS {bfs: true} RETURN p",
    "LET a = [1, 2, 3] RETURN a[* FILTER CURRENT > 1 RETURN CURRENT * 2]",
    "RETURN {filter: doc.filter, count: 1}",
    "LET filter = 1 RETURN filter",
    "RETURN {return}",
    "FOR x IN y RETURN x RETURN y",
    "RETURN {a: 1",
    "RETURN 1 ;",
    "RETURN 'abc",
    "RETURN DISTINCT 1",
]


def _outcome(parser: Lark, text: str) -> str:
    try:
        return repr(parser.parse(text))
    except errors.SemanticError as exc:
        return errors.error_at(text, exc.message, exc.where).message
    except LarkError as exc:
        return errors.from_lark_error(text, exc).message


def _ready(grammar: str, cache: str | None) -> Lark:
    """A parser as ``lark_parser`` makes it, cached at ``cache`` if given."""
    parser = loader.build_cached(grammar, cache) if cache else loader.build_parser(grammar, None)
    reserve_keywords(parser)
    return parser


def _use_cache_dir(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda app: str(folder / app))


def test_cached_parser_answers_like_a_fresh_one(tmp_path: Path) -> None:
    cache = str(tmp_path / "grammar.cache")
    fresh = _ready(GRAMMAR, None)
    writer = _ready(GRAMMAR, cache)  # cache miss: analyses the grammar and writes the file
    assert Path(cache).is_file()
    reader = _ready(GRAMMAR, cache)  # cache hit: loads the analysed parser
    assert reader.source_path == "<deserialized>"
    for text in QUERIES:
        expected = _outcome(fresh, text)
        assert _outcome(writer, text) == expected, text
        assert _outcome(reader, text) == expected, text


@pytest.mark.skipif(sys.platform == "win32", reason="the cache lock is POSIX only")
def test_cache_is_skipped_while_another_process_holds_its_lock(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cache_lock, "_WAIT_SECONDS", 0.05)
    cache = tmp_path / "grammar.cache"
    with cache_lock.cache_lock(str(cache)) as held:  # a second open file: a second lock holder
        assert held
        parser = _ready(GRAMMAR, str(cache))
    assert parser.source_path != "<deserialized>" and not cache.exists()
    assert _outcome(parser, "RETURN 1").startswith("Query(")
    _ready(GRAMMAR, str(cache))  # the lock is free again: the cache is written
    assert cache.is_file()


@pytest.mark.slow
def test_processes_starting_together_share_one_valid_cache(tmp_path: Path) -> None:
    script = (
        "import platformdirs\n"
        f"platformdirs.user_cache_dir = lambda app: {str(tmp_path)!r} + '/' + app\n"
        "from arangolite.aql.parser import parse\n"
        "print(repr(parse('FOR d IN c FILTER d.filter RETURN {count: d}')))\n"
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    outputs = {run.communicate(timeout=60)[0] for run in runs}
    assert len(outputs) == 1 and "For(" in outputs.pop()
    (cache,) = (tmp_path / "arangolite").glob("*.cache")
    assert _ready(GRAMMAR, str(cache)).source_path == "<deserialized>"


def test_cache_file_is_named_by_grammar_and_versions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _use_cache_dir(monkeypatch, tmp_path)
    path = loader.cache_file(GRAMMAR)
    assert path is not None
    assert Path(path).parent == tmp_path / "arangolite"
    assert f"lark{lark_version}" in Path(path).name
    assert loader.cache_file(GRAMMAR + "\n") != path


def test_no_cache_when_the_cache_dir_is_unusable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    _use_cache_dir(monkeypatch, blocker)  # mkdir below a file fails
    assert loader.cache_file(GRAMMAR) is None
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda app: f"~/.cache/{app}")
    assert loader.cache_file(GRAMMAR) is None  # relative: no home directory


def test_unusable_cache_dir_falls_back_silently(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    _use_cache_dir(monkeypatch, blocker)
    parser = loader.lark_parser.__wrapped__()  # a new parser, not the process-wide one
    assert _outcome(parser, "RETURN 1").startswith("Query(")
    assert capfd.readouterr() == ("", "")


def test_unreadable_cache_file_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "grammar.cache"
    cache.write_bytes(b"garbage\n")
    parser = _ready(GRAMMAR, str(cache))
    assert parser.source_path != "<deserialized>"
    assert _outcome(parser, "RETURN 1").startswith("Query(")
    assert _ready(GRAMMAR, str(cache)).source_path == "<deserialized>"
