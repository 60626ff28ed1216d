"""The whole pipeline for one leaflet: load → validate → enrich → render HTML → render PDF → write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leafpress.build.write import output_name, write_atomic
from leafpress.core.errors import LeafpressError, LeafpressErrors, LeafpressWarning, Location, NotApplicable, shown_path
from leafpress.core.project import THEME_DIR, Project
from leafpress.enrich.citations import unlink_missing_entries
from leafpress.enrich.document import Document
from leafpress.enrich.images import leaflet_roots
from leafpress.enrich.prepare import prepare
from leafpress.enrich.review import OverdueRefused
from leafpress.formats import DEFAULT_FORMAT, Format, RenderContext, get_format, stylesheets_for
from leafpress.pdf.findings import PdfFindings, measure_pdf
from leafpress.render.fetcher import ProjectFetcher
from leafpress.render.html import render_html


@dataclass
class BuildResult:
    source: Path
    format: str = DEFAULT_FORMAT
    output: Path | None = None
    errors: list[LeafpressError] = field(default_factory=list)
    # From a place in the leaflet file with its location; from the layout, fonts or PDF checks, without.
    warnings: list[LeafpressWarning] = field(default_factory=list)
    # Local files the build read (images, fonts, imported styles), with their SHA-256.
    files_read: dict[str, str] = field(default_factory=dict)
    # When the leaflet's review falls due: past it, an overdue policy can change the output.
    review_due: dt.date | None = None
    # What ``check`` would find in the accessible PDF written (leafpress.pdf.findings), as JSON.
    checks: dict[str, Any] = field(default_factory=dict)
    # The enriched leaflet, when the caller asked to keep it (the preview shows its title and review).
    document: Document | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def fetcher_for(source: Path, project: Project) -> ProjectFetcher:
    """A fetcher that may read the project, the leaflet's own folder and the built-in theme."""
    return ProjectFetcher([*leaflet_roots(source, project.root), THEME_DIR], tuple(project.config.allowed_hosts))


def build_leaflet(
    source: Path,
    project: Project,
    output_dir: Path,
    fmt: str | Format = DEFAULT_FORMAT,
    *,
    for_check: bool = False,
    keep_document: bool = False,
) -> BuildResult:
    """Build one leaflet in one format into ``output_dir``; errors are collected, never raised.

    One (leaflet, format) per call, with no shared state, so callers may run many at once.
    ``for_check`` also measures an accessible PDF for ``check`` to reuse (``result.checks``):
    batch builds record it in the manifest; the preview has no use for it. ``keep_document``
    keeps the enriched leaflet in ``result.document``.
    """
    fmt = get_format(fmt)
    result = BuildResult(source=source, format=fmt.name)
    try:
        document = prepare(source, project)
        result.document = document if keep_document else None
        result.warnings += document.warnings
        result.review_due = document.review_due_date
        fetcher = fetcher_for(source, project)
        data, render_warnings = render(document, source, project, fmt, fetcher)
        result.warnings += [LeafpressWarning(warning) for warning in render_warnings]
        result.files_read = fetcher.files_read
        findings = _findings(data, fmt) if for_check else None
        result.checks = findings.to_json() if findings is not None else {}
        result.warnings += _cut_off(findings, fmt)
        result.output = write_atomic(data, output_dir / output_name(source, fmt.suffix))
    except OverdueRefused as exc:
        result.errors = [_remove_earlier_output(exc, output_dir / output_name(source, fmt.suffix))]
    except LeafpressErrors as exc:
        result.errors = exc.errors
    except LeafpressError as exc:
        result.errors = [exc]
    except NotApplicable as exc:
        result.warnings.append(LeafpressWarning(f"no {fmt.name} file: {exc}"))
    except Exception as exc:  # a bug in leafpress must not stop the other leaflets, nor print a traceback
        result.errors = [
            LeafpressError(
                Location(source),
                f"internal error: {type(exc).__name__}: {exc}",
                "this is a bug in leafpress: please report it with this leaflet file",
            )
        ]
    return result


def _findings(data: bytes, fmt: Format) -> PdfFindings | None:
    """The accessible PDF's findings, measured from the bytes in hand for ``check`` to reuse."""
    if fmt.kind != "pdf" or not fmt.accessible:
        return None
    try:
        return measure_pdf(data, fmt.min_font_pt)
    except Exception:  # pdfminer's many errors: nothing is recorded, and ``check`` measures the file itself
        return None


def _cut_off(findings: PdfFindings | None, fmt: Format) -> list[LeafpressWarning]:
    """A warning for each page with text drawn off the paper: it does not print (``check`` fails it)."""
    problems = findings.layout.problems if findings is not None else []
    return [
        LeafpressWarning(
            f"page {problem.page} of the {fmt.name} PDF: {problem.message}, so it is cut off — shorten "
            "that text or table, or see: leafpress check"
        )
        for problem in problems
        if problem.rule == "off-page"
    ]


def _remove_earlier_output(refusal: OverdueRefused, earlier: Path) -> LeafpressError:
    """Remove the output an earlier build left, so an overdue leaflet is not handed out unmarked."""
    if earlier.is_symlink() or not earlier.is_file():
        return refusal
    try:
        earlier.unlink()
    except OSError as exc:
        return LeafpressError(refusal.location, refusal.message, f"{refusal.hint}; remove {earlier} ({exc.strerror})")
    return LeafpressError(
        refusal.location, refusal.message, f"{refusal.hint} (the earlier {shown_path(earlier)} was removed)"
    )


def render(
    document: Document, source: Path, project: Project, fmt: Format, fetcher: ProjectFetcher | None = None
) -> tuple[bytes, list[str]]:
    """The finished file's bytes for ``fmt``, and any warnings; ``fetcher`` records what was read."""
    html, unlinked = unlink_missing_entries(render_html(document, project))
    context = RenderContext(
        document=document,
        source=source,
        project=project,
        fetcher=fetcher or fetcher_for(source, project),
        stylesheets=stylesheets_for(fmt, project),
    )
    data, warnings = fmt.render(html, context)
    return data, unlinked + warnings
