"""WorkerClaimsOperations, executed on the backend under test."""

from __future__ import annotations

import pytest

from nomarr.helpers.errors import InvalidKeyError
from nomarr.persistence import Database


def test_claim_is_exclusive_until_released(nomarr_db: Database) -> None:
    claim = nomarr_db.worker_claims.try_claim("file-1", "w1", claimed_at=10)
    assert claim is not None
    assert (claim.key_, claim.file_key, claim.worker_id, claim.claimed_at) == ("file-1", "file-1", "w1", 10)
    assert nomarr_db.worker_claims.try_claim("file-1", "w2") is None
    assert nomarr_db.worker_claims.get("file-1") == claim
    assert not nomarr_db.worker_claims.release("file-1", "w2")
    assert nomarr_db.worker_claims.release("file-1", "w1")
    assert nomarr_db.worker_claims.get("file-1") is None
    assert nomarr_db.worker_claims.try_claim("file-1", "w2") is not None


def test_claim_many_skips_held_files(nomarr_db: Database) -> None:
    nomarr_db.worker_claims.try_claim("b", "w1")
    got = nomarr_db.worker_claims.try_claim_many(["a", "b", "c"], "w2")
    assert sorted(c.file_key for c in got) == ["a", "c"]
    assert [c.file_key for c in nomarr_db.worker_claims.list_for_worker("w2")] in (["a", "c"], ["c", "a"])
    assert nomarr_db.worker_claims.release_many(["a", "b", "c"]) == 3


def test_release_held_returns_only_own_claims(nomarr_db: Database) -> None:
    nomarr_db.worker_claims.try_claim_many(["a", "b"], "w1")
    nomarr_db.worker_claims.try_claim("c", "w2")
    with nomarr_db.unit_of_work(write=["worker_claims"]) as uow:
        assert sorted(uow.worker_claims.release_held(["a", "b", "c", "d"], "w1")) == ["a", "b"]
    assert nomarr_db.worker_claims.list_for_worker("w1") == []
    assert nomarr_db.worker_claims.get("c") is not None
    assert nomarr_db.worker_claims.release_held(["c"], "w1") == []


def test_remove_older_than_cutoff(nomarr_db: Database) -> None:
    nomarr_db.worker_claims.try_claim("old", "w1", claimed_at=100)
    nomarr_db.worker_claims.try_claim("new", "w1", claimed_at=300)
    assert nomarr_db.worker_claims.remove_older_than(200) == 1
    assert nomarr_db.worker_claims.get("old") is None
    assert nomarr_db.worker_claims.get("new") is not None


@pytest.mark.parametrize("bad", ["", "a/b", "..", "x y", "k\x00"])
def test_invalid_keys_change_nothing(nomarr_db: Database, bad: str) -> None:
    with pytest.raises(InvalidKeyError):
        nomarr_db.worker_claims.try_claim_many(["ok", bad], "w1")
    with pytest.raises(InvalidKeyError):
        nomarr_db.worker_claims.try_claim("ok", bad)
    assert nomarr_db.worker_claims.get("ok") is None
