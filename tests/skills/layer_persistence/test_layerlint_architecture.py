"""Contracts for the lint code itself: rules never render, adapters never reach the CLI."""

from __future__ import annotations

import grimp
import pytest

_FORBIDDEN = [
    ("layerlint.naming.rules", "layerlint.naming.report"),
    ("layerlint.naming.rules", "layerlint.naming.cli"),
    ("layerlint.naming.engine", "layerlint.naming.report"),
    ("layerlint.runner.adapters", "layerlint.runner.report"),
    ("layerlint.runner.adapters", "layerlint.runner.cli"),
    ("layerlint.naming", "layerlint.runner"),
    ("layerlint.runner", "layerlint.naming"),
]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("layerlint", cache_dir=None)


@pytest.mark.parametrize(("importer", "imported"), _FORBIDDEN)
def test_forbidden_import(graph: grimp.ImportGraph, importer: str, imported: str) -> None:
    chains = graph.find_shortest_chains(importer=importer, imported=imported, as_packages=True)
    assert not chains, f"{importer} reaches {imported}: {chains}"
