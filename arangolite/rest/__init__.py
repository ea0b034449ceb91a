"""REST layer of arangolite: ArangoDB's HTTP API served from the in-process engine."""

from arangolite.rest.resources import default_router
from arangolite.rest.router import Router, dispatch, make_request

__all__ = ["Router", "default_router", "dispatch", "make_request"]
