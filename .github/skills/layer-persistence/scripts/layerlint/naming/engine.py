"""Run the rules over a tree and return findings as data (no printing here)."""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..finding import Finding, sort_findings
from ..paths import inside
from .cache import ResultCache, checker_version
from .project import Project
from .rules import ALL_RULES, UNSUPPRESSIBLE, Rule
from .source import SourceFile

__all__ = ["CheckResult", "check", "check_file"]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one run.

    Attributes:
        findings: every unsuppressed finding, sorted by place.
        files_checked: how many modules were read.
    """

    findings: list[Finding]
    files_checked: int


def check(
    root: Path,
    *,
    shown_root: str = ".",
    select: Collection[str] | None = None,
    only: Sequence[str] | None = None,
    cache: ResultCache | None = None,
) -> CheckResult:
    """Check the ``nomarr`` package under ``root`` with every (or every selected) rule.

    Args:
        root: the tree's root directory (the one holding ``nomarr/``).
        shown_root: prefix for printed paths (the ``--path`` the user typed).
        select: rule codes to run; all when None.
        only: report findings only in files under these paths (relative to ``root``); the
            whole tree is still read, because rules look across modules.
        cache: where results are kept between runs; none when None.

    Returns:
        The findings and the number of modules checked.

    Raises:
        AqlUnavailable: a query needs parsing and arangolite's parser cannot be imported.
    """
    with _no_cycle_collection():
        return _check(Project(root, shown_root), select, only, cache)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector for the run, as mypy does.

    A run builds every module's AST and keeps it to the end: the collector would scan those
    hundreds of thousands of live objects again and again and free nothing (reference counting
    still frees everything else at once). It is restored afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check(
    project: Project,
    select: Collection[str] | None,
    only: Sequence[str] | None,
    cache: ResultCache | None,
) -> CheckResult:
    if cache is None:
        return _run(project, select, only)
    key = {
        "version": checker_version(),
        "select": sorted(select) if select is not None else None,
        "only": list(only) if only else None,
        "shown_root": project.shown_root,
        "files": project.fingerprint(),
    }
    hit = cache.lookup(key)
    if hit is not None:
        return CheckResult(*hit)
    project.parser.preload(cache.load_aql())
    result = _run(project, select, only)
    cache.store(key, result.findings, result.files_checked)
    if project.parser.added:
        cache.store_aql(project.parser.entries())
    return result


def _run(
    project: Project, select: Collection[str] | None, only: Sequence[str] | None
) -> CheckResult:
    rules = [rule for rule in ALL_RULES if select is None or rule.code in select]
    findings: list[Finding] = []
    chosen = [src for src in project.files if not only or inside(src.rel, only)]
    if rules:  # what rules read across modules, read while every tree is there
        project.helpers  # noqa: B018
        project.collections  # noqa: B018
    for src in chosen:
        findings.extend(check_file(src, project, rules))
        project.release(src)  # its tree is freed now, still in the CPU cache
    return CheckResult(sort_findings(findings), len(chosen))


def check_file(src: SourceFile, project: Project, rules: Sequence[Rule]) -> list[Finding]:
    """Return the unsuppressed findings of ``rules`` in one module."""
    suppressions = src.suppressions
    kept: list[Finding] = []
    for rule in rules:
        if (src.tree is None and rule.needs_tree) or not rule.applies_to(src):
            continue
        for finding in rule.check(src, project):
            item = suppressions.get(finding.line)
            if item and item.covers(finding.code) and finding.code not in UNSUPPRESSIBLE:
                continue
            kept.append(finding)
    return kept
