"""Units of work commit on success, abort on any exception, and never leak half a unit."""

from __future__ import annotations

import pytest

from nomarr.helpers.dto import Library, LibraryCreate
from nomarr.helpers.errors import DuplicateKeyError, TransactionError
from nomarr.persistence import Database

pytestmark = pytest.mark.nomarr_both_apis  # each test runs on Database, then on AsyncDatabase


class Boom(Exception):
    pass


def test_commit_on_success(nomarr_db: Database, library: Library, make_files) -> None:
    with nomarr_db.unit_of_work(write=["library_files", "library_has_file", "queue"]) as uow:
        assert uow.transaction_id
        report = uow.library_files.upsert_batch(make_files(library.key_, 3))
        uow.queue.enqueue("tag", {"keys": report.new_keys})
        assert uow.library_files.count_by_status(library.key_) == {"pending": 3}  # reads own writes
    assert nomarr_db.library_files.count_by_status(library.key_) == {"pending": 3}
    assert len(nomarr_db.queue.list()) == 1


def test_exception_halfway_leaves_nothing_behind(nomarr_db: Database, library: Library, make_files) -> None:
    with pytest.raises(Boom), nomarr_db.unit_of_work() as uow:
        uow.library_files.upsert_batch(make_files(library.key_, 5))
        uow.queue.enqueue("tag")
        uow.meta.set("halfway", True)
        raise Boom
    assert nomarr_db.library_files.count_by_status(library.key_) == {}
    assert nomarr_db.queue.list() == []
    assert nomarr_db.meta.get("halfway") is None
    assert nomarr_db._collections.count("library_has_file") == 0


def test_database_error_inside_aborts_everything(nomarr_db: Database) -> None:
    nomarr_db.libraries.create(LibraryCreate(name="A", root_path="/a"), key="taken")
    with pytest.raises(DuplicateKeyError), nomarr_db.unit_of_work(write=["libraries", "meta"]) as uow:
        uow.meta.set("before", 1)
        uow.libraries.create(LibraryCreate(name="B", root_path="/b"), key="fresh")
        uow.libraries.create(LibraryCreate(name="C", root_path="/c"), key="taken")
    assert nomarr_db.meta.get("before") is None
    assert [lib.key_ for lib in nomarr_db.libraries.list()] == ["taken"]


def test_uncommitted_writes_are_invisible_outside(nomarr_db: Database) -> None:
    with nomarr_db.unit_of_work(write=["meta"]) as uow:
        uow.meta.set("pending", 1)
        assert nomarr_db.meta.get("pending") is None
    assert nomarr_db.meta.get("pending") == 1


def test_operations_refuse_work_after_the_unit_ended(nomarr_db: Database) -> None:
    with nomarr_db.unit_of_work(write=["meta"]) as uow:
        pass
    with pytest.raises(TransactionError, match="already ended"):
        uow.meta.set("late", 1)
    with pytest.raises(TransactionError):
        uow.__enter__()


def test_unknown_collections_are_refused(nomarr_db: Database) -> None:
    with pytest.raises(TransactionError, match="unknown collections"):
        nomarr_db.unit_of_work(write=["nope"])


def test_progress_buffer_is_shared_with_the_database(nomarr_db: Database) -> None:
    job = nomarr_db.queue.enqueue("scan")
    nomarr_db.queue.update_progress(job.key_, 0.75)
    with nomarr_db.unit_of_work(write=["queue"]) as uow:
        assert uow.queue.complete(job.key_).progress == 0.75
    assert nomarr_db.queue.get(job.key_).progress == 0.75
