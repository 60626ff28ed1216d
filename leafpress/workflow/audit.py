"""The audit evidence pack: for the whole range, what a quality-mark assessor asks to see.

The PIF TICK criteria ask a health information producer to show, for each leaflet, where
its information comes from, who wrote, reviewed and approved it and when, how it was tested
with its readers, when it is next reviewed, that it is readable and accessible, how readers
give feedback, and how translations are kept in step. leafpress holds all of that already;
``leafpress audit`` gathers it into one printable HTML report and CSV files for spreadsheets.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leafpress import __version__
from leafpress.build.write import output_name, write_atomic
from leafpress.checks.runner import CheckOutcome, check_leaflet
from leafpress.core.errors import LeafpressError, LeafpressErrors
from leafpress.core.model import Leaflet
from leafpress.core.project import Project
from leafpress.enrich.review import review_due_date, review_state
from leafpress.render.html import template_environment
from leafpress.source.load import load_yaml
from leafpress.source.translations import find_source, translations_of
from leafpress.source.units import translation_staleness
from leafpress.source.validate import validate

REPORT_NAME = "audit.html"
TEMPLATE_NAME = "audit.html.j2"


@dataclass
class LeafletAudit:
    """Everything the pack says about one leaflet."""

    file: str
    leaflet: Leaflet | None
    errors: list[str] = field(default_factory=list)
    translation_of: str | None = None
    next_review: dt.date | None = None
    days_left: int | None = None
    state: str = "broken"
    outcome: CheckOutcome | None = None
    translations: list[dict[str, Any]] = field(default_factory=list)
    proof: str | None = None
    accessibility_report: str | None = None

    @property
    def readability_met(self) -> bool | None:
        if self.outcome is None or self.outcome.readability is None:
            return None
        return self.outcome.readability.verdict

    @property
    def accessibility(self) -> dict[str, Any] | None:
        for check in self.outcome.extra if self.outcome else []:
            if check.key == "accessibility":
                return {"passed": check.passed, "problems": check.lines}
        return None

    @property
    def passed_checks(self) -> bool:
        return self.outcome is not None and self.outcome.passed


@dataclass
class Audit:
    project: Project
    on: dt.date
    leaflets: list[LeafletAudit]

    @property
    def summary(self) -> dict[str, int]:
        states = [leaflet.state for leaflet in self.leaflets]
        return {
            "leaflets": len(self.leaflets),
            "overdue": states.count("overdue"),
            "due_soon": states.count("due-soon"),
            "current": states.count("current"),
            "broken": states.count("broken"),
            "drafts": sum(1 for a in self.leaflets if a.leaflet is not None and a.leaflet.is_draft),
            "failing_checks": sum(1 for a in self.leaflets if not a.passed_checks),
            "stale_translations": sum(1 for a in self.leaflets for t in a.translations if t["stale_units"]),
            "without_user_testing": sum(
                1 for a in self.leaflets if a.leaflet is not None and not a.leaflet.user_testing
            ),
        }


def gather(project: Project, sources: list[Path], output_dir: Path, report_dir: Path, on: dt.date) -> Audit:
    """Read every leaflet, run the same checks as ``check``, and collect the evidence."""
    audits = []
    for source in sources:
        audit = LeafletAudit(file=str(source), leaflet=None)
        try:
            audit.leaflet = validate(load_yaml(source), Leaflet)
        except LeafpressErrors as exc:
            audit.errors = [str(error) for error in exc.errors]
        except LeafpressError as exc:
            audit.errors = [str(exc)]
        if audit.leaflet is not None:
            audit.next_review = review_due_date(audit.leaflet, project.config)
            audit.days_left, audit.state = review_state(audit.next_review, on, project.config.review.warning_days)
            found = find_source(source)
            audit.translation_of = str(found[0]) if found else None
            audit.translations = _translations(source, audit.leaflet)
        audit.outcome = check_leaflet(source, project, output_dir)
        audit.proof = _link(output_dir / output_name(source, ".readability.html"), report_dir)
        audit.accessibility_report = _link(output_dir / output_name(source, ".accessibility.html"), report_dir)
        audits.append(audit)
    return Audit(project, on, audits)


def _translations(source: Path, leaflet: Leaflet) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if find_source(source) is not None:
        return found
    for path in translations_of(source, leaflet):
        try:
            translation = validate(load_yaml(path), Leaflet)
        except (LeafpressError, LeafpressErrors):
            found.append({"file": str(path), "language": None, "tracked": False, "stale_units": [], "broken": True})
            continue
        staleness = translation_staleness(path, translation)
        found.append(
            {
                "file": str(path),
                "language": translation.language,
                "last_reviewed": translation.review.last_reviewed,
                "tracked": bool(staleness and staleness.tracked),
                "stale_units": list(staleness.stale) if staleness else [],
                "broken": False,
            }
        )
    return found


def _link(target: Path, report_dir: Path) -> str | None:
    """A link from the report to ``target`` (relative, so the pack can be copied as a folder)."""
    if not target.is_file():
        return None
    return Path(os.path.relpath(target.resolve(), report_dir.resolve())).as_posix()


# CSV files: one row per thing an assessor may filter or count ------------------------------
def leaflets_csv(audit: Audit) -> str:
    rows = []
    for item in audit.leaflets:
        leaflet = item.leaflet
        approval = leaflet.approved_by if leaflet else None
        readability = item.outcome.readability if item.outcome else None
        accessibility = item.accessibility
        rows.append(
            {
                "file": item.file,
                "code": (leaflet.code or Path(item.file).stem) if leaflet else "",
                "title": leaflet.title if leaflet else "",
                "version": leaflet.version if leaflet else "",
                "language": (leaflet.language or audit.project.config.language) if leaflet else "",
                "translation_of": item.translation_of or "",
                "status": ("draft" if leaflet.is_draft else "approved") if leaflet else "broken",
                "authors": "; ".join(leaflet.authors) if leaflet else "",
                "reviewers": "; ".join(_person(r.name, r.role) for r in leaflet.reviewers) if leaflet else "",
                "approved_by": _person(approval.name, approval.role) if approval else "",
                "approved_on": approval.date.isoformat() if approval else "",
                "last_reviewed": leaflet.review.last_reviewed.isoformat() if leaflet else "",
                "next_review": item.next_review.isoformat() if item.next_review else "",
                "days_left": "" if item.days_left is None else item.days_left,
                "review_state": item.state,
                "references": len(leaflet.references) if leaflet else "",
                "user_tests": len(leaflet.user_testing) if leaflet else "",
                "readability_meets_targets": _yes_no(readability.verdict if readability else None),
                "accessibility_passed": _yes_no(accessibility["passed"] if accessibility else None),
                "check_passed": _yes_no(item.passed_checks),
                "feedback": audit.project.config.organisation.feedback or "",
                "errors": " | ".join(item.errors),
            }
        )
    return _csv(rows)


def sources_csv(audit: Audit) -> str:
    rows = [
        {
            "file": item.file,
            "key": reference.key or "",
            "authors": "; ".join(reference.authors) or reference.organisation or "",
            "title": reference.title,
            "year": reference.year or "",
            "publisher_or_journal": reference.journal or reference.publisher or "",
            "url": reference.url or "",
            "doi": reference.doi or "",
            "accessed": reference.accessed.isoformat() if reference.accessed else "",
        }
        for item in audit.leaflets
        if item.leaflet is not None
        for reference in item.leaflet.references
    ]
    return _csv(rows, ["file", "key", "authors", "title", "year", "publisher_or_journal", "url", "doi", "accessed"])


def changes_csv(audit: Audit) -> str:
    rows = [
        {"file": item.file, "version": change.version, "date": change.date.isoformat(), "summary": change.summary}
        for item in audit.leaflets
        if item.leaflet is not None
        for change in item.leaflet.changes
    ]
    return _csv(rows, ["file", "version", "date", "summary"])


def user_testing_csv(audit: Audit) -> str:
    rows = [
        {"file": item.file, "date": test.date.isoformat(), "participants": test.participants, "changes": test.changes}
        for item in audit.leaflets
        if item.leaflet is not None
        for test in item.leaflet.user_testing
    ]
    return _csv(rows, ["file", "date", "participants", "changes"])


def translations_csv(audit: Audit) -> str:
    rows = [
        {
            "source": item.file,
            "translation": translation["file"],
            "language": translation["language"] or "",
            "tracked": _yes_no(translation["tracked"]),
            "stale_units": " ".join(translation["stale_units"]),
        }
        for item in audit.leaflets
        for translation in item.translations
    ]
    return _csv(rows, ["source", "translation", "language", "tracked", "stale_units"])


CSV_FILES = {
    "leaflets.csv": leaflets_csv,
    "sources.csv": sources_csv,
    "changes.csv": changes_csv,
    "user-testing.csv": user_testing_csv,
    "translations.csv": translations_csv,
}


def _csv(rows: list[dict[str, Any]], fieldnames: list[str] | None = None) -> str:
    buffer = io.StringIO()
    names = fieldnames or (list(rows[0]) if rows else ["file"])
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    # A cell starting with = + - @ is a formula to a spreadsheet: quote it as text.
    writer.writerows({key: _safe_cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _person(name: str, role: str | None) -> str:
    return f"{name}, {role}" if role else name


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


def write_pack(audit: Audit, report_dir: Path) -> list[Path]:
    """Write the HTML report and the CSV files into ``report_dir``; the paths written."""
    report_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in CSV_FILES.items():
        written.append(write_atomic(make(audit).encode("utf-8"), report_dir / name))
    template = template_environment(audit.project).get_template(TEMPLATE_NAME)
    html = template.render(
        audit=audit,
        summary=audit.summary,
        org=audit.project.config.organisation,
        csv_files=list(CSV_FILES),
        generator=f"leafpress {__version__}",
    )
    written.append(write_atomic(html.encode("utf-8"), report_dir / REPORT_NAME))
    return written
