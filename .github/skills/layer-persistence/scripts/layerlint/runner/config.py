"""Thresholds from ``[tool.nomarr.lint]`` in the checked tree's ``pyproject.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

__all__ = ["GRADES", "ConfigError", "LintConfig", "load_config"]

GRADES = "ABCDEF"
_LEVELS = ("all", "low", "medium", "high")


class ConfigError(ValueError):
    """``[tool.nomarr.lint]`` holds a value the runner cannot use."""


@dataclass(frozen=True, slots=True)
class LintConfig:
    """The runner's settings.

    Attributes:
        paths: what to lint when no ``--path`` is given.
        radon_max_grade: the worst cyclomatic-complexity grade allowed (A best, F worst).
        vulture_min_confidence: vulture's ``--min-confidence`` (0-100).
        bandit_severity: the lowest bandit severity reported.
        bandit_confidence: the lowest bandit confidence reported.
        timeout_seconds: how long one tool may run before it counts as crashed.
    """

    paths: tuple[str, ...] = ("nomarr/persistence", "nomarr/helpers")
    radon_max_grade: str = "C"
    vulture_min_confidence: int = 80
    bandit_severity: str = "medium"
    bandit_confidence: str = "medium"
    timeout_seconds: int = 300
    extra: dict[str, Any] = field(default_factory=dict)


def load_config(root: Path) -> LintConfig:
    """Read ``[tool.nomarr.lint]`` from ``root/pyproject.toml``; defaults when absent.

    Raises:
        ConfigError: the file does not parse or a value is out of range.
    """
    file = root / "pyproject.toml"
    if not file.is_file():
        return LintConfig()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: {exc}") from exc
    table = data.get("tool", {}).get("nomarr", {}).get("lint", {})
    return _validated(_from_table(table))


def _from_table(table: dict[str, Any]) -> LintConfig:
    known = {f.name for f in fields(LintConfig)} - {"extra"}
    values = {k.replace("-", "_"): v for k, v in table.items()}
    chosen = {k: v for k, v in values.items() if k in known}
    if "paths" in chosen:
        chosen["paths"] = tuple(chosen["paths"])
    return LintConfig(**chosen, extra={k: v for k, v in values.items() if k not in known})


def _validated(config: LintConfig) -> LintConfig:
    if config.extra:
        raise ConfigError(f"unknown [tool.nomarr.lint] keys: {', '.join(sorted(config.extra))}")
    if config.radon_max_grade not in GRADES or len(config.radon_max_grade) != 1:
        raise ConfigError(f"radon_max_grade must be one of {', '.join(GRADES)}")
    if not 0 <= config.vulture_min_confidence <= 100:
        raise ConfigError("vulture_min_confidence must be between 0 and 100")
    for name in ("bandit_severity", "bandit_confidence"):
        if getattr(config, name) not in _LEVELS:
            raise ConfigError(f"{name} must be one of {', '.join(_LEVELS)}")
    return config
