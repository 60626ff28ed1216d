"""The typed leaflet: what a leaflet file may hold, checked by pydantic.

Field names are the YAML keys users write, so keep them stable.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

# Limits that keep every build quick (docs/security.md): a leaflet is a few pages, not a book.
MAX_SECTIONS = 100
MAX_BODY_CHARS = 20_000
# A key point is one short sentence; Markdown's link parsing is quadratic in runs of "[".
MAX_KEY_POINT_CHARS = 1_000
# A title or heading is a few words: a longer one would fill the first page (or more) in large type.
MAX_HEADING_CHARS = 200

# No single text is longer than a section's body.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_BODY_CHARS)]
KeyPoint = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_KEY_POINT_CHARS)]
BodyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_BODY_CHARS)]
HeadingText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_HEADING_CHARS)]


def _number_as_text(value: object) -> object:
    # ``version: 1.10`` reads as a number in YAML; authors mean the text "1.10", as written
    # (the loader keeps it on the number as ``written``).
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(getattr(value, "written", value))
    return value


VersionText = Annotated[Text, BeforeValidator(_number_as_text)]
LeafletCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
# One address, as a reader would type it: a typo such as "nurses.example.org" is caught, not printed.
EmailAddress = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
]
LANGUAGE_TAG_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"  # BCP 47: en-GB, cy, zh-Hans
LanguageTag = Annotated[str, StringConstraints(pattern=LANGUAGE_TAG_PATTERN)]


class Strict(BaseModel):
    """Unknown keys are errors, so a misspelt key is never silently ignored."""

    # defer_build: a model is made ready when first used, so a command that validates only the
    # project file (a build with nothing to do) does not prepare the leaflet models too.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Image(Strict):
    src: Text
    alt: Text = Field(description="What the image shows, read aloud by screen readers.")
    caption: Text | None = None


class Link(Strict):
    """A web address for the phone (the online version, a video): printed with a QR code."""

    url: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://[^\s/]+\.[^\s]+$")]
    label: Text = Field(description="What the link leads to, e.g. 'Watch our short video'.")


class Section(Strict):
    heading: HeadingText
    body: BodyText | None = None
    # "urgent" draws a bordered "get help now" box; "info" a tinted note.
    callout: Literal["urgent", "info"] | None = None
    image: Image | None = None
    link: Link | None = None

    @model_validator(mode="after")
    def _has_content(self) -> Section:
        if self.body is None and self.image is None:
            raise ValueError(
                "a section needs a 'body' (or an 'image') under its heading — "
                "add 'body: |' and the text, indented, on the lines below"
            )
        return self


class Term(Strict):
    """A medical word explained in plain words, with how to say it."""

    term: Text
    meaning: Text
    pronunciation: Text | None = None


class Contact(Strict):
    heading: HeadingText | None = None
    text: Text | None = None
    name: Text | None = None
    phone: Text | None = None
    email: EmailAddress | None = None
    website: Text | None = None
    address: Text | None = None
    hours: Text | None = None


ReferenceType = Literal["book", "article", "guideline", "web", "report"]
# What each type of reference must give, besides a title and who wrote it.
REFERENCE_NEEDS: dict[str, tuple[str, ...]] = {
    "book": ("publisher", "year"),
    "article": ("journal", "year"),
    "guideline": ("year",),
    "web": ("url", "accessed"),
    "report": ("year",),
}
REFERENCE_TYPE_NAMES = {
    "book": "book",
    "article": "journal article",
    "guideline": "guideline",
    "web": "web page",
    "report": "report",
}


class Reference(Strict):
    # How the body cites it: [@key]. Letters, digits and - _ . : only.
    key: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")] | None = None
    type: ReferenceType | None = None
    authors: list[Text] = []
    organisation: Text | None = None
    title: Text
    edition: Annotated[Text, BeforeValidator(_number_as_text)] | None = None
    publisher: Text | None = None
    place: Text | None = None
    journal: Text | None = None
    volume: Annotated[Text, BeforeValidator(_number_as_text)] | None = None
    issue: Annotated[Text, BeforeValidator(_number_as_text)] | None = None
    pages: Annotated[Text, BeforeValidator(_number_as_text)] | None = None
    year: int | None = Field(default=None, ge=1800, le=2200)
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"]+$")] | None = None
    accessed: dt.date | None = None
    doi: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^10\.\d{4,9}/[^\s<>\"]+$")] | None = None
    pmid: Annotated[str, BeforeValidator(_number_as_text), StringConstraints(pattern=r"^\d{1,9}$")] | None = None
    # The language the source is written in (an English guideline cited in a Welsh leaflet), when
    # it is not the project's: its title is tagged with it for screen readers.
    language: LanguageTag | None = None

    @property
    def kind(self) -> ReferenceType:
        """The declared type, or the one the fields make plain."""
        if self.type:
            return self.type
        if self.journal:
            return "article"
        if self.url:
            return "web"
        return "book" if self.publisher else "report"

    @model_validator(mode="after")
    def _has_what_its_type_needs(self) -> Reference:
        missing = [name for name in REFERENCE_NEEDS[self.kind] if not getattr(self, name)]
        if not (self.authors or self.organisation):
            missing.insert(0, "authors (or organisation)")
        if missing:
            raise ValueError(
                f"a {REFERENCE_TYPE_NAMES[self.kind]} reference needs " + " and ".join(f"'{name}'" for name in missing)
            )
        return self


class Reviewer(Strict):
    name: Text
    role: Text | None = None


class Approval(Strict):
    """Who signed the leaflet off for use with patients, and when."""

    name: Text
    role: Text | None = None
    date: dt.date


class Change(Strict):
    """One entry of the leaflet's change history."""

    version: VersionText
    date: dt.date
    summary: Text


# The longest review interval a project may set (core.config): a last review later than this
# would put the next review past the last date there is (31 December 9999).
LATEST_REVIEW_YEAR = dt.MAXYEAR - 10


class Review(Strict):
    last_reviewed: dt.date
    next_review: dt.date | None = None

    @field_validator("last_reviewed")
    @classmethod
    def _a_real_date(cls, last_reviewed: dt.date) -> dt.date:
        if last_reviewed.year > LATEST_REVIEW_YEAR:
            raise ValueError(
                f"last_reviewed ({last_reviewed}) is too far in the future to be the date of a review — "
                "write the day the leaflet was last reviewed, for example 2025-03-12"
            )
        return last_reviewed

    @field_validator("next_review")
    @classmethod
    def _in_order(cls, next_review: dt.date | None, info: ValidationInfo) -> dt.date | None:
        last = info.data.get("last_reviewed")
        if next_review is not None and last is not None and next_review <= last:
            # The text after " — " is the hint (see validate.py).
            raise ValueError(
                f"next_review ({next_review}) must come after last_reviewed ({last}) — "
                "give a later date, or leave next_review out to use the project's interval"
            )
        return next_review


class UserTest(Strict):
    """One round of testing the leaflet with the people it is for (a PIF TICK criterion)."""

    date: dt.date
    participants: Text = Field(description="Who took part, e.g. '6 patients at the liver clinic'.")
    changes: Text = Field(description="What was changed because of what they said.")


# A translation unit's id ("sections.2.body.1") and the hash of the source text it was translated from.
UnitId = Annotated[str, StringConstraints(pattern=r"^[a-z_]+(\.[a-z_0-9]+){0,5}$")]
UnitHash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]


class ReadabilityOverride(Strict):
    """A leaflet's own readability targets, in place of the project's (``~`` turns one off)."""

    flesch_kincaid_grade: float | None = None
    smog_index: float | None = None
    flesch_reading_ease: float | None = None
    gunning_fog: float | None = None
    coleman_liau_index: float | None = None
    max_sentence_words: Annotated[int, Field(ge=5, le=100)] = 20


class EasyReadRow(Strict):
    """One row of an Easy Read version: a heading, or a picture on the left and a short text beside it."""

    heading: HeadingText | None = None
    # A project image ("images/nurse.png") or an OpenMoji picture by name or code ("openmoji:telephone").
    picture: Text | None = None
    alt: Text | None = None
    text: Annotated[Text, StringConstraints(max_length=1_000)] | None = None

    @model_validator(mode="after")
    def _heading_or_text(self) -> EasyReadRow:
        if self.heading is None and self.text is None:
            raise ValueError("an Easy Read row needs 'text' (or is a 'heading')")
        if self.heading is not None and (self.text or self.picture):
            raise ValueError("a heading row has only 'heading': put the text in the rows below it")
        if self.picture and not self.alt:
            raise ValueError("a picture needs 'alt': what it shows, read aloud by screen readers")
        return self


class EasyReadWord(Strict):
    """A hard word, shown in bold where it is used and explained in 'Hard words'."""

    word: Text
    meaning: Text
    picture: Text | None = None
    alt: Text | None = None


class EasyRead(Strict):
    """The leaflet's Easy Read version: same code, version and review dates, its own words and pictures."""

    title: HeadingText | None = None
    rows: list[EasyReadRow] = Field(min_length=1, max_length=300)
    words: list[EasyReadWord] = Field(default=[], max_length=60)


class Leaflet(Strict):
    title: HeadingText
    subtitle: HeadingText | None = None
    code: LeafletCode | None = None
    version: VersionText = "1.0"
    language: LanguageTag | None = None
    summary: list[KeyPoint] = Field(default=[], max_length=7)
    sections: list[Section] = Field(min_length=1, max_length=MAX_SECTIONS)
    terms: list[Term] = []
    contact: Contact | None = None
    link: Link | None = None
    references: list[Reference] = []
    authors: list[Text] = []
    reviewers: list[Reviewer] = []
    # A leaflet is a draft until it is approved; with no status, approved_by decides.
    status: Literal["draft", "approved"] | None = None
    approved_by: Approval | None = None
    changes: list[Change] = []
    # Files translating this leaflet, when not named <this name>.<language>.yaml (see docs/languages.md).
    translations: list[Text] = []
    review: Review
    user_testing: list[UserTest] = []
    # In a translation imported from XLIFF: the source text each unit was translated from (as a
    # hash), so a change to the source shows which units are out of date (docs/translation.md).
    translated_units: dict[UnitId, UnitHash] = {}
    # For people with a learning disability: built by --format easy-read (docs/easy-read.md).
    easy_read: EasyRead | None = None

    @property
    def is_draft(self) -> bool:
        return self.status == "draft" or self.approved_by is None

    readability: ReadabilityOverride | None = None
