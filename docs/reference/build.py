"""Build nomarr's persistence API reference from the docstrings, with pdoc.

    python docs/reference/build.py [OUTDIR]        # default: docs/reference/html (not checked in)

One page per module: each ``*Operations`` class lives in its own module under
``nomarr.persistence.database`` (and ``nomarr.persistence.aio`` for the async ones), so each gets
its own page; the DTOs are the pages of ``nomarr.helpers.dto``; the store protocols are
``nomarr.persistence.protocols``. Exits 1 when a public Operations method has no docstring.
The suite runs it (``tests/docs/test_reference.py``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
import typing
from pathlib import Path

MODULES = [
    "nomarr.persistence",
    "nomarr.persistence.db",
    "nomarr.persistence.protocols",
    "nomarr.persistence.database",
    "nomarr.persistence.aio",
    "nomarr.helpers.dto",
    "nomarr.helpers.errors",
    "nomarr.testing.pytest_plugin",
]


def undocumented() -> list[str]:
    """Return ``Class.method`` of every public Operations method without a docstring."""
    from nomarr.persistence.bound_operations import BoundOperations

    missing = []
    for cls in typing.get_type_hints(BoundOperations).values():
        for name, fn in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_") and not inspect.getdoc(fn):
                missing.append(f"{cls.__name__}.{name}")
    return missing


def _with_submodules(names: list[str]) -> list[str]:
    """``names`` and every module below them (pdoc follows ``__all__``, which lists none)."""
    found = list(names)
    for name in names:
        module = importlib.import_module(name)
        for info in pkgutil.walk_packages(getattr(module, "__path__", []), prefix=f"{name}."):
            if info.name not in found:
                found.append(info.name)
    return found


def build(out: Path) -> list[Path]:
    """Render the reference into ``out``; return the HTML pages written."""
    import pdoc

    pdoc.render.configure(docformat="google", search=True, show_source=False)
    pdoc.pdoc(*_with_submodules(MODULES), output_directory=out)
    return sorted(out.rglob("*.html"))


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).parent / "html"
    pages = build(out)
    missing = undocumented()
    print(f"{len(pages)} pages in {out}")
    for name in missing:
        print(f"no docstring: {name}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
