#!/usr/bin/env python3
"""Run every linter on nomarr's persistence layer and print one report (see SKILL.md).

Usage, from the repository root::

    python .github/skills/layer-persistence/scripts/lint.py [--path P ...] [--format json]

Exit codes: 0 clean, 1 findings, 2 a tool missing or failing. Never modifies files.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from layerlint.runner.cli import main

if __name__ == "__main__":
    sys.exit(main())
