"""The registry: lookup, arity checks, flags and not-implemented placeholders."""

from __future__ import annotations

import pytest

import arangolite.functions as functions
from arangolite.errors import ArangoError


def test_lookup_is_case_insensitive() -> None:
    assert functions.lookup("substring").name == "SUBSTRING"


def test_unknown_function_is_error_1540() -> None:
    with pytest.raises(ArangoError) as info:
        functions.lookup("no_such_fn")
    assert info.value.error_num == 1540
    assert info.value.message == "usage of unknown function 'NO_SUCH_FN()'"


def test_arity_error_message_names_bounds() -> None:
    spec = functions.lookup("SUBSTRING")
    functions.check_arity(spec, 2)
    functions.check_arity(spec, 3)
    with pytest.raises(ArangoError) as info:
        functions.check_arity(spec, 1)
    assert info.value.error_num == 1541
    assert info.value.message == (
        "invalid number of arguments for function 'SUBSTRING()', "
        "expected number of arguments: minimum: 2, maximum: 3"
    )


def test_variadic_maximum_is_65536() -> None:
    spec = functions.lookup("CONCAT")
    assert spec.max_args is None
    with pytest.raises(ArangoError) as info:
        functions.check_arity(spec, 0)
    assert "minimum: 1, maximum: 65536" in info.value.message


def test_aliases_share_implementation() -> None:
    assert functions.lookup("AVG").impl is functions.lookup("AVERAGE").impl
    assert functions.lookup("COUNT").impl is functions.lookup("LENGTH").impl
    assert functions.lookup("CONTAINS_ARRAY").impl is functions.lookup("POSITION").impl


def test_flags() -> None:
    assert not functions.lookup("RAND").deterministic
    assert not functions.lookup("DATE_NOW").deterministic
    assert functions.lookup("DATE_NOW").needs_context
    assert functions.lookup("DOCUMENT").collection_args == (0,)
    assert functions.lookup("UPPER").deterministic


def test_unimplemented_real_function_raises_not_implemented() -> None:
    spec = functions.lookup("PHRASE")
    with pytest.raises(ArangoError) as info:
        spec.impl("a", "b", "text_en")
    assert info.value.error_num == 9


def test_registry_is_complete_enough() -> None:
    names = functions.all_functions()
    assert len(names) > 200
    assert all(name == name.upper() for name in names)


_HEAVY = ("numpy", "shapely", "geographiclib", "snowballstemmer")

_LAZY_PROBE = """
import json, sys
import arangolite.client, arangolite.functions, arangolite.rest.resources
from arangolite.functions import all_functions
before = sorted(m for m in {heavy!r} if m in sys.modules)
names = sorted(all_functions())
from arangolite.client import InProcessHTTPClient
from arango import ArangoClient
db = ArangoClient(hosts="http://x", http_client=InProcessHTTPClient()).db("_system")
query = (
    "RETURN [GEO_DISTANCE([0, 0], [0, 1]), GEO_CONTAINS(GEO_POLYGON([[0, 0], [2, 0], [2, 2], [0, 0]]),"
    " [1.5, 0.5]), NGRAM_SIMILARITY('quick', 'quirk', 2), TOKENS('Running', 'text_en')]"
)
print(json.dumps({{"before": before, "names": names, "values": list(db.aql.execute(query))[0],
                  "after": sorted(m for m in {heavy!r} if m in sys.modules)}}))
"""


def test_registering_functions_imports_no_heavy_module() -> None:
    """numpy, shapely, geographiclib and snowballstemmer (a third of a second of start-up) load
    when a function needs them; every function is registered without them."""
    import json
    import subprocess
    import sys

    probe = _LAZY_PROBE.format(heavy=_HEAVY)
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    found = json.loads(done.stdout)
    assert found["before"] == []
    assert found["names"] == sorted(functions.all_functions())
    assert {"GEO_DISTANCE", "GEO_CONTAINS", "GEO_AREA", "NEAR", "NGRAM_SIMILARITY", "TOKENS"} <= set(found["names"])
    distance, contains, similarity, tokens = found["values"]
    assert round(distance) == 111195 and contains is True
    assert similarity == functions.lookup("NGRAM_SIMILARITY").impl("quick", "quirk", 2)
    assert tokens == ["run"]
    assert found["after"] == ["geographiclib", "numpy", "shapely", "snowballstemmer"]
