"""The whole pipeline for one leaflet: load → validate → enrich → render HTML → render PDF → write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from leafpress import __version__
from leafpress.bidi import isolate_ltr_runs_in_html
from leafpress.citations import unlink_missing_entries
from leafpress.enrich import Document, enrich
from leafpress.errors import LeafpressError, LeafpressErrors, Location, NotApplicable
from leafpress.fetcher import ProjectFetcher
from leafpress.formats import DEFAULT_FORMAT, Format, get_format, stylesheets_for
from leafpress.glyphs import check_glyphs
from leafpress.images import leaflet_roots
from leafpress.load import load_yaml
from leafpress.model import Leaflet
from leafpress.pdf_checks import check_pdf
from leafpress.pdf_fixes import fix_tagging, page_break_splits
from leafpress.pdf_language import install as tag_element_languages
from leafpress.plain_text import html_to_text
from leafpress.project import THEME_DIR, Project
from leafpress.render_html import render_html
from leafpress.render_pdf import load_stylesheets, render_pdf, reusable_stylesheets
from leafpress.review import apply_overdue_policy, today
from leafpress.translations import link as link_translation
from leafpress.validate import validate
from leafpress.web import standalone_html
from leafpress.write import output_name, write_atomic

# Elements with their own lang (a Welsh phrase, a bilingual column) get /Lang in the PDF's structure.
tag_element_languages()


@dataclass
class BuildResult:
    source: Path
    format: str = DEFAULT_FORMAT
    output: Path | None = None
    errors: list[LeafpressError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Local files the build read (images, fonts, imported styles), with their SHA-256.
    files_read: dict[str, str] = field(default_factory=dict)
    # When the leaflet's review falls due: past it, an overdue policy can change the output.
    review_due: dt.date | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def prepare(source: Path, project: Project, on: dt.date | None = None) -> Document:
    """Load, validate and enrich one leaflet file, as of the day ``on`` (default: today)."""
    loaded = load_yaml(source, max_bytes=project.config.limits.max_file_bytes)
    leaflet = validate(loaded, Leaflet)
    leaflet, translation_warnings = link_translation(loaded, leaflet)
    document = enrich(loaded, leaflet, project.config, project.root)
    document.warnings += translation_warnings
    apply_overdue_policy(loaded, document, project.config, on or today())
    return document


def fetcher_for(source: Path, project: Project) -> ProjectFetcher:
    """A fetcher that may read the project, the leaflet's own folder and the built-in theme."""
    return ProjectFetcher([*leaflet_roots(source, project.root), THEME_DIR], tuple(project.config.allowed_hosts))


def provenance(document: Document) -> dict[str, str]:
    """Metadata that ties a PDF to the exact source it was built from, and says if it is fit for use."""
    fields = {
        "LeafletCode": document.leaflet.code or document.source_path.stem,
        "LeafletVersion": document.leaflet.version,
        "LastReviewed": document.last_reviewed.isoformat(),
        "NextReviewDue": document.review_due_date.isoformat(),
        "SourceSHA256": document.source_sha256,
        "Generator": f"leafpress {__version__}",
    }
    if document.signoff is not None:
        fields["LeafletStatus"] = document.signoff.status
        if document.signoff.approved_by and document.leaflet.approved_by:
            fields["ApprovedBy"] = document.signoff.approved_by
            fields["ApprovedOn"] = document.leaflet.approved_by.date.isoformat()
    if document.marks:
        fields["Marks"] = " · ".join(document.marks)
    return fields


def build_leaflet(source: Path, project: Project, output_dir: Path,
                  fmt: str | Format = DEFAULT_FORMAT) -> BuildResult:
    """Build one leaflet in one format into ``output_dir``; errors are collected, never raised.

    One (leaflet, format) per call, with no shared state, so callers may run many at once.
    """
    fmt = get_format(fmt)
    result = BuildResult(source=source, format=fmt.name)
    try:
        document = prepare(source, project)
        result.warnings += document.warnings
        result.review_due = document.review_due_date
        fetcher = fetcher_for(source, project)
        data, render_warnings = render(document, source, project, fmt, fetcher)
        result.warnings += render_warnings
        result.files_read = fetcher.files_read
        result.output = write_atomic(data, output_dir / output_name(source, fmt.suffix))
    except LeafpressErrors as exc:
        result.errors = exc.errors
    except LeafpressError as exc:
        result.errors = [exc]
    except NotApplicable as exc:
        result.warnings.append(f"no {fmt.name} file: {exc}")
    except Exception as exc:  # a bug in leafpress must not stop the other leaflets, nor print a traceback
        result.errors = [LeafpressError(Location(source), f"internal error: {type(exc).__name__}: {exc}",
                                        "this is a bug in leafpress: please report it with this leaflet file")]
    return result


def render(document: Document, source: Path, project: Project, fmt: Format,
           fetcher: ProjectFetcher | None = None) -> tuple[bytes, list[str]]:
    """The finished file's bytes for ``fmt``, and any warnings; ``fetcher`` records what was read."""
    html, unlinked = unlink_missing_entries(render_html(document, project))
    if fmt.compose is not None:
        html = fmt.compose(document, html, project)
    fetcher = fetcher or fetcher_for(source, project)
    sheets = stylesheets_for(fmt, project)
    if fmt.kind == "text":
        return html_to_text(html).encode("utf-8"), unlinked
    if fmt.kind == "html":
        load_stylesheets(sheets, fetcher)  # the same checks as for a PDF before the CSS is copied into the page
        return standalone_html(html, sheets, fetcher, source).encode("utf-8"), unlinked
    if document.direction == "rtl":
        html = isolate_ltr_runs_in_html(html)  # browsers isolate by themselves; WeasyPrint needs help
    splits: list[list[str]] = []
    parsed = reusable_stylesheets(sheets, fetcher)
    fetcher.files_read.update(parsed.files_read)
    pdf, warnings = render_pdf(html, base_url=source.resolve().parent, stylesheets=parsed.sheets,
                               fetcher=fetcher, source=source, metadata=provenance(document),
                               on_layout=lambda laid_out: splits.extend(page_break_splits(laid_out)))
    pdf = fix_tagging(pdf, splits)
    check_glyphs(pdf, source)
    if fmt.accessible:
        # Read the finished PDF back: anything short of tagged PDF/UA is worth a warning.
        warnings = warnings + [problem.message for problem in check_pdf(pdf, where=source)]
    if fmt.finish is not None:
        pdf = fmt.finish(pdf)
    return pdf, unlinked + warnings
