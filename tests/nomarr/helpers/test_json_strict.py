"""Strict JSON checking with paths."""

from __future__ import annotations

import datetime
import math

import pytest

from nomarr.helpers.errors import BindVarsNotSerializableError
from nomarr.helpers.json_strict import check_json, dumps_strict, find_non_json


def test_plain_json_passes() -> None:
    value = {"a": [1, 2.5, "x", None, True, {"b": (1, 2)}], "c": {}}
    assert find_non_json(value) is None
    assert dumps_strict(value) == '{"a":[1,2.5,"x",null,true,{"b":[1,2]}],"c":{}}'


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"doc": {"tags": ["a", "b", {1, 2}]}}, "bind_vars['doc']['tags'][2]"),
        ({"x": math.nan}, "bind_vars['x']"),
        ({"x": [math.inf]}, "bind_vars['x'][0]"),
        ({"x": {1: "a"}}, "bind_vars['x']"),
        ({"when": datetime.datetime(2024, 1, 1)}, "bind_vars['when']"),
        ({"raw": b"bytes"}, "bind_vars['raw']"),
        ({"obj": object()}, "bind_vars['obj']"),
    ],
)
def test_bad_values_are_named_by_path(value: object, path: str) -> None:
    with pytest.raises(BindVarsNotSerializableError) as info:
        check_json(value, "bind_vars")
    assert isinstance(info.value, TypeError)
    assert f": {path} (" in str(info.value)
