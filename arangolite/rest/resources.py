"""Registers every resource module's routes."""

from __future__ import annotations

from arangolite.rest import (
    admin,
    admin_info,
    analyzer,
    aqlfunction,
    collection,
    cursor,
    database,
    document,
    edges,
    gharial,
    import_,
    index,
    jobs,
    query,
    transaction,
    users,
    version,
)
from arangolite.rest.router import Router

__all__ = ["register_all"]

_MODULES = (
    version,
    database,
    collection,
    document,
    edges,
    import_,
    cursor,
    index,
    transaction,
    query,
    gharial,
    users,
    jobs,
    admin,
    admin_info,
    analyzer,
    aqlfunction,
)


def register_all(router: Router) -> None:
    for module in _MODULES:
        module.register(router)
