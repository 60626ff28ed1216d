"""Batch builds: every (leaflet, format) job whose inputs changed, in this process or in workers.

The manifest (``leafpress.build.manifest``) says which jobs are unchanged; the rest are built
here one after another (``--jobs 1``, or a single job) or by worker processes
(``leafpress.build.workers``). Deciding what to build imports neither WeasyPrint nor the
workers, so a build with nothing to do is quick.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import signal
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from leafpress.build.jobs import DEFAULT_FORMAT, Job, Outcome, Reporter, Summary, build_job
from leafpress.build.manifest import Entry, Inputs, Manifest, entry_id, relative_name
from leafpress.build.write import remove_stale_parts
from leafpress.core.days import today as review_day
from leafpress.core.errors import LeafpressError
from leafpress.core.project import Project
from leafpress.pdf.conformance import PDFUA_WARNING


def default_jobs() -> int:
    """The number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def build_all(
    project: Project,
    sources: list[Path],
    output_dir: Path,
    reporter: Reporter,
    *,
    formats: tuple[str, ...] = (DEFAULT_FORMAT,),
    jobs: int | None = None,
    force: bool = False,
    clean: bool = False,
    leaflet_check: Callable[[Path], bool] | None = None,
    check_unchanged: bool = False,
    strict: bool = False,
) -> Summary:
    """Build every source in every format into ``output_dir``, skipping jobs whose inputs are unchanged.

    ``leaflet_check`` runs once per leaflet built in this run (and per unchanged leaflet too
    when ``check_unchanged``); when it returns False, every job of that leaflet fails.
    """
    started = time.perf_counter()
    summary = Summary()
    if output_dir.is_dir():
        remove_stale_parts(output_dir)
    manifest = Manifest.load(output_dir)
    try:
        on = review_day()
    except LeafpressError:
        on = dt.date.today()  # a bad LEAFPRESS_TODAY: each leaflet's build reports it
    if manifest.problem:
        reporter.notice(manifest.problem)
    inputs = Inputs(project)
    _report_orphans(manifest, project.root, reporter, clean)

    todo: list[Job] = []
    unchanged: list[Job] = []
    keys: dict[Job, str] = {}
    for job in dict.fromkeys(Job(source, fmt) for source in sources for fmt in formats):
        keys[job] = inputs.job_key(job.source, job.format)
        name = entry_id(relative_name(job.source, project.root), job.format)
        fresh = not force and manifest.is_fresh(name, keys[job], inputs, on)
        (unchanged if fresh else todo).append(job)
    checked: dict[Path, bool] = {}

    def passes_check(source: Path) -> bool:
        if leaflet_check is not None and source not in checked:
            checked[source] = leaflet_check(source)
        return checked.get(source, True)

    summary.workers = max(1, min(jobs or default_jobs(), len(todo)))
    reporter.start(todo, unchanged, summary.workers)
    outcomes: dict[Job, bool] = {}  # whether each job ended well
    not_applicable: set[Job] = set()  # ended well, with nothing to write (the format does not apply)
    if check_unchanged:
        for job in [job for job in unchanged if not passes_check(job.source)]:
            unchanged.remove(job)
            outcomes[job] = False
            manifest.forget(entry_id(relative_name(job.source, project.root), job.format))
    summary.unchanged = len(unchanged)

    saver = _ThrottledSave(manifest, reporter, summary)

    def finished(outcome: Outcome) -> None:
        # Reported at most once, even if Ctrl-C lands here and the job is reported again.
        if outcome.job in outcomes:
            return
        source = relative_name(outcome.job.source, project.root)
        if strict:
            _fail_on_pdfua_warnings(outcome)
        reporter.finished(outcome)
        ok = outcome.ok and passes_check(outcome.job.source)
        if ok:
            manifest.record(
                Entry(
                    source=source,
                    format=outcome.job.format,
                    key=keys[outcome.job],
                    outputs=[relative_name(p, output_dir.resolve()) for p in outcome.outputs],
                    files={relative_name(Path(f), project.root): digest for f, digest in outcome.files_read.items()},
                    review_due=outcome.review_due.isoformat() if outcome.review_due else "",
                    overdue=bool(outcome.review_due and outcome.review_due < on),
                    checks=outcome.checks,
                    seconds=round(outcome.seconds, 3),
                )
            )
        else:
            manifest.forget(entry_id(source, outcome.job.format))  # a failed job is always tried again
        summary.peak_worker_memory_kb = max(summary.peak_worker_memory_kb, outcome.peak_memory_kb)
        outcomes[outcome.job] = ok
        if ok and not outcome.outputs:
            not_applicable.add(outcome.job)
        saver.maybe_save()

    try:
        with _stop_on_sigterm():
            if summary.workers == 1:
                for job in todo:
                    finished(build_job(job, project, output_dir))
            else:
                from leafpress.build.workers import build_in_parallel

                longest_first = _longest_first(todo, manifest, project.root)
                build_in_parallel(longest_first, project, output_dir, summary.workers, finished, reporter)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if todo or outcomes or clean or manifest.problem:
            saver.save()
    summary.not_applicable = len(not_applicable)
    summary.built = sum(outcomes.values()) - summary.not_applicable
    summary.failed = len(outcomes) - sum(outcomes.values())
    summary.seconds = time.perf_counter() - started
    reporter.close(summary)
    return summary


def _fail_on_pdfua_warnings(outcome: Outcome) -> None:
    """With --strict, a PDF the independent validator finds not PDF/UA-1 compliant is an error, not written."""
    failed = [warning for warning in outcome.warnings if PDFUA_WARNING in warning]
    if not failed:
        return
    outcome.errors += [warning.replace(": warning: ", ": ", 1) + " (--strict)" for warning in failed]
    outcome.warnings = [warning for warning in outcome.warnings if warning not in failed]
    for output in outcome.outputs:
        output.unlink(missing_ok=True)
    outcome.outputs = []


def _longest_first(jobs: list[Job], manifest: Manifest, root: Path) -> list[Job]:
    """``jobs`` ordered by how long each took when last built, longest first, so that in a parallel
    build no long job (an audio file, a booklet) starts last and runs on alone. A job never built
    counts as long as its format's usual time here; ties keep their order."""
    times: dict[str, list[float]] = {}
    for entry in manifest.entries.values():
        if _took(entry) and isinstance(entry.format, str):
            times.setdefault(entry.format, []).append(_took(entry))
    usual = {fmt: statistics.median(seconds) for fmt, seconds in times.items()}

    def expected(job: Job) -> float:
        entry = manifest.entries.get(entry_id(relative_name(job.source, root), job.format))
        return (entry is not None and _took(entry)) or usual.get(job.format, 0.0)

    return sorted(jobs, key=expected, reverse=True)


def _took(entry: Entry) -> float:
    """The seconds ``entry`` says its job took; 0 for anything but a positive finite number (the
    manifest is a file anyone can edit, and the order of jobs must never fail a build)."""
    seconds = entry.seconds
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds < math.inf:
        return 0.0
    return float(seconds)


def _report_orphans(manifest: Manifest, root: Path, reporter: Reporter, clean: bool) -> None:
    """Tell of outputs whose leaflet was deleted; remove them when asked to."""
    for name, entry in manifest.orphans(root).items():
        if clean:
            removed, refused = manifest.remove_outputs(name)
            reporter.deleted(entry, removed, removed=True)
            for output in refused:
                reporter.notice(
                    f"{manifest.path}: not removing {output!r}: it is not an output leafpress writes for "
                    f"{entry.source} (the manifest was changed by hand?)"
                )
        else:
            reporter.deleted(entry, [manifest.output_dir / o for o in entry.outputs], removed=False)


class _ThrottledSave:
    """Save the manifest as jobs finish, at most every half second, so a killed build loses little."""

    def __init__(self, manifest: Manifest, reporter: Reporter, summary: Summary) -> None:
        self.manifest = manifest
        self.reporter = reporter
        self.summary = summary
        self.last = time.monotonic()

    def maybe_save(self) -> None:
        if time.monotonic() - self.last > 0.5:
            self.save()

    def save(self) -> None:
        self.last = time.monotonic()
        try:
            self.manifest.save()
        except LeafpressError as exc:
            # A full disk or a folder where the manifest goes: said once, and the batch goes on.
            if not self.summary.manifest_unsaved:
                self.reporter.notice(f"{exc} (the manifest of what was built could not be saved)")
            self.summary.manifest_unsaved = True


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Treat SIGTERM (a CI job cancelled) like Ctrl-C: stop cleanly."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
