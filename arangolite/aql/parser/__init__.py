"""AQL text -> typed AST (``arangolite.aql.ast``).

The grammar lives in ``grammar.lark`` (LALR(1), contextual lexer). The lark parser is built once
per process (from a per-user cache when possible), turns parse-tree callbacks straight into AST
nodes (no intermediate tree) and every failure becomes one of ArangoDB's errors: ``QUERY_EMPTY``
(1502) for a query without tokens and ``QUERY_PARSE`` (1501) with ArangoDB's message shape for
everything else::

    syntax error, unexpected <token>[, expecting <a> or <b>] near '<text>' at position <l>:<c>

``parse`` is the whole public API. The modules of this package are its internals:

- ``driver``: ``parse`` itself: empty queries, the parse cache, the nesting limit;
- ``loader``: builds the lark parser from ``grammar.lark``, with lark's on-disk cache;
- ``cache_lock``: one process at a time on that cache file;
- ``keywords``: keeps ArangoDB's reserved words keywords in the contextual lexer;
- ``builder``: the lark transformer, assembled from the rule groups below;
- ``statements``, ``for_loops``: callbacks of the statements (``FOR`` forms on their own);
- ``expressions``, ``postfix``: callbacks of the expressions (``.``, ``[]``, ``[*]`` on their own);
- ``tokens``, ``children``: AST leaves from single tokens; picking callback children apart;
- ``errors``, ``token_names``: lark failures -> ArangoDB's 1501 messages.

These modules are the only ones of arangolite that import lark (an import contract says so).
"""

from __future__ import annotations

from arangolite.aql.parser.driver import parse

__all__ = ["parse"]
