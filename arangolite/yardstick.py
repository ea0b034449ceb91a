"""Run python-arango's own test suite against ``arangolite serve`` (``python -m arangolite.yardstick``).

The suite (``../shared/python-arango-tests``, or ``$NOMARR_SHARED_DIR/python-arango-tests``) is
copied to a temporary directory, never into the repository. Each test file runs in its own
``pytest`` process against a fresh in-memory ``arangolite serve`` started with the suite's
credentials (root password ``passwd``, JWT secret from ``tests/static/keyfile``), with a per-file
timeout. The report lists passed / failed / skipped per file, the totals and the pass rate of the
non-skipped tests. Tests of a file whose session set-up failed, or that did not finish before the
timeout, count as failed.

    python -m arangolite.yardstick                 # all files
    python -m arangolite.yardstick --main          # the eleven main files
    python -m arangolite.yardstick test_document   # chosen files
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DEFAULT_SKIPS", "MAIN_FILES", "FileResult", "main", "run_file"]

MAIN_FILES = (
    "document",
    "collection",
    "cursor",
    "aql",
    "index",
    "transaction",
    "database",
    "graph",
    "batch",
    "async",
    "exception",
)
# What arangolite leaves out on purpose (see docs/yardstick.md): enterprise-only features,
# JavaScript transactions, Foxx services, server tasks and hot backups all run JavaScript or
# need the enterprise edition.
DEFAULT_SKIPS = ("enterprise", "js-transactions", "foxx", "task", "backup")
PASSWORD = "passwd"

_OUTCOME = re.compile(r"^(tests/\S+::\S+) (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b")
_LISTENING = re.compile(r"listening on http://[^:]+:(\d+)")


@dataclass
class FileResult:
    """Outcome of one test file."""

    name: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    note: str = ""
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def ran(self) -> int:
        """Non-skipped tests."""
        return self.passed + self.failed


def _suite_dir(given: str | None) -> Path:
    if given:
        return Path(given)
    shared = os.environ.get("NOMARR_SHARED_DIR") or str(Path.cwd().parent / "shared")
    return Path(shared) / "python-arango-tests"


def _count_tests(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sum(
        isinstance(node, ast.FunctionDef) and node.name.startswith("test_") for node in tree.body
    )


class _Server:
    """An ``arangolite serve`` subprocess on a free loopback port."""

    def __init__(self, keyfile: Path, log: Path) -> None:
        self._log = log.open("w", encoding="utf-8")
        cmd = [sys.executable, "-m", "arangolite", "serve", "--port", "0"]
        cmd += ["--root-password", PASSWORD, "--jwt-secret-keyfile", str(keyfile)]
        self.proc = subprocess.Popen(
            cmd, stdout=self._log, stderr=subprocess.PIPE, text=True, env=_child_env()
        )
        assert self.proc.stderr is not None
        line = self.proc.stderr.readline()
        self._drain = threading.Thread(target=self._copy_log, daemon=True)
        self._drain.start()
        found = _LISTENING.search(line)
        if not found:
            self.stop()
            raise RuntimeError(f"arangolite serve did not start (see {log}): {line!r}")
        self.port = int(found.group(1))

    def _copy_log(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._log.write(line)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._drain.join(5)
        if self.proc.stderr is not None:
            self.proc.stderr.close()
        self._log.close()


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ARANGO_ROOT_PASSWORD", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_file(copy: Path, name: str, skips: list[str], timeout: float) -> FileResult:
    """Run ``tests/test_<name>.py`` of the suite copy against a fresh server."""
    result = FileResult(name)
    test_file = copy / "tests" / f"test_{name}.py"
    server = _Server(copy / "tests" / "static" / "keyfile", copy / f"server-{name}.log")
    started = time.monotonic()
    cmd = [sys.executable, "-m", "pytest", str(test_file.relative_to(copy)), "-v", "-p"]
    cmd += ["no:cacheprovider", "--host", "127.0.0.1", "--port", str(server.port)]
    cmd += ["--password", PASSWORD, "--secret", "secret", "--skip", *skips]
    try:
        proc = subprocess.run(
            cmd, cwd=copy, capture_output=True, text=True, timeout=timeout, env=_child_env()
        )
        output, timed_out = proc.stdout + proc.stderr, False
    except subprocess.TimeoutExpired as exc:
        output, timed_out = _text(exc.stdout) + _text(exc.stderr), True
    finally:
        server.stop()
    result.seconds = time.monotonic() - started
    (copy / f"pytest-{name}.log").write_text(output, encoding="utf-8")
    _tally(result, output)
    missing = _count_tests(test_file) - (result.passed + result.failed + result.skipped)
    if timed_out or missing > 0:
        result.failed += max(missing, 0)
        result.note = f"timeout after {timeout:.0f}s" if timed_out else _setup_error(output)
    return result


def _text(value: str | bytes | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _tally(result: FileResult, output: str) -> None:
    final: dict[str, str] = {}
    for line in output.splitlines():
        found = _OUTCOME.match(line)
        if found:
            node, outcome = found.groups()
            if final.get(node) != "ERROR":
                final[node] = outcome
    for node, outcome in final.items():
        if outcome in ("PASSED", "XPASS"):
            result.passed += 1
        elif outcome in ("SKIPPED", "XFAIL"):
            result.skipped += 1
        else:
            result.failed += 1
            result.failures.append(node.split("::", 1)[1])


def _setup_error(output: str) -> str:
    errors = [line for line in output.splitlines() if re.match(r"^(E|INTERNALERROR>)\s+\S", line)]
    if not errors:
        return "tests missing"
    return ("set-up failed: " + errors[-1].split(None, 1)[1].strip())[:160]


def _report(results: list[FileResult], verbose: bool) -> tuple[int, int]:
    print(f"{'file':<14} {'passed':>6} {'failed':>6} {'skipped':>7} {'rate':>7} {'secs':>6}  note")
    for r in results:
        rate = f"{100 * r.passed / r.ran:.1f}%" if r.ran else "-"
        print(
            f"{r.name:<14} {r.passed:>6} {r.failed:>6} {r.skipped:>7} {rate:>7} "
            f"{r.seconds:>6.1f}  {r.note}"
        )
        if verbose and r.failures:
            print("    failed: " + ", ".join(r.failures))
    passed = sum(r.passed for r in results)
    ran = sum(r.ran for r in results)
    skipped = sum(r.skipped for r in results)
    rate = f"{100 * passed / ran:.1f}%" if ran else "-"
    print(f"{'total':<14} {passed:>6} {ran - passed:>6} {skipped:>7} {rate:>7}")
    return passed, ran


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit status 1 only when ``--min-rate`` is given and missed."""
    parser = argparse.ArgumentParser(
        prog="python -m arangolite.yardstick",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="*", help="test file names (document or test_document.py)")
    parser.add_argument("--main", action="store_true", help="the eleven main files")
    parser.add_argument("--suite", help="suite folder (default: ../shared/python-arango-tests)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per file (300)")
    parser.add_argument(
        "--skip", nargs="*", default=list(DEFAULT_SKIPS), help="suite --skip values"
    )
    parser.add_argument("--min-rate", type=float, help="fail below this pass rate (0..1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy and logs")
    parser.add_argument("-v", "--verbose", action="store_true", help="list failing tests")
    args = parser.parse_args(argv)
    suite = _suite_dir(args.suite)
    if not (suite / "tests" / "conftest.py").is_file():
        print(f"python-arango suite not found at {suite}", file=sys.stderr)
        return 2
    names = [n.removeprefix("test_").removesuffix(".py") for n in args.files]
    if args.main:
        names += MAIN_FILES
    if not names:
        names = sorted(p.stem.removeprefix("test_") for p in (suite / "tests").glob("test_*.py"))
    copy = Path(tempfile.mkdtemp(prefix="arangolite-yardstick-"))
    try:
        shutil.copytree(suite / "tests", copy / "tests")
        results = [run_file(copy, name, args.skip, args.timeout) for name in names]
        passed, ran = _report(results, args.verbose)
    finally:
        if args.keep:
            print(f"logs kept in {copy}")
        else:
            shutil.rmtree(copy, ignore_errors=True)
    if args.min_rate is not None and (not ran or passed / ran < args.min_rate):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
