"""A short tour of arangolite through python-arango: ``python -m arangolite.demo [DATA_DIR]``.

Creates a collection of music files with an index, runs a few AQL queries (a filter through the
index, a grouping, an upsert) and prints what came back. With DATA_DIR the data is kept on disk
and survives the next run; without it everything stays in memory.
"""

from __future__ import annotations

import sys

from arangolite import connect

_FILES = [
    {"path": "/music/a.flac", "artist": "Nina Simone", "album": "Pastel Blues", "year": 1965},
    {"path": "/music/b.flac", "artist": "Nina Simone", "album": "Wild Is the Wind", "year": 1966},
    {"path": "/music/c.mp3", "artist": "Miles Davis", "album": "Kind of Blue", "year": 1959},
    {"path": "/music/d.ogg", "artist": "John Coltrane", "album": "Blue Train", "year": 1957},
]

_BY_ARTIST = "FOR f IN files FILTER f.artist == @artist SORT f.year RETURN f.album"
_COUNTS = "FOR f IN files COLLECT artist = f.artist WITH COUNT INTO n SORT n DESC, artist RETURN {artist, n}"
_TOUCH = (
    "UPSERT {path: @path} INSERT {path: @path, plays: 1} UPDATE {plays: OLD.plays + 1} IN files "
    "RETURN NEW.plays"
)


def main(argv: list[str] | None = None) -> int:
    """Run the tour; returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else None
    db = connect(path, db_name="demo")
    files = db.collection("files") if db.has_collection("files") else db.create_collection("files")
    files.add_index({"type": "persistent", "fields": ["artist"]})
    if files.count() == 0:
        files.insert_many(_FILES)
    where = f"data directory {path}" if path else "memory"
    print(f"arangolite demo: {files.count()} files in collection 'files' ({where})")
    albums = list(db.aql.execute(_BY_ARTIST, bind_vars={"artist": "Nina Simone"}))
    print("albums by Nina Simone, oldest first:", albums)
    for row in db.aql.execute(_COUNTS):
        print(f"  {row['artist']:<15} {row['n']} file(s)")
    plays = next(db.aql.execute(_TOUCH, bind_vars={"path": "/music/c.mp3"}))
    print(f"/music/c.mp3 played {plays} time(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
