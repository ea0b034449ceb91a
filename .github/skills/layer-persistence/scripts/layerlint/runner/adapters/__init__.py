"""One adapter per external tool; each turns the tool's output into ``Finding`` objects."""

from __future__ import annotations

from .bandit import BanditAdapter
from .base import Adapter, RunContext, ToolError
from .check_naming import CheckNamingAdapter
from .importlinter import ImportLinterAdapter
from .mypy import MypyAdapter
from .radon import RadonAdapter
from .ruff import RuffAdapter
from .vulture import VultureAdapter

__all__ = ["ADAPTERS", "Adapter", "RunContext", "ToolError", "adapters_by_name"]

ADAPTERS: tuple[Adapter, ...] = (
    RuffAdapter(),
    MypyAdapter(),
    VultureAdapter(),
    BanditAdapter(),
    RadonAdapter(),
    ImportLinterAdapter(),
    CheckNamingAdapter(),
)


def adapters_by_name() -> dict[str, Adapter]:
    """Return the adapters keyed by tool name."""
    return {adapter.name: adapter for adapter in ADAPTERS}
