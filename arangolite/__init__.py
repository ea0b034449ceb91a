"""arangolite: an embedded ArangoDB-compatible engine for python-arango."""
