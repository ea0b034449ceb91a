"""Storage engine of arangolite: databases, collections, indexes, transactions, durability."""

from arangolite.storage.database import Database
from arangolite.storage.engine import Engine, open_engine
from arangolite.storage.transactions import Transaction

__all__ = ["Database", "Engine", "Transaction", "open_engine"]
