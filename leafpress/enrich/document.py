"""The document: everything a template or a format needs to lay out one leaflet, as plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token
from markupsafe import Markup

from leafpress import __version__
from leafpress.core.config import Organisation
from leafpress.core.errors import LeafpressWarning
from leafpress.core.model import Leaflet
from leafpress.enrich.easy_read import EasyReadData
from leafpress.enrich.qr import LinkData
from leafpress.enrich.references import ReferenceEntry
from leafpress.enrich.signoff import SignOff

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
    "translation_stale_mark": "Translation out of date – the original has changed",
    "approved_by": "Approved by",
    "approved_on": "Approved on",
    "status": "Status",
    "draft": "Draft",
    "changes": "Changes to this leaflet",
    "change_version": "Version",
    "change_date": "Date",
    "change_summary": "What changed",
    "easy_read": "Easy Read",
    "hard_words": "Hard words",
    "means": "means",
    "notes": "Notes",
    "notes_prompt": "Questions to ask your team, and their answers:",
    # After a box's heading repeated at the top of the next page it runs on to.
    "continued": "(continued)",
    "openmoji_credit": "Pictures: OpenMoji, the open-source emoji and icon project (openmoji.org), CC BY-SA 4.0.",
}


@dataclass
class FigureData:
    url: str
    alt: str
    caption: Markup | None
    # The image's own width in CSS pixels, when it has one: it is never drawn larger than that
    # times the format's image scale.
    natural_width: float | None = None


@dataclass
class SectionData:
    id: str
    heading: str
    html: Markup
    callout: str | None
    figure: FigureData | None
    line: int
    link: LinkData | None = None
    # A box this short stays whole on one page; a longer one may split (a whole long box that jumps
    # to the next page leaves the page before half empty).
    keep_whole: bool = True
    # The body's Markdown tree (markdown-it tokens), for formats that do not read HTML.
    tree: list[Token] = field(default_factory=list)


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
    # The organisation's logo, resolved inside the project (templates use ``logo_url``).
    logo: Path | None = None
    # Marks printed on every page, such as "DRAFT – not for use with patients".
    marks: list[str] = field(default_factory=list)
    signoff: SignOff | None = None
    numbered_references: bool = True
    quality_mark: Path | None = None  # the quality mark's image file
    # The Easy Read version, when the leaflet has one (--format easy-read).
    easy_read: EasyReadData | None = None
    link: LinkData | None = None  # the leaflet's own link, printed with a QR code
    warnings: list[LeafpressWarning] = field(default_factory=list)
    direction: str = "ltr"
    script: str = "Latn"
    # References keep their own direction: English sources in an Arabic leaflet read left to right.
    references_direction: str = "ltr"
    labels: dict[str, str] = field(default_factory=lambda: dict(LABELS))
    # For each organisation detail, ' lang="…" dir="…"' where it is not in the leaflet's language
    # (see enrich.organisation), else empty.
    organisation_lang: dict[str, Markup] = field(default_factory=dict)
    # For each label, ' lang="en-GB" dir="ltr"' where it is left in English, else empty.
    label_lang: dict[str, Markup] = field(default_factory=lambda: {key: Markup("") for key in LABELS})
    generator: str = f"leafpress {__version__}"
    # Each key point's Markdown tree (inline tokens), for formats that do not read HTML.
    summary_trees: list[list[Token]] = field(default_factory=list)

    @property
    def marks_with_lang(self) -> list[tuple[str, Markup]]:
        """Each page mark with its ``lang`` attribute (a mark left in English is tagged as English)."""
        by_text = {self.labels[key]: attribute for key, attribute in self.label_lang.items() if key in self.labels}
        return [(mark, by_text.get(mark, Markup(""))) for mark in self.marks]

    @property
    def logo_url(self) -> str | None:
        """The logo as a file URL, for the HTML the PDF is drawn from."""
        return self.logo.as_uri() if self.logo else None

    @property
    def quality_mark_url(self) -> str | None:
        """The quality mark's image as a file URL, for the HTML."""
        return self.quality_mark.as_uri() if self.quality_mark else None

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
