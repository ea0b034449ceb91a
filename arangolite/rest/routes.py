"""The route table: ``METHOD /path/{var}/...`` patterns in a tree keyed by path segment.

A request walks the tree one segment at a time (a dict lookup per segment, literal segments
before ``{var}`` ones), so matching costs the same however many routes are registered. When two
patterns match one path, the one registered first wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RouteTable"]

Handler = Callable[..., Any]


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    wild: _Node | None = None
    handlers: dict[str, tuple[int, Handler, tuple[str, ...]]] = field(default_factory=dict)


class RouteTable:
    """Handlers by method and path pattern."""

    def __init__(self) -> None:
        self._root = _Node()
        self._added = 0
        self._literal: dict[tuple[str, str], Handler] = {}  # found paths without variables

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """Register ``handler`` (a second registration of the same method and shape is ignored)."""
        node, names = self._root, []
        for part in (p for p in pattern.split("/") if p):
            if part.startswith("{"):
                names.append(part[1:-1])
                if node.wild is None:
                    node.wild = _Node()
                node = node.wild
            else:
                node = node.children.setdefault(part, _Node())
        node.handlers.setdefault(method.upper(), (self._added, handler, tuple(names)))
        self._added += 1
        self._literal.clear()

    def patterns(self) -> list[tuple[str, tuple[str, ...], Handler]]:
        """Every registered ``(METHOD, path parts, handler)``, in registration order."""
        found: list[tuple[int, str, tuple[str, ...], Handler]] = []
        stack: list[tuple[_Node, tuple[str, ...], tuple[str, ...]]] = [(self._root, (), ())]
        while stack:
            node, parts, names = stack.pop()
            for method, (order, handler, var_names) in node.handlers.items():
                it = iter(var_names)
                shown = tuple("{" + next(it) + "}" if p is None else p for p in parts)
                found.append((order, method, shown, handler))
            for literal, child in node.children.items():
                stack.append((child, (*parts, literal), names))
            if node.wild is not None:
                stack.append((node.wild, (*parts, None), names))  # type: ignore[arg-type]
        return [(m, p, h) for _, m, p, h in sorted(found, key=lambda f: f[0])]

    def find_literal(self, method: str, path: str) -> Handler | None:
        """The handler of a path already found to match a pattern without variables."""
        return self._literal.get((method, path))

    def find(self, method: str, segments: list[str]) -> tuple[Handler, dict[str, str]] | bool:
        """The handler and path variables; else True when the path exists for other methods."""
        found: list[tuple[tuple[int, Handler, tuple[str, ...]], tuple[str, ...]]] = []
        other = self._walk(self._root, segments, 0, (), method, found)
        if not found:
            return other
        (_, handler, names), values = min(found, key=lambda f: f[0][0])
        if not names:
            self._literal[(method, "/" + "/".join(segments))] = handler
        return handler, dict(zip(names, values, strict=True))

    def _walk(
        self, node: _Node, segments: list[str], pos: int, values: tuple[str, ...], method: str,
        found: list[Any],
    ) -> bool:
        if pos == len(segments):
            entry = node.handlers.get(method)
            if entry is not None:
                found.append((entry, values))
            return bool(node.handlers)
        other = False
        child = node.children.get(segments[pos])
        if child is not None:
            other = self._walk(child, segments, pos + 1, values, method, found)
        if node.wild is not None:
            wild = self._walk(node.wild, segments, pos + 1, (*values, segments[pos]), method, found)
            other = other or wild
        return other
