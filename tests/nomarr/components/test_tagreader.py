"""The tag reader on generated audio files of every demo format."""

from __future__ import annotations

from pathlib import Path

import mutagen
import pytest
from mutagen.id3 import ID3, TXXX

from nomarr.components.demo import BROKEN_FILE, DEMO_TRACKS, TrackSpec, generate_library
from nomarr.components.demo.writers import write_track
from nomarr.components.tagreader import read_track
from nomarr.helpers.errors import UnreadableFileError


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_library(tmp_path_factory.mktemp("music"), duration_s=0.25).root


def _as_lists(spec: TrackSpec) -> dict[str, list[str]]:
    return {name: value if isinstance(value, list) else [value] for name, value in spec.tags.items()}


@pytest.mark.parametrize("spec", DEMO_TRACKS, ids=lambda spec: spec.format + ":" + spec.rel_path.rsplit("/", 1)[-1])
def test_reads_every_field_and_the_duration(library: Path, spec: TrackSpec) -> None:
    track = read_track(library / spec.rel_path)
    assert track.tags == _as_lists(spec)
    assert track.duration_s == pytest.approx(0.25, abs=0.06)
    assert track.sample_rate == 22_050 and track.channels == 1


def test_formats_are_named(library: Path) -> None:
    formats = {spec.format: read_track(library / spec.rel_path).format for spec in DEMO_TRACKS}
    assert formats == {"flac": "flac", "ogg": "oggvorbis", "mp3": "mp3", "wav": "wave"}


def test_metadata_is_json_ready(library: Path) -> None:
    meta = read_track(library / DEMO_TRACKS[0].rel_path).metadata()
    assert meta["format"] == "flac" and meta["tags"]["genre"] == ["Jazz", "Blues"]
    assert set(meta) == {"format", "duration_s", "sample_rate", "channels", "bitrate", "tags"}


def test_broken_missing_and_non_audio_files(library: Path, tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match=r"cannot read audio file: .*broken\.flac"):
        read_track(library / BROKEN_FILE)
    with pytest.raises(UnreadableFileError, match="no such file"):
        read_track(tmp_path / "missing.mp3")
    text = tmp_path / "notes.mp3"
    text.write_text("hello")
    with pytest.raises(UnreadableFileError):
        read_track(text)


def test_untagged_file_has_no_tags(tmp_path: Path) -> None:
    path = write_track(tmp_path, TrackSpec("plain.wav", 440.0, {}), 0.1)
    audio = mutagen.File(path)
    audio.delete()
    assert read_track(path).tags == {}


def test_id3_txxx_mood(tmp_path: Path) -> None:
    path = write_track(tmp_path, TrackSpec("a.mp3", 440.0, {"title": "A"}), 0.1)
    tags = ID3(path)
    tags.add(TXXX(encoding=3, desc="MOOD", text=["Calm"]))
    tags.save(path)
    assert read_track(path).tags == {"title": ["A"], "mood": ["Calm"]}
