"""Storage engine of arangolite: databases, collections, indexes, transactions, durability."""
