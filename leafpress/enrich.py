"""Stage 3, enrich: add what the author never writes by hand.

Review due dates, numbered references, the "About this information" details and the
organisation's contact block are all derived here from the leaflet and the project, so
the templates only lay out data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from babel.dates import format_date
from markupsafe import Markup

from leafpress import __version__
from leafpress.bidi import first_strong_direction
from leafpress.citations import CiteRenderer, check_citations, citation_renderer
from leafpress.config import Organisation, ProjectConfig
from leafpress.errors import LeafpressError, Location
from leafpress.images import ImagePolicy, ImageProblem, check_alt, image_url, leaflet_roots
from leafpress.language import describe, load_labels
from leafpress.load import Loaded, source_digest
from leafpress.markup import render_markdown
from leafpress.model import Leaflet, Section
from leafpress.qr import LinkData, link_data
from leafpress.references import NUMBERED_STYLES, ReferenceEntry, format_references
from leafpress.signoff import SignOff, check_signoff, signoff

# Labels of the appended end matter; kept in one place so they can be translated.
LABELS = {
    "key_points": "Key points",
    "words_to_know": "Words to know",
    "say_it": "say",
    "references": "References",
    "about": "About this information",
    "last_reviewed": "Last reviewed",
    "next_review": "Next review due",
    "version": "Version",
    "code": "Leaflet code",
    "written_by": "Written by",
    "reviewed_by": "Reviewed by",
    "feedback": "Tell us what you think",
    # The footer's page number; {page} and {pages} are filled in on every page.
    "page_of": "Page {page} of {pages}",
    "contact": "Who to contact",
    "contact_name": "Contact",
    "hours": "Opening hours",
    "address": "Address",
    "phone": "Phone",
    "email": "Email",
    "website": "Website",
    "charity_number": "Registered charity number",
    "urgent": "Get help now",
    "scan_or_type": "Scan the code with your phone camera, or type",
    "draft_mark": "DRAFT – not for use with patients",
    "review_overdue_mark": "Review overdue – check for a newer version",
    "approved_by": "Approved by",
    "approved_on": "Approved on",
    "status": "Status",
    "draft": "Draft",
    "changes": "Changes to this leaflet",
    "change_version": "Version",
    "change_date": "Date",
    "change_summary": "What changed",
}


@dataclass
class FigureData:
    url: str
    alt: str
    caption: Markup | None


@dataclass
class SectionData:
    id: str
    heading: str
    html: Markup
    callout: str | None
    figure: FigureData | None
    line: int
    link: LinkData | None = None


@dataclass
class Document:
    """Everything a template needs to lay out one leaflet."""

    leaflet: Leaflet
    source_path: Path
    organisation: Organisation
    language: str
    locale: str
    title: str
    summary: list[Markup]
    sections: list[SectionData]
    references: list[ReferenceEntry]
    last_reviewed: dt.date
    review_due_date: dt.date
    dates: dict[str, str]
    source_sha256: str
    logo_url: str | None = None
    # Marks printed on every page, such as "DRAFT – not for use with patients".
    marks: list[str] = field(default_factory=list)
    signoff: SignOff | None = None
    numbered_references: bool = True
    quality_mark_url: str | None = None
    link: LinkData | None = None  # the leaflet's own link, printed with a QR code
    warnings: list[str] = field(default_factory=list)
    direction: str = "ltr"
    script: str = "Latn"
    # References keep their own direction: English sources in an Arabic leaflet read left to right.
    references_direction: str = "ltr"
    labels: dict[str, str] = field(default_factory=lambda: dict(LABELS))
    generator: str = f"leafpress {__version__}"

    @property
    def keywords(self) -> str:
        """PDF keywords: the leaflet code and the section headings."""
        return ", ".join([self.leaflet.code or self.source_path.stem] + [s.heading for s in self.sections])

    @property
    def footer_id(self) -> str:
        """The leaflet code and version, as printed in every page's footer."""
        parts = [self.leaflet.code or self.source_path.stem, f"{self.labels['version']} {self.leaflet.version}"]
        return " · ".join(parts)

    @property
    def page_of_parts(self) -> tuple[str, str, str]:
        """The footer's "Page N of M" label split around the two numbers, for CSS counters."""
        before, _, rest = self.labels["page_of"].partition("{page}")
        middle, _, after = rest.partition("{pages}")
        return before, middle, after


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved on by whole years; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def review_due_date(leaflet: Leaflet, config: ProjectConfig) -> dt.date:
    """The given next review date, or last review plus the project's review interval."""
    return leaflet.review.next_review or add_years(leaflet.review.last_reviewed, config.review.interval_years)


def babel_locale(language: str) -> str:
    """A Babel locale for a BCP 47 tag, falling back to English where Babel has none."""
    return describe(language).locale


def enrich(loaded: Loaded, leaflet: Leaflet, config: ProjectConfig, project_root: Path | None = None) -> Document:
    """Build the render-ready document for ``leaflet``; ``project_root`` anchors the logo's path."""
    _check_review(loaded, leaflet, config)
    check_signoff(loaded, leaflet)
    language = describe(leaflet.language or config.language)
    locale = language.locale
    labels, warnings = load_labels(language, LABELS, project_root)

    def long_date(day: object) -> str:
        return format_date(day, format="long", locale=locale)

    due = review_due_date(leaflet, config)
    cited = check_citations(loaded, leaflet)
    references = [leaflet.references[index] for index in cited.order]
    style = config.references.style
    entries = format_references(references, style, language.tag)
    cite = citation_renderer(references, entries, numbered=style in NUMBERED_STYLES)
    images = ImagePolicy(loaded.path.parent, leaflet_roots(loaded.path, project_root), config.limits.max_image_bytes,
                         config.limits.max_image_pixels, tuple(config.allowed_hosts))
    sections = [_section(loaded, leaflet_section, index, images, cite)
                for index, leaflet_section in enumerate(leaflet.sections)]
    document = Document(
        leaflet=leaflet,
        source_path=loaded.path,
        organisation=config.organisation,
        language=language.tag,
        locale=locale,
        direction=language.direction,
        script=language.script,
        labels=labels,
        warnings=warnings + cited.warnings,
        title=leaflet.title,
        summary=[render_markdown(loaded, ("summary", i), text, inline=True, cite=cite)
                 for i, text in enumerate(leaflet.summary)],
        sections=sections,
        references=entries,
        references_direction=first_strong_direction(" ".join(e.html.striptags() for e in entries))
        or language.direction,
        numbered_references=style in NUMBERED_STYLES,
        last_reviewed=leaflet.review.last_reviewed,
        review_due_date=due,
        dates={"last_reviewed": long_date(leaflet.review.last_reviewed), "next_review": long_date(due)},
        source_sha256=source_digest(loaded.source),
        logo_url=_logo_url(config, project_root),
        link=link_data(leaflet.link.url, leaflet.link.label) if leaflet.link else None,
        signoff=signoff(leaflet, long_date),
        quality_mark_url=_quality_mark_url(config, project_root),
    )
    if leaflet.is_draft:
        document.marks.append(document.labels["draft_mark"])
    return document


def _logo_url(config: ProjectConfig, project_root: Path | None) -> str | None:
    return _project_image_url(config.organisation.logo, project_root, "organisation logo")


def _quality_mark_url(config: ProjectConfig, project_root: Path | None) -> str | None:
    mark = config.organisation.quality_mark
    return _project_image_url(mark.image if mark else None, project_root, "quality mark image")


def _project_image_url(relative: str | None, project_root: Path | None, what: str) -> str | None:
    """A file URL for an image named in the project config by its path from the project folder."""
    if not relative or project_root is None:
        return None
    path = (project_root / relative).resolve()
    if not path.is_file():
        raise LeafpressError(Location(project_root / "leafpress.yaml"), f"{what} '{relative}' not found",
                             "give the image's path from the project folder")
    return path.as_uri()


def _check_review(loaded: Loaded, leaflet: Leaflet, config: ProjectConfig) -> None:
    latest = add_years(leaflet.review.last_reviewed, config.review.max_years)
    if leaflet.review.next_review and leaflet.review.next_review > latest:
        raise LeafpressError(
            loaded.location(("review", "next_review")),
            f"next_review {leaflet.review.next_review} is more than {config.review.max_years} years "
            f"after last_reviewed",
            f"review by {latest} at the latest, or leave next_review out to use the project's interval",
        )


def _section(loaded: Loaded, section: Section, index: int, images: ImagePolicy,
             cite: CiteRenderer | None = None) -> SectionData:
    key = ("sections", index)
    figure = None
    if section.image is not None:
        caption = section.image.caption
        figure = FigureData(
            url=_image_url(loaded, section.image.src, section.image.alt, (*key, "image"), images),
            alt=section.image.alt,
            caption=render_markdown(loaded, (*key, "image", "caption"), caption, inline=True) if caption else None,
        )
    return SectionData(
        id=f"section-{index + 1}",
        heading=section.heading,
        html=render_markdown(loaded, (*key, "body"), section.body, images=lambda src: image_url(src, images),
                             cite=cite)
        if section.body else Markup(""),
        callout=section.callout,
        figure=figure,
        line=loaded.location(("sections", index)).line,
        link=link_data(section.link.url, section.link.label) if section.link else None,
    )


def _image_url(loaded: Loaded, src: str, alt: str, key: tuple[str | int, ...], images: ImagePolicy) -> str:
    """A URL for a section's image, after checking the file and its alt text."""
    try:
        check_alt(alt, src)
    except ImageProblem as problem:
        raise LeafpressError(loaded.location((*key, "alt")), problem.message, problem.hint) from None
    try:
        return image_url(src, images)
    except ImageProblem as problem:
        raise LeafpressError(loaded.location((*key, "src")), problem.message, problem.hint) from None
