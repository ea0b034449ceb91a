"""``python -m arangolite serve ...``: the ``arangolite`` command."""

import sys

from arangolite.cli import main

sys.exit(main())
