"""Parser: ArangoDB's 1501 syntax errors, their message shape and position (``errors``)."""

from __future__ import annotations

import pytest

from arangolite.aql.parser import parse
from tests.arangolite.aql.parser.conftest import error_of


def test_arango_error_message_shape() -> None:
    err = error_of("FOR i IN 1..100 FILTER i = 1 LIMIT 2 RETURN i * 3")
    assert err.error_num == 1501 and err.http_code == 400
    assert err.message == (
        "syntax error, unexpected assignment near '= 1 LIMIT 2 RETURN i * 3' at position 1:26"
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("FOR u IN users", "unexpected end of query string near 'users' at position 1:10"),
        ("RETURN", "unexpected end of query string near 'RETURN' at position 1:1"),
        ("FOR x IN y RETURN x RETURN y", "unexpected RETURN declaration"),
        ("RETURN 1 ;", "unexpected invalid token near ';' at position 1:10"),
        ("RETURN 'abc", "unexpected end of query string"),
        ("RETURN a.1", "unexpected integer number"),
        ("RETURN 1.5 2", "unexpected integer number"),
        ("RETURN 1 1.5", "unexpected number"),
        ("RETURN a 'x'", "unexpected quoted string"),
        ("RETURN a b", "unexpected identifier"),
        ("RETURN a @b", "unexpected bind parameter"),
        ("LET filter = 1 RETURN filter", "unexpected FILTER declaration"),
        ("FOR return IN x RETURN 1", "unexpected RETURN declaration"),
        ("RETURN {return}", "unexpected RETURN declaration"),
        ("FILTER true", "unexpected end of query string"),
        ("LET x = 1", "unexpected end of query string"),
        ("RETURN DISTINCT 1", "cannot use DISTINCT modifier on top-level query element"),
        ("FOR x IN y COLLECT a = x KEEP a RETURN 1", "use of 'KEEP' without 'INTO'"),
        ("FOR x IN y COLLECT a = x INTO g WITH COUNT INTO n RETURN 1", "unexpected WITH keyword"),
        ("FOR x IN y WINDOW {} AGGREGATE s = SUM(x) RETURN s", "At least one WINDOW bound"),
        ("FOR x IN y WINDOW {foo: 1} AGGREGATE s = SUM(x) RETURN s", "Invalid WINDOW attribute"),
        ("FOR x IN y OPTIONS 1 RETURN x", "'OPTIONS' have to be an object"),
        ("FOR x IN v SEARCH x.a == 1 RETURN x", "SEARCH is not supported"),
        ("FOR a, b IN c RETURN a", "only allow a single return variable"),
        ("FOR a, b IN OUTBOUND SHORTEST_PATH 'x' TO 'y' e RETURN a", None),
        ("FOR a, b IN OUTBOUND K_PATHS 'x' TO 'y' e RETURN a", "only has one return variable"),
        ("FOR a IN OUTBOUND 'x' @e RETURN a", "edge collections must be given"),
        ("RETURN (FOR x IN y)", "unexpected )"),
        ("RETURN a[? FILTER x]", None),
    ],
)
def test_syntax_errors(text: str, fragment: str | None) -> None:
    if fragment is None and text.startswith("FOR a, b IN OUTBOUND SHORTEST"):
        parse(text)  # two variables are fine for SHORTEST_PATH
        return
    err = error_of(text)
    assert err.error_num == 1501
    if fragment is not None:
        assert fragment in err.message
    assert " at position " in err.message


def test_error_position_multiline_and_snippet_length() -> None:
    text = "FOR x IN y\n  FILTER x.a == 1 1\nRETURN x" + " " * 40
    err = error_of(text)
    assert err.message.endswith("at position 2:19")
    assert "near '1\nRETURN x" in err.message
    long_tail = "RETURN 1 2" + "x" * 100
    message = error_of(long_tail).message
    assert "near '2" + "x" * 31 + "...'" in message


def test_expected_tokens_listed_when_few() -> None:
    message = error_of("RETURN {a: 1").message
    assert "expecting , or }" in message
