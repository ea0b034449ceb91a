"""``nomarr export`` and ``nomarr import`` end to end: a round trip gives the same answers."""

from __future__ import annotations

from pathlib import Path

from nomarr.components.demo import GeneratedLibrary


def _answers(nomarr, music: GeneratedLibrary) -> dict:
    status = nomarr("status", "--json").json()
    for worker in status["workers"]:
        worker.pop("age_s")  # time passes between the two reads
    files = {spec.rel_path: nomarr("tags", str(music.root / spec.rel_path), "--json").json() for spec in music.tracks[:1]}
    return {
        "libraries": status["libraries"],
        "queue": status["queue"],
        "workers": status["workers"],
        "files": files,
        "counts": nomarr("tags", "--json").json(),
        "jazz": nomarr("find", "--tag", "genre=jazz").out,
    }


def test_export_then_import_into_a_fresh_data_dir(nomarr, music: GeneratedLibrary, tmp_path: Path) -> None:
    nomarr("scan", str(music.root))
    nomarr("work", "--once")
    archive = tmp_path / "backup.zip"
    exported = nomarr("export", str(archive))
    assert exported.code == 0 and archive.is_file()
    assert "Exported" in exported.out and "library_files 13" in exported.out
    documents = int(exported.out.split()[1])  # "Exported N documents to ..."
    assert f"export: {documents}/{documents} documents" in exported.err  # the last progress line

    restored = nomarr.with_data_dir(tmp_path / "restored")
    imported = restored("import", str(archive))
    assert imported.code == 0, imported.err
    assert f"import: {documents}/{documents} documents" in imported.err
    assert _answers(restored, music) == _answers(nomarr, music)


def test_export_to_a_directory_and_refuse_to_overwrite(nomarr, music: GeneratedLibrary, tmp_path: Path, one_line_error) -> None:
    nomarr("scan", str(music.root))
    target = tmp_path / "backup-dir"
    assert nomarr("export", str(target)).code == 0 and (target / "manifest.json").is_file()
    again = nomarr("export", str(target))
    assert again.code == 1 and "--force" in one_line_error(again)
    assert nomarr("export", str(target), "--force").code == 0


def test_import_refuses_a_database_with_data(nomarr, music: GeneratedLibrary, tmp_path: Path, one_line_error) -> None:
    nomarr("scan", str(music.root))
    archive = tmp_path / "backup.zip"
    nomarr("export", str(archive))
    result = nomarr("import", str(archive))
    assert result.code == 1
    line = one_line_error(result)
    assert "import target database is not empty" in line and "--data-dir" in line


def test_import_of_a_missing_or_bogus_archive(nomarr, tmp_path: Path, one_line_error) -> None:
    missing = nomarr("import", str(tmp_path / "nope.zip"))
    assert missing.code == 2 and "no such file" in one_line_error(missing)
    bogus = tmp_path / "bogus.zip"
    bogus.write_text("not a zip")
    result = nomarr("import", str(bogus))
    assert result.code == 1 and "not a valid nomarr export" in one_line_error(result)
