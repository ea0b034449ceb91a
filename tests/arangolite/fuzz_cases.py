"""Hypothesis strategies and checks shared by the fuzz suites and ``bench/bench_fuzz.py``.

A case passes when arangolite answers with ArangoDB's wire format: a JSON body (strict JSON: no
NaN), and either success or an ArangoDB error that is not an internal one (errorNum 4, or a 500
other than the resource limit 32 that ArangoDB itself answers with 500).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from arangolite.functions.registry import _REGISTRY
from arangolite.rest.http import Response
from arangolite.rest.resources import default_router
from arangolite.rest.router import dispatch, make_request
from arangolite.storage.engine import Engine

DB = "fuzz"
COLLECTION = "docs"
SCRATCH = "scratch"
# slow by design (SLEEP) or answered 501 by arangolite whatever the arguments
_SKIP = {"SLEEP", "CALL", "APPLY"}
FUNCTIONS = sorted(name for name in _REGISTRY if name not in _SKIP and "::" not in name)

# ------------------------------------------------------------------------------------ values

numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -0.0, 1e308, -1e308, 5e-324, 2**53 + 1, 2**63, -(2**63), 1e20]),
)
strings = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "a", "2020-01-01", "2020-02-30T25:61:00Z", "P1Y2M", "[1,2]", "{}", "%_",
                     "(a+)+$", "\\", "Europe/Berlin", "day", "1e400", "x²", "docs/1"]),
)
json_values = st.recursive(
    st.none() | st.booleans() | numbers | strings,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)

# ------------------------------------------------------------------------------ expressions

_BINARY = ["==", "!=", "<", "<=", ">", ">=", "IN", "NOT IN", "+", "-", "*", "/", "%", "&&", "||",
           "LIKE", "NOT LIKE", "=~", "!~", "ALL ==", "ANY <", "NONE IN", ".."]


def _literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


leaves = st.one_of(
    json_values.map(_literal),
    st.sampled_from(["x", "d", "d.a", "d._key", "d.b[0]", "@v", "a", "1..3", "x[*].a"]),
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(_BINARY), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["-", "!", "NOT ", "+"]), children).map(lambda t: f"({t[0]}{t[1]})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        st.tuples(st.sampled_from(FUNCTIONS), st.lists(children, max_size=4)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.lists(children, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(st.tuples(st.text(min_size=1, max_size=4), children), max_size=3).map(
            lambda kv: "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in kv) + "}"
        ),
        st.tuples(children, st.text(max_size=4)).map(lambda t: f"{t[0]}[{json.dumps(t[1])}]"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}]"),
        children.map(lambda c: f"{c}[*]"),
        children.map(lambda c: f"{c}[* FILTER CURRENT != null RETURN CURRENT]"),
        children.map(lambda c: f"(FOR y IN TO_ARRAY({c}) LIMIT 3 RETURN y)"),
    )


expressions = st.recursive(leaves, _combine, max_leaves=8)

_PRELUDES = ["FOR d IN docs LET x = d.b LET a = @v ", "LET d = @v LET x = [@v, d] LET a = @v "]
_TEMPLATES = [
    "RETURN {e1}",
    "LET c = {e1} RETURN [c, {e2}]",
    "FILTER {e1} SORT {e2} LIMIT 5 RETURN {e3}",
    "FOR y IN TO_ARRAY({e1}) FILTER {e2} LIMIT 3 RETURN {e3}",
    "FOR y IN {e1} RETURN y",
    "COLLECT k = {e1} WITH COUNT INTO n RETURN [k, n]",
    "COLLECT k = {e1} AGGREGATE s = SUM({e2}), m = MAX({e3}) RETURN [k, s, m]",
    "INSERT {{v: {e1}, w: {e2}}} INTO scratch RETURN NEW.v",
    "UPSERT {{k: {e1}}} INSERT {{k: {e2}}} UPDATE {{n: {e3}}} IN scratch RETURN NEW",
    "SORT {e1} WINDOW {{preceding: 1}} AGGREGATE s = SUM({e2}) RETURN s",
    "RETURN (FOR e IN docs FILTER e.a == {e1} || e.a > {e2} SORT e.a RETURN e.a)",
    "LIMIT {e1}, {e2} RETURN {e3}",
]
_ON_DOCS = [
    "FOR d IN docs FILTER d.a == {e1} RETURN d._key",
    "FOR d IN docs FILTER d.a >= {e1} && d.a < {e2} SORT d.a DESC LIMIT 4 RETURN d.a",
    "FOR d IN docs FILTER d.a IN {e1} RETURN d._key",
    "FOR d IN docs LET a = @v UPDATE d WITH {{z: {e1}}} IN docs RETURN NEW.z",
]


@st.composite
def queries(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """An AQL query (mostly well-formed, sometimes mangled) and its bind variables."""
    exprs = {f"e{i}": draw(expressions) for i in (1, 2, 3)}
    if draw(st.integers(0, 4)) == 0:
        text = draw(st.sampled_from(_ON_DOCS)).format(**exprs)
    else:
        text = draw(st.sampled_from(_PRELUDES)) + draw(st.sampled_from(_TEMPLATES)).format(**exprs)
    mangle = draw(st.sampled_from(["keep"] * 18 + ["cut", "text"]))
    if mangle == "cut":
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.text(max_size=3)) + text[cut + 1 :]
    elif mangle == "text":
        text = draw(st.text(max_size=30))
    return text, {"v": draw(json_values)} if "@v" in text else {}


# ---------------------------------------------------------------------------- REST requests

_ROUTES = sorted({
    (verb, "/" + "/".join(parts))
    for verb, parts, _ in default_router().patterns()
})
_SEGMENTS = st.one_of(st.sampled_from([COLLECTION, SCRATCH, "0", "1", "x", "_system", DB, "", "..", "%00"]),
                      st.text(max_size=8))
_PARAMS = ["waitForSync", "returnNew", "returnOld", "overwrite", "overwriteMode", "silent", "collection",
           "type", "details", "count", "keepNull", "mergeObjects", "ignoreRevs", "onDuplicate", "complete",
           "fromPrefix", "toPrefix", "excludeSystem", "withStats", "batchSize", "rev", "vertex", "direction"]
_HEADERS = ["x-arango-trx-id", "if-match", "if-none-match", "x-arango-async", "content-type",
            "x-arango-allow-dirty-read", "accept", "x-arango-frontend"]


def _fill(pattern: str, values: list[str]) -> str:
    parts = [values.pop() if p.startswith("{") and values else p for p in pattern.split("/")]
    return "/".join(parts)


bodies = st.one_of(
    json_values.map(lambda v: json.dumps(v, allow_nan=True)),
    st.dictionaries(st.sampled_from(["query", "bindVars", "name", "type", "fields", "_key", "a", "options",
                                     "batchSize", "ttl", "collections", "write", "read", "edgeDefinitions",
                                     "count", "memoryLimit", "unique", "sparse"]),
                    json_values, max_size=5).map(lambda d: json.dumps(d, allow_nan=True)),
    st.lists(json_values, max_size=4).map(lambda v: json.dumps(v, allow_nan=True)),
    st.text(max_size=40),
    st.sampled_from(["", "{", "[1,", "NaN", '{"a": 1e999}', '"\\ud800"', "[" * 300 + "]" * 300]),
)


@st.composite
def rest_requests(draw: st.DrawFn) -> tuple[str, str, str, dict[str, str]]:
    """(method, path with query string, body, headers) aimed at arangolite's routes."""
    verb, pattern = draw(st.sampled_from(_ROUTES))
    method = draw(st.sampled_from([verb] * 4 + ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]))
    path = _fill(pattern, draw(st.lists(_SEGMENTS, min_size=4, max_size=4)))
    params = draw(st.dictionaries(st.sampled_from(_PARAMS), st.one_of(
        st.sampled_from(["true", "false", "1", "0", "", COLLECTION, "edge", "documents", "replace", "x"]),
        st.text(max_size=5))))
    query = "&".join(f"{k}={v}" for k, v in params.items() if "&" not in v and "=" not in v)
    headers = draw(st.dictionaries(st.sampled_from(_HEADERS), st.text(max_size=8), max_size=2))
    return method, f"{path}?{query}" if query else path, draw(bodies), headers


# ------------------------------------------------------------------------------------ checks


@dataclass
class Tally:
    """Counts of a fuzz run: cases, failures by cause (first example kept)."""

    cases: int = 0
    failures: dict[str, str] = field(default_factory=dict)
    failure_count: int = 0

    def record(self, cause: str | None, example: str) -> None:
        self.cases += 1
        if cause is not None:
            self.failure_count += 1
            self.failures.setdefault(cause, example[:300])


def fresh_engine(docs: list[Any]) -> Engine:
    """An in-memory engine with database ``fuzz``, ``docs`` holding ``docs`` and ``scratch``."""
    engine = Engine(None)
    engine.create_database(DB)
    for name in (COLLECTION, SCRATCH):
        send(engine, "POST", "/_api/collection", json.dumps({"name": name}))
    body = json.dumps([{"a": v, "b": [v], "_key": str(i)} for i, v in enumerate(docs)])
    send(engine, "POST", f"/_api/document/{COLLECTION}", body)
    send(engine, "POST", f"/_api/index?collection={COLLECTION}",
         json.dumps({"type": "persistent", "fields": ["a"]}))
    return engine


def send(engine: Engine, method: str, path: str, body: str | bytes = "",
         headers: dict[str, str] | None = None) -> Response:
    """Dispatch one request to ``engine`` in database ``fuzz`` (as the server would)."""
    base, _, query = path.partition("?")
    params = dict(p.partition("=")[::2] for p in query.split("&") if p)
    request = make_request(method, f"/_db/{DB}{base}", params, headers or {}, body)
    return dispatch(engine, default_router(), request)


def problem(response: Response) -> str | None:
    """Why ``response`` is not an answer ArangoDB could give (None when it is)."""
    text = response.text()
    kind = next((v for k, v in response.headers.items() if k.lower() == "content-type"), "application/json")
    if "json" not in kind:  # /_admin/metrics answers Prometheus text
        return None if response.status < 500 else f"HTTP {response.status} ({kind})"
    try:
        body = json.loads(text, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name))) if text else None
    except ValueError as exc:
        return f"body is not strict JSON: {exc}"
    if not isinstance(body, dict):
        return None if response.status < 400 else "error without an error body"
    if body.get("errorNum") == 4:
        return f"internal error: {str(body.get('errorMessage'))[:80]}"
    if response.status >= 500 and body.get("errorNum") not in (32, 9):
        return f"HTTP {response.status} errorNum {body.get('errorNum')}"
    return None


def cause_of(message: str) -> str:
    """A failure message reduced to its cause (exception type and first words)."""
    return message.split("(")[0][:80]
