"""The project config (``leafpress.yaml`` at the project root): organisation and defaults."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, StringConstraints, model_validator

from leafpress.core.errors import Location
from leafpress.core.model import EmailAddress, LanguageTag, ReadabilityOverride, Strict, Text
from leafpress.core.names import CONFIG_NAME as CONFIG_NAME  # re-exported: defined without pydantic
from leafpress.core.names import DEFAULT_FORMAT as DEFAULT_FORMAT

# The largest leaflet (or config) file read, unless the project's limits say otherwise: bytes
# and lines. Together they bound the pages a leaflet lays out to (about 25 of A4), which is what
# a build's time and memory grow with (docs/security.md).
MAX_FILE_BYTES = 50_000
MAX_FILE_LINES = 600


class QualityMark(Strict):
    """A quality-mark logo (the PIF TICK, say) and the statement that goes with it."""

    image: Text | None = Field(default=None, description="Path from the project folder.")
    alt: Text | None = None
    statement: Text | None = None

    @model_validator(mode="after")
    def _image_has_alt(self) -> QualityMark:
        if self.image and not self.alt:
            raise ValueError("a quality mark image needs 'alt': the mark's name, read aloud by screen readers")
        return self


class QualityMarkText(Strict):
    """A quality mark's words in another language (the image is the same)."""

    alt: Text | None = None
    statement: Text | None = None


class OrganisationText(Strict):
    """The organisation's details in one more language; a detail left out stays as first written."""

    name: Text | None = None
    address: Text | None = None
    phone: Text | None = None
    email: EmailAddress | None = None
    website: Text | None = None
    feedback: Text | None = None
    quality_mark: QualityMarkText | None = None


class Organisation(Strict):
    # The language the details below are written in (the project's language when not given).
    language: LanguageTag | None = None
    # The same details in other languages, by language tag: ``translations: {cy: {name: …}}``.
    translations: dict[LanguageTag, OrganisationText] = {}
    name: Text = "Your organisation"
    logo: Text | None = None
    address: Text | None = None
    phone: Text | None = None
    email: EmailAddress | None = None
    website: Text | None = None
    charity_number: Text | None = None
    feedback: Text | None = Field(default=None, description="How readers can tell you what they think.")
    quality_mark: QualityMark | None = None


class ReviewPolicy(Strict):
    interval_years: Annotated[int, Field(ge=1, le=10)] = 3
    warning_days: Annotated[int, Field(ge=0, le=730)] = 90
    # A next_review further off than this is an error (defaults to interval_years).
    max_interval_years: Annotated[int, Field(ge=1, le=10)] | None = None
    # What building an overdue leaflet does: warn, mark every page, or write no PDF.
    overdue_policy: Literal["warn", "watermark", "refuse"] = "warn"

    @property
    def max_years(self) -> int:
        return self.max_interval_years or self.interval_years


class ReadabilityTargets(Strict):
    """Readability targets (see docs/readability.md); a leaflet's own ``readability:`` overrides them."""

    # Grade 6 is a reading age of 11, the top of the 9–11 UK health-information bodies advise.
    flesch_kincaid_grade: float | None = 6.0
    smog_index: float | None = 9.0
    flesch_reading_ease: float | None = 60.0
    gunning_fog: float | None = None
    coleman_liau_index: float | None = None
    # The average sentence length must stay within this; longer sentences are listed to fix.
    max_sentence_words: Annotated[int, Field(ge=5, le=100)] = 20

    def overridden(self, override: ReadabilityOverride | None) -> ReadabilityTargets:
        """These targets with a leaflet's own values in place of the project's."""
        if override is None:
            return self
        return self.model_copy(update=override.model_dump(exclude_unset=True))


# A format's name; which names exist is the formats package's to say (checked where a build chooses them).
FormatName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,39}$")]


class ReferenceStyle(Strict):
    style: Literal["vancouver", "harvard"] = "vancouver"


class Limits(Strict):
    """Sizes past which input is refused, so no file can make a build hang or balloon (docs/security.md)."""

    max_file_bytes: Annotated[int, Field(ge=1_000, le=100_000)] = MAX_FILE_BYTES
    max_file_lines: Annotated[int, Field(ge=100, le=1_500)] = MAX_FILE_LINES
    max_image_bytes: Annotated[int, Field(ge=1_000, le=50_000_000)] = 5_000_000
    max_image_pixels: Annotated[int, Field(ge=10_000, le=100_000_000)] = 25_000_000


# A host name as written in a URL: letters, digits, dots and hyphens (no scheme, no path).
HostName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$", to_lower=True)]


class TranslationPolicy(Strict):
    # What building a translation whose source changed since it was translated does (docs/translation.md).
    stale_policy: Literal["warn", "watermark", "refuse"] = "watermark"


class BrailleLayout(Strict):
    """The braille page (docs/formats.md): 40 cells by 25 lines suits most embossers and A4 braille paper."""

    cells_per_line: Annotated[int, Field(ge=20, le=100)] = 40
    lines_per_page: Annotated[int, Field(ge=10, le=60)] = 25


class LayoutOptions(Strict):
    """How pages are composed (docs/config.md)."""

    # Room left on a leaflet's last page becomes a designed "Notes" area, not blank paper.
    notes: bool = True


class ProjectConfig(Strict):
    organisation: Organisation = Organisation()
    language: LanguageTag = "en-GB"
    review: ReviewPolicy = ReviewPolicy()
    translation: TranslationPolicy = TranslationPolicy()
    readability: ReadabilityTargets = ReadabilityTargets()
    # The formats a plain build makes; `--format` on the command line replaces them.
    formats: Annotated[list[FormatName], Field(min_length=1)] = [DEFAULT_FORMAT]
    references: ReferenceStyle = ReferenceStyle()
    limits: Limits = Limits()
    braille: BrailleLayout = BrailleLayout()
    layout: LayoutOptions = LayoutOptions()
    # Hosts images may be fetched from; empty means no network at all.
    allowed_hosts: list[HostName] = []
    # Where each of ``formats`` is written in leafpress.yaml, to place an unknown name.
    _format_locations: list[Location] = PrivateAttr(default_factory=list)

    def format_location(self, index: int) -> Location | None:
        """Where the ``index``-th name in ``formats`` was written, when read from a file."""
        return self._format_locations[index] if index < len(self._format_locations) else None
