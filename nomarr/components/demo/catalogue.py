"""The tracks of the demo library: a fixed dozen, or any number made from the same vocabulary.

Each :class:`TrackSpec` says where a file goes, its format, the tone it plays and the tags to
embed. Multi-valued fields are lists (written as separate values where the format allows) or
strings with separators (``"Electronic; Ambient"``), so the normaliser's splitting is exercised.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["BROKEN_FILE", "DEMO_TRACKS", "FORMATS", "TrackSpec", "generated_tracks"]

FORMATS = ("flac", "ogg", "mp3", "wav")
BROKEN_FILE = "Unsorted/broken.flac"
"""The deliberately unreadable file of the demo library (its bytes are not audio)."""


@dataclass(frozen=True, slots=True)
class TrackSpec:
    """One file to generate.

    Attributes:
        rel_path: path below the library root, with ``/`` separators.
        frequency: the tone's pitch in Hz.
        tags: field name (``artist``, ``album``, ``title``, ``genre``, ``mood``, ``bpm``,
            ``date``) to one value or several.
    """

    rel_path: str
    frequency: float
    tags: dict[str, str | list[str]] = field(default_factory=dict)

    @property
    def format(self) -> str:
        """The file's format, from its extension."""
        return self.rel_path.rsplit(".", 1)[-1]


def _spec(path: str, hz: float, artist: str, album: str, title: str, **tags: str | list[str]) -> TrackSpec:
    return TrackSpec(path, hz, {"artist": artist, "album": album, "title": title, **tags})


DEMO_TRACKS: tuple[TrackSpec, ...] = (
    _spec("Blue Quartet/Night Sessions/01 Slow Burn.flac", 220.0, "Blue Quartet", "Night Sessions",
          "Slow Burn", genre=["Jazz", "Blues"], mood="Calm", bpm="72", date="2019-04-12"),
    _spec("Blue Quartet/Night Sessions/02 Late Train.ogg", 247.0, "Blue Quartet", "Night Sessions",
          "Late Train", genre="Jazz", mood=["Melancholic", "Calm"], bpm="88", date="2019"),
    _spec("Blue Quartet/Night Sessions/03 Smoke Rings.mp3", 262.0, "Blue Quartet", "Night Sessions",
          "Smoke Rings", genre="Jazz; Swing", mood="Warm", bpm="132", date="2019-04-12"),
    _spec("Neon Drift/Afterglow/01 Pulse.flac", 330.0, "Neon Drift", "Afterglow", "Pulse",
          genre="Electronic; Ambient", mood="Dreamy", bpm="120", date="2021"),
    _spec("Neon Drift/Afterglow/02 Static Bloom.wav", 349.0, "Neon Drift", "Afterglow",
          "Static Bloom", genre="Electronic", mood=["Energetic", "Dark"], bpm="128.0", date="2021"),
    _spec("Neon Drift/Afterglow/03 Low Orbit.ogg", 392.0, "Neon Drift", "Afterglow", "Low Orbit",
          genre=["Ambient"], mood="Calm", bpm="90", date="2021-11-02"),
    _spec("Harbour Lights/Saltwater/01 Tide.mp3", 440.0, "Harbour Lights", "Saltwater", "Tide",
          genre="Folk / Acoustic", mood="Warm", bpm="96", date="2016"),
    _spec("Harbour Lights/Saltwater/02 Gulls.flac", 494.0, "Harbour Lights", "Saltwater", "Gulls",
          genre="Folk", mood="Happy", bpm="104", date="2016-06-30"),
    _spec("Harbour Lights/Saltwater/03 Undertow.wav", 523.0, "Harbour Lights", "Saltwater",
          "Undertow", genre="Folk", mood="Melancholic", bpm="70", date="2016"),
    _spec("Iron Choir/Forge/01 Anvil.flac", 587.0, "Iron Choir", "Forge", "Anvil",
          genre=["Metal", "Rock"], mood="Aggressive", bpm="160", date="2023"),
    _spec("Iron Choir/Forge/02 Sparks.mp3", 659.0, "Iron Choir; Guest Horns", "Forge", "Sparks",
          genre="Rock", mood="Energetic", bpm="150", date="2023-01-20"),
    _spec("Iron Choir/Forge/03 Quench.ogg", 698.0, "Iron Choir", "Forge", "Quench",
          genre="Rock", mood="Dark; Calm", bpm="84", date="2023"),
)  # fmt: skip

_ARTISTS = ("Blue Quartet", "Neon Drift", "Harbour Lights", "Iron Choir", "Paper Moons", "Static Sea")
_GENRES = ("Jazz", "Blues", "Electronic", "Ambient", "Folk", "Rock", "Metal", "Soul", "Pop")
_MOODS = ("Calm", "Warm", "Dark", "Happy", "Energetic", "Dreamy", "Melancholic", "Aggressive")


def generated_tracks(count: int, seed: int = 7, formats: tuple[str, ...] = FORMATS) -> list[TrackSpec]:
    """Return ``count`` track specs drawn from the demo vocabulary (deterministic per ``seed``).

    Files are spread over folders of at most 20 tracks (artist/album), cycling through
    ``formats``; about a third carry two genres.
    """
    rng = random.Random(seed)
    tracks = []
    for number in range(count):
        artist = _ARTISTS[number // 20 % len(_ARTISTS)]
        album = f"Album {number // 20:04d}"
        genres = rng.sample(_GENRES, 2 if number % 3 == 0 else 1)
        path = f"{artist}/{album}/{number % 20 + 1:02d} Track {number:05d}.{formats[number % len(formats)]}"
        tracks.append(
            _spec(path, 200.0 + number % 600, artist, album, f"Track {number:05d}", genre=genres,
                  mood=rng.choice(_MOODS), bpm=str(rng.randint(60, 180)), date=str(rng.randint(1970, 2024)))
        )  # fmt: skip
    return tracks
