"""Shared, dependency-free helpers: DTOs, errors, keys, time and strict JSON.

``nomarr.helpers`` imports nothing from other nomarr packages, so every layer may use it.
"""

from nomarr.helpers.errors import NomarrError
from nomarr.helpers.keys import content_key, make_id, parse_id, validate_key
from nomarr.helpers.time_helper import now_ms, now_s

__all__ = ["NomarrError", "content_key", "make_id", "now_ms", "now_s", "parse_id", "validate_key"]
