"""SARIF 2.1.0 documents (the format code-scanning services read) from findings.

Shared by ``check_naming.py`` and ``lint.py``: one ``run`` per tool, one ``result`` per finding,
rule descriptions where the producer has them, and tool failures as execution notifications
(``executionSuccessful: false``) so an upload never shows a failed tool as a clean pass.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .finding import Finding

__all__ = ["SCHEMA_URI", "SarifRun", "render_sarif"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"


@dataclass(frozen=True, slots=True)
class SarifRun:
    """What one tool produced.

    Attributes:
        tool: the tool's name.
        findings: its findings.
        rules: rule code -> (short name, one-line description, help text), when known.
        error: why the tool failed, or None.
    """

    tool: str
    findings: Sequence[Finding]
    rules: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    error: str | None = None


def render_sarif(runs: Sequence[SarifRun]) -> str:
    """Return a SARIF 2.1.0 log holding ``runs``."""
    document = {"$schema": SCHEMA_URI, "version": VERSION, "runs": [_run(run) for run in runs]}
    return json.dumps(document, indent=2) + "\n"


def _run(run: SarifRun) -> dict[str, object]:
    codes = sorted({f.code for f in run.findings} | set(run.rules))
    index = {code: i for i, code in enumerate(codes)}
    invocation: dict[str, object] = {"executionSuccessful": run.error is None}
    if run.error is not None:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": run.error}}
        ]
    return {
        "tool": {
            "driver": {
                "name": run.tool,
                "rules": [_rule(code, run.rules.get(code)) for code in codes],
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.code]) for f in run.findings],
    }


def _rule(code: str, doc: tuple[str, str, str] | None) -> dict[str, object]:
    rule: dict[str, object] = {"id": code}
    if doc is not None:
        name, short, help_text = doc
        rule["name"] = name
        rule["shortDescription"] = {"text": short}
        rule["help"] = {"text": help_text}
    return rule


def _result(finding: Finding, rule_index: int) -> dict[str, object]:
    region: dict[str, int] = {"startLine": max(finding.line, 1)}
    if finding.col > 0:
        region["startColumn"] = finding.col
    result: dict[str, object] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": "error",
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(finding.path), "uriBaseId": "%SRCROOT%"},
                    "region": region,
                }
            }
        ],
    }
    if finding.hint:
        result["properties"] = {"fix": finding.hint}
    return result


def _uri(path: str) -> str:
    return path.replace("\\", "/").removeprefix("./")
