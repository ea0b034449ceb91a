"""nomarr's persistence layer on ArangoDB (python-arango; arangolite when embedded).

Callers use :class:`Database` and the DTOs of :mod:`nomarr.helpers.dto`; they never import
``nomarr.persistence.database``.
"""

from nomarr.persistence.arango_client import ConnectionSettings
from nomarr.persistence.db import Database
from nomarr.persistence.unit_of_work import UnitOfWork

__all__ = ["ConnectionSettings", "Database", "UnitOfWork"]
