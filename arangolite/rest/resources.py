"""Every resource module's routes: the router the server and the in-process client serve with.

This module sits above every resource module (each registers its routes on a :class:`Router`
it is given), so the router itself never imports one."""

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
    job_api,
    query,
    transaction,
    users,
    version,
)
from arangolite.rest.router import Router

__all__ = ["default_router", "register_all"]

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
    job_api,
    admin,
    admin_info,
    analyzer,
    aqlfunction,
)


def register_all(router: Router) -> None:
    for module in _MODULES:
        module.register(router)


_DEFAULT: Router | None = None


def default_router() -> Router:
    """The router with every resource module registered (made once, then shared)."""
    global _DEFAULT
    if _DEFAULT is None:
        router = Router()
        register_all(router)
        _DEFAULT = router
    return _DEFAULT
