"""The ``check`` command's checks: readability and the other checks for each leaflet, as data.

Other checks plug in through ``EXTRA_CHECKS``: each gets the leaflet file, the project and
the file as read once for every check (:mod:`leafpress.checks.leaflet_file`), and returns an
``ExtraCheck``, shown under its own heading and put in the JSON under its key.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from leafpress.build.batch import default_jobs
from leafpress.build.manifest import Inputs
from leafpress.checks.accessibility import accessibility_check
from leafpress.checks.accessibility_report import write_accessibility_report
from leafpress.checks.built_pdfs import PdfToCheck, judged_another_version, pdfs_to_check
from leafpress.checks.easy_read import easy_read_check
from leafpress.checks.leaflet_file import LeafletFile, read_leaflet
from leafpress.checks.readability import LeafletReadability, analyse
from leafpress.checks.readability.report import write_proof
from leafpress.checks.result import ExtraCheck
from leafpress.checks.translation import translation_check
from leafpress.core.errors import LeafpressError, LeafpressErrors, Location, internal_error
from leafpress.core.project import Project
from leafpress.enrich.prepare import prepare_read
from leafpress.source.load import file_limits, recording_reads
from leafpress.source.project import refuse_link_out

LeafletCheck = Callable[[Path, Project, LeafletFile], ExtraCheck]
# Accessibility is not among these: it also gets the leaflet's PDFs (see check_all).
EXTRA_CHECKS: list[LeafletCheck] = [translation_check, easy_read_check]


@dataclass
class CheckOutcome:
    file: str
    readability: LeafletReadability | None = None
    proof: Path | None = None
    errors: list[LeafpressError] = field(default_factory=list)
    extra: list[ExtraCheck] = field(default_factory=list)
    accessibility_report: Path | None = None

    @property
    def passed(self) -> bool:
        readable = self.readability is not None and self.readability.meets_targets
        return not self.errors and readable and all(check.passed for check in self.extra)

    def to_json(self) -> dict[str, Any]:
        if self.readability is None:
            record: dict[str, Any] = {"file": self.file, "meets_targets": False}
        else:
            record = self.readability.to_json(self.file)
            record["proof"] = str(self.proof) if self.proof else None
        record["accessibility_report"] = str(self.accessibility_report) if self.accessibility_report else None
        if self.errors:
            record["errors"] = [
                {
                    "line": e.location.line,
                    "column": e.location.column,
                    "message": e.message,
                    "hint": e.hint,
                    "text": str(e),
                }
                for e in self.errors
            ]
        for check in self.extra:
            record[check.key] = check.data
        record["passed"] = self.passed
        return record


def check_leaflet(
    source: Path,
    project: Project,
    proof_dir: Path | None,
    pdfs: list[PdfToCheck] | None = None,
    shared_inputs: str | None = None,
) -> CheckOutcome:
    """Every check on one leaflet; a broken file gives errors, never an exception.

    The leaflet goes through the same load, validation and enrichment as a build, so a
    leaflet the build refuses fails here with the same message. ``shared_inputs`` (the digest
    of leafpress and the project's templates, see build.manifest) lets an unchanged proof page
    stand.
    """
    outcome = CheckOutcome(file=str(source))
    try:
        refuse_link_out(source, project.root)
    except LeafpressError as exc:
        outcome.errors = [exc]  # nothing more is read from a file outside the project
        return outcome
    try:
        with file_limits(project.config.limits):  # the leaflet, its translation's source, its siblings
            return _checked(source, project, proof_dir, pdfs, outcome, shared_inputs)
    except Exception as exc:  # a bug must not stop the other leaflets' checks
        message, _, hint = internal_error(exc).rpartition(" — ")
        return CheckOutcome(file=str(source), errors=[LeafpressError(Location.whole_file(source), message, hint)])


def _checked(
    source: Path,
    project: Project,
    proof_dir: Path | None,
    pdfs: list[PdfToCheck] | None,
    outcome: CheckOutcome,
    shared_inputs: str | None,
) -> CheckOutcome:
    errors: list[LeafpressError] = []
    with recording_reads() as reads:
        read = read_leaflet(source, project)  # once, for every check below and for the enrichment
    if pdfs and judged_another_version(pdfs, reads.get(str(source.resolve()))):
        # Saved while check ran: its PDFs are of the version before, so none of them is judged.
        pdfs = [replace(pdf, path=None, fresh=False, errors=[CHANGED_WHILE_CHECKED], recorded=None) for pdf in pdfs]
        errors.append(LeafpressError(Location.whole_file(source), CHANGED_WHILE_CHECKED, "run leafpress check again"))
    try:
        if read.loaded is not None and read.leaflet is not None and not _built_from_these_inputs(pdfs):
            prepare_read(read.loaded, read.leaflet, project)  # the build's enrichment, for its errors
    except LeafpressErrors as exc:
        errors += exc.errors
    except LeafpressError as exc:
        errors.append(exc)
    try:
        if read.loaded is None or read.leaflet is None:
            raise LeafpressErrors(read.errors)
        outcome.readability = analyse(read.loaded, read.leaflet, project)
        if proof_dir is not None:
            outcome.proof = write_proof(outcome.readability, project, proof_dir, shared_inputs)
    except LeafpressErrors as exc:
        errors += exc.errors
    except LeafpressError as exc:
        errors.append(exc)
    outcome.errors = list({str(error): error for error in errors}.values())
    # Other checks run on a broken file too: a missing alt text is both an error and theirs to place.
    outcome.extra = [accessibility_check(source, project, pdfs or [], read)]
    outcome.extra += [check(source, project, read) for check in EXTRA_CHECKS]
    if proof_dir is not None:
        outcome.accessibility_report = write_accessibility_report(
            source, project, proof_dir, outcome.extra[0], [str(error) for error in outcome.errors]
        )
    return outcome


def _built_from_these_inputs(pdfs: list[PdfToCheck] | None) -> bool:
    """True when a build of exactly the current inputs succeeded for this leaflet, so its
    enrichment (the same for every format, and recorded only when it raised nothing) is known
    to pass: the manifest's test (the leaflet, every file it read, config, templates, leafpress
    itself, the review state on this day) found each of its outputs up to date."""
    return bool(pdfs) and all(pdf.fresh and pdf.path is not None and not pdf.errors for pdf in pdfs or [])


CHANGED_WHILE_CHECKED = "the file was saved while it was being checked, so its PDFs were built from the version before"

# Below this many leaflets per process, starting another costs more than it saves.
MIN_LEAFLETS_PER_WORKER = 8


def check_all(
    sources: list[Path], project: Project, output_dir: Path | None, jobs: int | None = None
) -> list[CheckOutcome]:
    """Every check on each of ``sources``, in order, on the PDFs a build would write now.

    With ``jobs`` above 1 (default: every core) and enough leaflets, the leaflets are shared
    among that many processes.
    """
    inputs = Inputs(project)
    pdfs = pdfs_to_check(sources, project, output_dir or project.root / "output", jobs, inputs)
    shared_inputs = inputs.shared
    workers = min(jobs or default_jobs(), len(sources) // MIN_LEAFLETS_PER_WORKER)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [check_leaflet(source, project, output_dir, pdfs.get(source, []), shared_inputs) for source in sources]
    global _shared
    _shared = (sources, project, output_dir, pdfs, shared_inputs)
    # Forked, so each process starts with everything this one has imported and read; only the
    # outcomes travel back. Every n-th leaflet to each process shares long and short ones out.
    shares = [range(start, len(sources), workers) for start in range(workers)]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_check_share, shares))
    finally:
        _shared = None
    outcomes: list[CheckOutcome | None] = [None] * len(sources)
    for share, checked in zip(shares, results, strict=True):
        for index, outcome in zip(share, checked, strict=True):
            outcomes[index] = outcome
    return [outcome for outcome in outcomes if outcome is not None]


_shared: tuple[list[Path], Project, Path | None, dict[Path, list[PdfToCheck]], str] | None = None


def _check_share(share: range) -> list[CheckOutcome]:
    """In a forked worker: the outcomes of the leaflets at ``share``'s places."""
    assert _shared is not None, "forked from check_all"
    sources, project, output_dir, pdfs, shared_inputs = _shared
    return [check_leaflet(sources[i], project, output_dir, pdfs.get(sources[i], []), shared_inputs) for i in share]
