"""How a batch build reports: a progress bar on a terminal, one plain line per leaflet in logs."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from leafpress.build.jobs import Job, Outcome, Reporter, Summary
from leafpress.build.manifest import Entry


class ConsoleReporter(Reporter):
    """Reports to ``console`` (stderr): a rich progress bar when it is a terminal, else plain lines."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        self.messages_shown: set[str] = set()

    def notice(self, text: str) -> None:
        self.console.print(text, markup=False)

    def deleted(self, entry: Entry, outputs: list[Path], removed: bool) -> None:
        names = ", ".join(str(p) for p in outputs) or "(no files left)"
        if removed:
            self.console.print(f"removed {names}: {entry.source} was deleted", markup=False)
        else:
            self.console.print(
                f"{entry.source} was deleted; its outputs remain: {names} (run with --clean to remove them)",
                markup=False,
            )

    def start(self, to_build: list[Job], unchanged: list[Job], workers: int) -> None:
        if self.console.is_terminal and to_build:
            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("Building"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("", total=len(to_build))
        elif not self.console.is_terminal:
            # One line per leaflet, its unchanged formats together.
            formats: dict[Path, list[str]] = defaultdict(list)
            for job in unchanged:
                formats[job.source].append(job.format)
            for source, names in formats.items():
                self.console.print(f"unchanged {source} ({', '.join(names)})", markup=False)

    def finished(self, outcome: Outcome) -> None:
        out = self.progress.console if self.progress else self.console
        for message in [*outcome.errors, *outcome.warnings]:
            if message not in self.messages_shown:  # a leaflet's errors and warnings once, not once per format
                self.messages_shown.add(message)
                out.print(message, markup=False)
        if outcome.ok and outcome.outputs:  # no outputs: the format did not apply (warned above)
            written = ", ".join(str(p) for p in outcome.outputs)
            out.print(
                f"[green]built[/] {escape(str(outcome.job))} → {escape(written)} [dim]({outcome.seconds:.2f} s)[/]"
            )
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, advance=1, description=escape(str(outcome.job.source.name)))

    def stopping(self, running: int) -> None:
        out = self.progress.console if self.progress else self.console
        out.print(f"Stopping: finishing the {running} leaflet(s) being built (Ctrl-C again to stop now)…", markup=False)

    def close(self, summary: Summary) -> None:
        if self.progress is not None:
            self.progress.stop()
        not_made = f"{summary.not_applicable} not made (see the warnings), " if summary.not_applicable else ""
        text = (
            f"{summary.built} built, {not_made}{summary.unchanged} skipped as unchanged, {summary.failed} failed "
            f"in {summary.seconds:.2f} s"
        )
        if summary.built + summary.not_applicable + summary.failed and summary.workers > 1:
            text += f" ({summary.workers} worker processes)"
        if summary.interrupted:
            text = "Interrupted: " + text + "; the rest were not built"
        self.console.print(text + ".", markup=False)
