"""Progress on the terminal for the long steps: assembling the built-in model, drafting, eval runs.

Everything goes to stderr, and only when stderr is a terminal: a pipe or a log file gets nothing,
and `--quiet` turns it off. rich draws the bars and keeps stdout free for the draft itself.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

# What the agent sees for each model call, in both languages.
PHASE_LABELS = {
    "analysis": "analyse / analysis",
    "analysis_retry": "analyse, opnieuw / analysis, again",
    "draft": "concept / draft",
    "rewrite": "B1-herschrijving / B1 rewrite",
    "revision": "herziening / revise",
}


def terminal(quiet: bool = False) -> Console | None:
    """A console on stderr when it is a terminal and progress is wanted; None otherwise."""
    console = Console(stderr=True)
    return console if console.is_terminal and not quiet else None


class DraftProgress:
    """One line per model call: the phase, elapsed time, tokens so far and tokens/s (prompt time
    included) while streaming; `pipeline.draft_reply(progress=...)` feeds it. The post-check takes
    milliseconds and gets no line."""

    def __init__(self, console: Console) -> None:
        self._bars = Progress(
            SpinnerColumn(), TextColumn("{task.description:<34}"), TimeElapsedColumn(),
            TextColumn("{task.fields[tokens]}"), console=console, transient=False,
        )
        self._task = None
        self._started = 0.0

    def __enter__(self) -> "DraftProgress":
        self._bars.start()
        return self

    def __exit__(self, *exc) -> None:
        self._finish_task()
        self._bars.stop()

    def __call__(self, event: str, data: dict) -> None:
        if event == "phase":
            self._finish_task()
            self._started = time.perf_counter()
            self._task = self._bars.add_task(PHASE_LABELS.get(data["phase"], data["phase"]), total=None, tokens="")
        elif event == "tokens" and self._task is not None:
            seconds = max(time.perf_counter() - self._started, 1e-6)
            self._bars.update(self._task, tokens=f"{data['tokens']} tokens · {data['tokens'] / seconds:4.1f} tok/s")
        elif event == "call" and self._task is not None:
            note = " · afgekapt / cut at its cap" if data.get("finish_reason") == "length" else ""
            self._bars.update(self._task, tokens=f"{data['completion_tokens']} tokens{note}")
            self._finish_task()

    def _finish_task(self) -> None:
        if self._task is not None:
            self._bars.update(self._task, total=1, completed=1)
            self._task = None


class Assembly:
    """The built-in model's parts being joined (1.1 GB, once): a byte bar on a terminal."""

    def __init__(self, total: int, console: Console | None) -> None:
        self.console = console  # None: quiet, or not a terminal
        self._bars = None
        if self.console is not None:
            self._bars = Progress(
                TextColumn("ingebouwd model samenvoegen / assembling the built-in model"), BarColumn(), DownloadColumn(),
                TimeElapsedColumn(), console=self.console,
            )
            self._task = self._bars.add_task("assemble", total=total)

    def __enter__(self) -> "Assembly":
        if self._bars is not None:
            self._bars.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._bars is not None:
            self._bars.stop()

    def advance(self, size: int) -> None:
        if self._bars is not None:
            self._bars.update(self._task, advance=size)


class EvalProgress:
    """Items done, pass rate so far and an ETA for `replydraft eval`, on a terminal."""

    def __init__(self, total: int, console: Console | None) -> None:
        self.total, self.done, self.passed = total, 0, 0
        self._bars = None
        if console is not None:
            self._bars = Progress(
                TextColumn("eval"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                TextColumn("{task.fields[rate]}"), TextColumn("· nog / left"), TextColumn("{task.fields[eta]}"),
                TimeElapsedColumn(), console=console,
            )
            self._task = self._bars.add_task("eval", total=total, rate="", eta="?")
            self._bars.start()
            self._started = time.monotonic()

    def update(self, record: dict) -> None:
        self.done += 1
        self.passed += bool(record.get("passed"))
        if self._bars is not None:
            elapsed = time.monotonic() - self._started
            eta = elapsed / self.done * (self.total - self.done)
            self._bars.update(self._task, advance=1, rate=f"pass {self.passed / self.done:.0%}", eta=f"{eta:.0f} s")

    def close(self) -> None:
        """Stop the live display (run_eval calls it in a `finally`: a cancelled run must give the cursor back)."""
        if self._bars is not None:
            self._bars.stop()

    def say(self, message: str) -> None:
        if self._bars is not None:
            self._bars.console.print(message)
