"""A build job (one leaflet in one format), what building it did, and who is told about it."""

from __future__ import annotations

import datetime as dt
import os
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leafpress.build.manifest import Entry
from leafpress.core.config import DEFAULT_FORMAT
from leafpress.core.errors import internal_error
from leafpress.core.project import Project

INTERRUPTED_EXIT = 130


@dataclass(frozen=True)
class Job:
    """One leaflet built in one format."""

    source: Path
    format: str = DEFAULT_FORMAT

    def __str__(self) -> str:
        return str(self.source) if self.format == DEFAULT_FORMAT else f"{self.source} [{self.format}]"


@dataclass
class Outcome:
    """What building one job did; plain data, so it can come back from a worker process."""

    job: Job
    outputs: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files_read: dict[str, str] = field(default_factory=dict)
    review_due: dt.date | None = None
    # The findings ``check`` reuses (leafpress.pdf.findings), measured from the PDF written.
    checks: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    worker: int = 0
    peak_memory_kb: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Summary:
    built: int = 0
    # Jobs whose format does not apply to the leaflet (no translation to set beside it, no Easy
    # Read version): nothing written, and a warning says why. Not counted as built.
    not_applicable: int = 0
    unchanged: int = 0
    failed: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    # The largest resident memory any one worker process reached (kB).
    peak_worker_memory_kb: int = 0
    workers: int = 1
    # The manifest could not be written (a full disk, a folder in its place): the next build redoes all.
    manifest_unsaved: bool = False

    @property
    def exit_code(self) -> int:
        return INTERRUPTED_EXIT if self.interrupted else int(self.failed > 0 or self.manifest_unsaved)


class Reporter:
    """What a batch tells its user; ``leafpress.cli.progress`` shows it on a terminal or in a log."""

    def notice(self, text: str) -> None: ...
    def deleted(self, entry: Entry, outputs: list[Path], removed: bool) -> None: ...
    def start(self, to_build: list[Job], unchanged: list[Job], workers: int) -> None: ...
    def finished(self, outcome: Outcome) -> None: ...
    def stopping(self, running: int) -> None: ...
    def close(self, summary: Summary) -> None: ...


def build_job(job: Job, project: Project, output_dir: Path) -> Outcome:
    """Build one job in this process; every failure becomes the outcome's errors."""
    from leafpress.build.pipeline import build_leaflet  # imports WeasyPrint: only when there is work
    from leafpress.source.load import recording_reads

    started = time.perf_counter()
    outcome = Outcome(job=job, worker=os.getpid())
    try:
        with recording_reads() as reads:
            result = build_leaflet(job.source, project, output_dir, job.format, for_check=True)
        outcome.errors = [error.render() for error in result.errors]
        outcome.warnings = [warning.render(job.source) for warning in result.warnings]
        outcome.outputs = [result.output] if result.output else []
        outcome.files_read = {**reads, **result.files_read}
        outcome.review_due = result.review_due
        outcome.checks = result.checks
    except Exception as exc:  # a bug must not stop the other leaflets
        outcome.errors = [f"{job.source}: {internal_error(exc)}"]
    outcome.seconds = time.perf_counter() - started
    outcome.peak_memory_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return outcome
