#!/usr/bin/env python3
"""Check nomarr's persistence naming, layering and AQL rules (see SKILL.md).

Usage, from the repository root::

    python .github/skills/layer-persistence/scripts/check_naming.py [--path TREE] [--format json]

Exit codes: 0 clean, 1 findings, 2 usage or internal error.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from layerlint.naming.cli import main

if __name__ == "__main__":
    sys.exit(main())
