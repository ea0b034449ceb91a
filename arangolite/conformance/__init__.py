"""Run ArangoDB's recorded AQL examples against arangolite and report the differences.

The corpus (JSON lines, one example each, with results recorded on a real ArangoDB) stays
outside this repository; ``python -m arangolite.conformance CORPUS.jsonl --datasets DIR`` runs it.
"""

from arangolite.conformance.compare import equivalent, mask
from arangolite.conformance.runner import Outcome, run_corpus

__all__ = ["Outcome", "equivalent", "mask", "run_corpus"]
