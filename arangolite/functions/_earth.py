"""ArangoDB's earth radius, in a module of its own: the geo functions register and measure
haversine distances without importing numpy, shapely or geographiclib (see :mod:`._geometry`)."""

from __future__ import annotations

__all__ = ["EARTH_RADIUS_M"]

EARTH_RADIUS_M = 6371000.0
