"""DTOs for component heartbeats (facts only; liveness is decided in services)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from nomarr.helpers.dto.base import ArangoDocument

__all__ = ["Heartbeat"]


class Heartbeat(ArangoDocument):
    """The last heartbeat a component reported.

    Attributes:
        component: the component's id (also its ``_key``).
        last_heartbeat_ms: when it last reported, in milliseconds.
        beats: how many heartbeats it has reported.
        info: free-form facts it sent with the last heartbeat.
    """

    component: str
    last_heartbeat_ms: int
    beats: int = 0
    info: dict[str, Any] = Field(default_factory=dict)
