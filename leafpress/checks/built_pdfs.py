"""The PDFs ``check`` judges: exactly what a build would write now, never a stale file.

For each leaflet and accessible format, the output in the output folder is reused only when
the build manifest says it was built from exactly the current inputs (the same test as the
incremental build: the leaflet, every file it read, templates, styles, config and leafpress's
own version). Otherwise the PDF is built now, with the batch machinery (in parallel with
``--jobs``), into a cache folder beside the outputs, so the user's outputs are not touched and
a second ``check`` reuses what the first one built.

The build records what it found in each accessible PDF (:mod:`leafpress.pdf.findings`) with the
PDF's SHA-256; those findings are reused only for a file on disk that hashes to that SHA-256,
so a PDF changed after its build is measured again, never passed unseen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leafpress.build.batch import build_all
from leafpress.build.jobs import Job, Outcome, Reporter
from leafpress.build.manifest import Inputs, Manifest, entry_id, relative_name, sha256_file
from leafpress.build.write import output_name
from leafpress.core.days import today
from leafpress.core.errors import LeafpressError
from leafpress.core.project import Project
from leafpress.formats import FORMATS, Format
from leafpress.pdf.findings import PdfFindings

CACHE_FOLDER = ".leafpress-check"


@dataclass
class PdfToCheck:
    source: Path
    format: Format
    path: Path | None
    # True when reused from the output folder (built from the current inputs), False when built now.
    fresh: bool
    errors: list[str] = field(default_factory=list)
    # What the build found in exactly this file, when it recorded that; None: measure it now.
    recorded: PdfFindings | None = None
    # The SHA-256 of the leaflet file when this PDF was judged fresh or built: ``check`` reads the
    # leaflet again afterwards, and a file saved in between is not judged against this PDF.
    source_sha256: str | None = None


def accessible_formats(project: Project) -> list[Format]:
    """The project's formats (``formats:``) whose output is an accessible PDF or web page."""
    chosen = [FORMATS[name] for name in project.config.formats if name in FORMATS]
    return [fmt for fmt in chosen if fmt.kind in ("pdf", "html") and fmt.accessible]


class _Collect(Reporter):
    """Keeps each job's outcome; prints nothing (``check`` reports on its own)."""

    def __init__(self) -> None:
        self.outcomes: dict[Job, Outcome] = {}

    def finished(self, outcome: Outcome) -> None:
        self.outcomes[outcome.job] = outcome


def pdfs_to_check(
    sources: list[Path], project: Project, output_dir: Path, jobs: int | None = None, inputs: Inputs | None = None
) -> dict[Path, list[PdfToCheck]]:
    """Every accessible PDF of ``sources``: reused when fresh in ``output_dir``, else built now."""
    formats = accessible_formats(project)
    try:
        on = today()
    except LeafpressError:
        on = dt.date.today()
    manifest = Manifest.load(output_dir)
    inputs = inputs or Inputs(project)
    found: dict[Path, list[PdfToCheck]] = {source: [] for source in sources}
    stale: list[tuple[Path, Format]] = []
    for source in sources:
        for fmt in formats:
            name = entry_id(relative_name(source, project.root), fmt.name)
            if manifest.is_fresh(name, inputs.job_key(source, fmt.name), inputs, on):
                path = output_dir / output_name(source, fmt.suffix)
                recorded = recorded_findings(manifest.entries[name].checks, path)
                found[source].append(
                    PdfToCheck(source, fmt, path, True, recorded=recorded, source_sha256=_hash_of(source, inputs))
                )
            else:
                stale.append((source, fmt))
    if stale:
        cache = output_dir / CACHE_FOLDER
        collect = _Collect()
        build_all(
            project,
            list(dict.fromkeys(source for source, _ in stale)),
            cache,
            collect,
            formats=tuple(dict.fromkeys(fmt.name for _, fmt in stale)),
            jobs=jobs,
        )
        for source, fmt in stale:
            path = cache / output_name(source, fmt.suffix)
            outcome = collect.outcomes.get(Job(source, fmt.name))
            errors = outcome.errors if outcome else []
            built = path.is_file() and not errors
            recorded = recorded_findings(outcome.checks, path) if outcome and built else None
            found[source].append(
                PdfToCheck(source, fmt, path if built else None, False, errors, recorded, _hash_of(source, inputs))
            )
    return found


def _hash_of(source: Path, inputs: Inputs) -> str | None:
    """The leaflet file's SHA-256 as the freshness of its PDFs was judged (hashed once per run)."""
    return inputs.file_hash(source.resolve())


def judged_another_version(pdfs: list[PdfToCheck], read_sha256: str | None) -> bool:
    """True when the leaflet read for the checks (``read_sha256``) is not the file its PDFs were
    judged fresh or built from: it was saved while ``check`` ran."""
    return read_sha256 is not None and any(pdf.source_sha256 not in (None, read_sha256) for pdf in pdfs)


def recorded_findings(checks: Any, path: Path) -> PdfFindings | None:
    """The findings recorded for the output at ``path``, if that file is still the one measured."""
    if not checks:
        return None
    findings = PdfFindings.from_json(checks)
    return findings if findings is not None and sha256_file(path) == findings.sha256 else None
