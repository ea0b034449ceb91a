"""The AQL function library.

Importing this package registers every function family with the registry; the compiler then uses
:func:`lookup`, :func:`check_arity` and :class:`FunctionSpec`.
"""

from __future__ import annotations

from arangolite.functions import (  # noqa: F401  (imported to register the functions)
    aggregates,
    analyzer_runs,
    analyzers,
    arrays,
    bits,
    dates,
    dates_format,
    dates_zoned,
    documents,
    fulltext,
    geo,
    geo_index,
    geo_predicates,
    misc,
    numeric,
    objects,
    regex,
    search_match,
    sets,
    similarity,
    strings,
    text,
    types,
    unsupported,
    vectors,
)
from arangolite.functions.registry import (
    FunctionContext,
    FunctionSpec,
    all_functions,
    check_arity,
    lookup,
)

__all__ = ["FunctionContext", "FunctionSpec", "all_functions", "check_arity", "lookup"]
