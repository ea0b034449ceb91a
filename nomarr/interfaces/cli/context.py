"""What every command receives: the configuration, the consoles, and how to report progress.

Output meant for reading or piping goes to stdout; progress, warnings and errors go to stderr.
A progress bar is drawn only when stderr is a terminal; otherwise a plain line is printed every
few seconds, so logs of non-interactive runs stay readable.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from nomarr.services.backend import AppConfig, open_database

if TYPE_CHECKING:
    from nomarr.persistence import Database

__all__ = ["CliContext", "ProgressLine", "make_console"]

_PLAIN_INTERVAL_S = 2.0


def make_console(stderr: bool) -> Console:
    """Return a console on stdout or stderr; wide and colourless when not a terminal.

    Emoji codes are left alone: what it prints holds the user's names and tags, and a file called
    ``:fire:.mp3`` must not be shown as another name."""
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Console(stderr=stderr, highlight=False, emoji=False)
    return Console(stderr=stderr, width=120, no_color=True, highlight=False, soft_wrap=True, emoji=False)


@dataclass(slots=True)
class CliContext:
    """Shared state of one command run.

    Attributes:
        config: configuration from the environment and the global options.
        debug: ``--debug`` was given.
        out: console for results (stdout).
        err: console for progress and messages (stderr).
    """

    config: AppConfig
    debug: bool = False
    out: Console = field(default_factory=lambda: make_console(stderr=False))
    err: Console = field(default_factory=lambda: make_console(stderr=True))

    def line(self, text: str) -> None:
        """Write ``text`` and a newline on stdout as it is: a path or a listing line is never
        rendered (tabs expanded, wrapped), and a long listing costs a write a line."""
        self.out.file.write(text + "\n")

    @contextmanager
    def database(self) -> Iterator[Database]:
        """Open the configured database for the ``with`` block, and close it afterwards."""
        db = open_database(self.config)
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def progress(self, label: str, total: int | None, unit: str = "files") -> Iterator[ProgressLine]:
        """Report progress of a task with ``total`` steps (None when unknown)."""
        line = ProgressLine(self.err, label, total, unit)
        try:
            yield line
        finally:
            line.close()


class _RateColumn(ProgressColumn):
    def __init__(self, unit: str) -> None:
        super().__init__()
        self._unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed or 0.0
        return Text(f"{speed:,.0f} {self._unit}/s")


class ProgressLine:
    """A progress bar on a terminal, else a plain line every two seconds (and at the end)."""

    def __init__(self, console: Console, label: str, total: int | None, unit: str) -> None:
        self._console = console
        self._label = label
        self._total = total
        self._unit = unit
        self._done = 0
        self._extra = ""
        self._start = time.monotonic()
        self._last_line = self._start
        self._bar: Progress | None = None
        if console.is_terminal:
            self._bar = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _RateColumn(unit),
                TimeElapsedColumn(), TextColumn("{task.fields[extra]}"), console=console, transient=True,
            )  # fmt: skip
            self._task = self._bar.add_task(label, total=total, extra="")
            self._bar.start()

    def update(self, done: int, total: int | None = None, extra: str = "") -> None:
        """Record ``done`` steps out of ``total`` (when it changed), with a short note."""
        self._done, self._extra = done, extra
        self._total = total if total is not None else self._total
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=self._total, extra=extra)
        elif time.monotonic() - self._last_line >= _PLAIN_INTERVAL_S:
            self._plain()

    def close(self) -> None:
        """Stop the bar, or print the last plain line."""
        if self._bar is not None:
            self._bar.stop()
        elif self._done:
            self._plain()

    def _plain(self) -> None:
        self._last_line = time.monotonic()
        rate = self._done / max(1e-9, self._last_line - self._start)
        total = f"/{self._total}" if self._total is not None else ""
        extra = f", {self._extra}" if self._extra else ""
        self._console.print(f"{self._label}: {self._done}{total} {self._unit} ({rate:,.0f}/s){extra}")
