"""Document keys and ids: validation, building, parsing and deterministic derivation.

ArangoDB accepts a ``_key`` of 1 to 254 characters from ``a-z A-Z 0-9 _ - : . @ ( ) + , = ; $ ! *
' %``. nomarr checks every key against that allowlist *before* it reaches a query, and is
stricter in one way: keys made only of dots (``.``, ``..``) are refused, because they read as
path segments in REST URLs.

Keys derived from content (a file's library and path, a tag's name and value) are hex digests:
the same input always gives the same key, which makes upserts idempotent, and the uniform
spread of hash values shards well on a cluster (the default shard key is ``_key``).
"""

from __future__ import annotations

import hashlib
import re
import uuid

from nomarr.helpers.errors import InvalidJobTypeError, InvalidKeyError

__all__ = [
    "KEY_MAX_LENGTH",
    "claim_key",
    "content_key",
    "file_key",
    "folder_key",
    "is_valid_key",
    "link_key",
    "make_id",
    "new_key",
    "parse_id",
    "tag_key",
    "validate_collection_name",
    "validate_job_type",
    "validate_key",
]

KEY_MAX_LENGTH = 254
_KEY_RE = re.compile(r"[a-zA-Z0-9_\-:.@()+,=;$!*'%]{1,254}")
_JOB_TYPE_RE = re.compile(r"[a-z][a-z0-9_\-.:]{0,63}")
_COLLECTION_RE = re.compile(r"_?[a-zA-Z][a-zA-Z0-9_\-]{0,255}")


def is_valid_key(key: object) -> bool:
    """Return True when ``key`` is a string nomarr accepts as a ``_key``."""
    if not isinstance(key, str) or _KEY_RE.fullmatch(key) is None:
        return False
    return key.strip(".") != ""


def validate_key(key: object, what: str = "_key") -> str:
    """Return ``key`` unchanged when it is a valid ``_key``.

    Args:
        key: the candidate key.
        what: how to name the value in the error message (e.g. ``"file_key"``).

    Raises:
        InvalidKeyError: when ``key`` is not a string, is empty, longer than 254 characters,
            contains a character outside the allowlist, or is made only of dots.
    """
    if is_valid_key(key):
        return key  # type: ignore[return-value]
    raise InvalidKeyError(f"{what}={_preview(key)}")


def validate_job_type(job_type: object) -> str:
    """Return ``job_type`` unchanged when it is an allowed queue job type.

    An allowlist of characters, as a run store's ``kind``: lowercase letters, digits and
    ``_ - . :``, starting with a letter, at most 64 characters.

    Raises:
        InvalidJobTypeError: any other value (not a ``str``, empty, too long, other characters).
    """
    if isinstance(job_type, str) and _JOB_TYPE_RE.fullmatch(job_type):
        return job_type
    raise InvalidJobTypeError(f"job_type={_preview(job_type)}")


def validate_collection_name(name: object) -> str:
    """Return ``name`` unchanged when it is a valid collection name, else raise InvalidKeyError."""
    if isinstance(name, str) and _COLLECTION_RE.fullmatch(name):
        return name
    raise InvalidKeyError(f"collection={_preview(name)}")


def make_id(collection: str, key: str) -> str:
    """Return the document id ``"<collection>/<key>"`` after validating both parts."""
    return f"{validate_collection_name(collection)}/{validate_key(key)}"


def parse_id(doc_id: object) -> tuple[str, str]:
    """Split a document id ``"<collection>/<key>"`` into its two validated parts.

    Raises:
        InvalidKeyError: when ``doc_id`` is not of that form.
    """
    if not isinstance(doc_id, str) or doc_id.count("/") != 1:
        raise InvalidKeyError(f"_id={_preview(doc_id)}")
    collection, key = doc_id.split("/")
    return validate_collection_name(collection), validate_key(key)


def content_key(*parts: str) -> str:
    """Return a deterministic 32-hex-character key derived from ``parts``.

    Each part is length-prefixed before hashing, so ``("a", "bc")`` and ``("ab", "c")`` differ.
    """
    payload = "".join(f"{len(part)}:{part}" for part in parts)
    return hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def new_key() -> str:
    """Return a fresh random key (32 hex characters) for documents without natural identity."""
    return uuid.uuid4().hex


def file_key(library_key: str, path: str) -> str:
    """Return the ``_key`` of the library file at ``path`` in library ``library_key``."""
    return content_key("file", validate_key(library_key, "library_key"), path)


def folder_key(library_key: str, path: str) -> str:
    """Return the ``_key`` of the folder at ``path`` in library ``library_key``."""
    return content_key("folder", validate_key(library_key, "library_key"), path)


def tag_key(name: str, value: str) -> str:
    """Return the ``_key`` of the tag ``name=value``."""
    return content_key("tag", name, value)


def link_key(file_key_: str, tag_key_: str) -> str:
    """Return the ``_key`` of the ``file_has_tag`` edge from a file to a tag.

    32 hex characters: the first 16 of the file's key, then 16 of a hash of both keys. The same
    file and tag always give the same key, so a link added twice (two writers at once included)
    collides on it and is stored once. Keys led by the file's key put a file's links next to
    each other in the collection's key index, and since workers claim files in key order, a
    batch's links land together under each tag in its edge index too, however large the library
    (a hash alone put every link at a page of its own). Links made under the earlier scheme (a
    hash of both keys alone) stay as they are: writers skip a tag the file already links to (by
    ``_from`` and ``_to``), so they are not doubled.
    """
    return f"{file_key_[:16]}{content_key(file_key_, tag_key_)[:16]}"


def claim_key(file_key_: str) -> str:
    """Return the ``_key`` of the worker claim on a file: the file's own key.

    Two workers claiming the same file insert the same key, so at most one insert succeeds.
    """
    return validate_key(file_key_, "file_key")


def _preview(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."
