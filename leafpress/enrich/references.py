"""References formatted by citeproc-py from CSL styles: Vancouver (numbered) or Harvard (author–date).

citeproc-py is the maintained Python CSL processor. Vancouver uses leafpress's own CSL file
(``theme/csl/vancouver-leafpress.csl``: numbered, dates in words); Harvard uses the "Cite Them
Right" style that ships inside citeproc-py (CC BY-SA, read from the installed package, not
copied). Dates and words such as "Accessed" come from citeproc-py's CSL locale for the
leaflet's language. Links (URL, DOI, PMID) are added to the formatted HTML afterwards, as CSL
has no notion of them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import citeproc
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from markupsafe import Markup

from leafpress.core.model import Reference
from leafpress.enrich.addresses import keep_addresses
from leafpress.enrich.organisation import language_attribute, same_language

CSL_DIR = Path(__file__).resolve().parents[1] / "theme" / "csl"
CITEPROC_DATA = Path(citeproc.__file__).resolve().parent / "data"
STYLE_FILES = {
    "vancouver": CSL_DIR / "vancouver-leafpress.csl",
    "harvard": CITEPROC_DATA / "styles" / "harvard-cite-them-right.csl",
}
NUMBERED_STYLES = {"vancouver"}
CSL_TYPES = {"book": "book", "article": "article-journal", "guideline": "report", "web": "webpage", "report": "report"}

# "DeVita VT" (Vancouver's own way of writing a name) or "Smith, John".
# Greedy to the last word, so a long run of spaces is scanned once (a lazy family was quadratic).
_SURNAME_INITIALS = re.compile(r"^(?P<family>.*\S)\s+(?P<initials>[A-Z]{1,4})$")
# A URL ends before closing punctuation that belongs to the sentence.
_URL = re.compile(r"https?://[^\s<>\"]+?(?=[.,;:)\]]?(?:\s|$|<))")
_DOI = re.compile(r"(doi:)(10\.\d{4,9}/[^\s<>\"]+?)(?=[.,;]?(?:\s|$|<))")
_PMID = re.compile(r"(PMID: )(\d{1,9})")

# citeproc-py passes most variables into its HTML untouched (only terms and page numbers are
# escaped), so a title like "<script>" would be live markup. Every field is handed to it with the
# HTML-special characters swapped for private-use stand-ins, which no CSL text-case or
# punctuation rule touches, and the stand-ins become entities in what comes out.
_STAND_INS = {"&": "\ue000", "<": "\ue001", ">": "\ue002", '"': "\ue003", "'": "\ue004"}
# The parts of an entry written in the source's own language (an English title in a Welsh
# leaflet) are handed over between these two marks, which become a <span lang> afterwards; the
# style's own words ("Accessed", "Available from") stay in the leaflet's language.
_OPEN_OTHER_LANGUAGE, _CLOSE_OTHER_LANGUAGE = "\ue005", "\ue006"
_OWN_LANGUAGE_FIELDS = ("title", "container-title", "publisher", "publisher-place")
_HIDE = str.maketrans(
    {
        **{mark: "\ufffd" for mark in [*_STAND_INS.values(), _OPEN_OTHER_LANGUAGE, _CLOSE_OTHER_LANGUAGE]},
        **_STAND_INS,
    }
)
_SHOW = str.maketrans({mark: html.escape(char) for char, mark in _STAND_INS.items()})


@dataclass
class ReferenceEntry:
    """One formatted entry of the references list, and what in-text citations of it print."""

    anchor: str
    html: Markup
    label: str  # HTML, escaped: "3" in Vancouver, "(DeVita, Lawrence and Rosenberg, 2023)" in Harvard


def csl_name(name: str) -> dict[str, str]:
    """A CSL name from an author as written: "DeVita VT", "Smith, John", or an organisation."""
    match = _SURNAME_INITIALS.match(name)
    if match:
        return {"family": match["family"], "given": " ".join(match["initials"])}
    if name.count(",") == 1:
        family, given = (part.strip() for part in name.split(","))
        return {"family": family, "given": given}
    return {"literal": name}


def hide_markup(value: Any) -> Any:
    """``value`` (a CSL-JSON item or part of one) with every string's HTML-special characters hidden."""
    if isinstance(value, str):
        return value.translate(_HIDE)
    if isinstance(value, dict):
        return {key: hide_markup(part) for key, part in value.items()}
    if isinstance(value, list):
        return [hide_markup(part) for part in value]
    return value


def show_markup(formatted: str) -> str:
    """citeproc-py's output with the hidden characters back, as entities: never live markup."""
    return formatted.translate(_SHOW)


def csl_item(ref: Reference, item_id: str) -> dict[str, Any]:
    """``ref`` as a CSL-JSON item (its text as written: see hide_markup)."""
    kind = ref.kind
    item: dict[str, Any] = {"id": item_id, "type": CSL_TYPES[kind], "title": ref.title}
    if ref.authors:
        item["author"] = [csl_name(name) for name in ref.authors]
    elif ref.organisation:
        item["author"] = [{"literal": ref.organisation}]
    publisher = ref.publisher or (ref.organisation if ref.authors else None)
    optional = {
        "publisher": publisher,
        "publisher-place": ref.place,
        "container-title": ref.journal,
        "volume": ref.volume,
        "issue": ref.issue,
        "page": ref.pages,
        "edition": ref.edition,
        "URL": ref.url,
        "DOI": ref.doi,
        "PMID": ref.pmid,
    }
    item.update({key: value for key, value in optional.items() if value})
    if kind == "guideline":
        item["genre"] = "Guideline"
    if ref.year:
        item["issued"] = {"date-parts": [[ref.year]]}
    if ref.accessed:
        item["accessed"] = {"date-parts": [[ref.accessed.year, ref.accessed.month, ref.accessed.day]]}
    return item


def csl_locale(language: str) -> str:
    """The citeproc-py locale nearest to a BCP 47 tag: en-GB as is, "pl" as pl-PL, else en-GB."""
    available = sorted(path.stem.removeprefix("locales-") for path in (CITEPROC_DATA / "locales").glob("*.xml"))
    if language in available:
        return language
    primary = language.split("-")[0].lower()
    same_language = [tag for tag in available if tag.split("-")[0].lower() == primary]
    preferred = [tag for tag in same_language if tag.lower() == f"{primary}-{primary}"]
    return (preferred or same_language or ["en-GB"])[0]


@lru_cache(maxsize=16)
def _style(style: str, locale: str) -> CitationStylesStyle:
    return CitationStylesStyle(str(STYLE_FILES[style]), locale=locale, validate=False)


def format_references(
    refs: list[Reference], style: str, language: str, written_in: str | None = None
) -> list[ReferenceEntry]:
    """The references list, in citation order for numbered styles, in the style's own order otherwise.

    ``refs`` must already be in the order of first citation (uncited ones last). A reference is
    written in its ``language``, else in ``written_in`` (the project's language), else in the
    leaflet's; its title, journal, publisher and place are tagged with that language where it is
    not the leaflet's, so a screen reader reads them with the right voice.
    """
    ids = [f"ref-{index}" for index in range(1, len(refs) + 1)]
    languages = {item_id: ref.language or written_in or language for ref, item_id in zip(refs, ids, strict=True)}
    # An organisation as author is tagged after formatting: a mark inside a name would change the sort order.
    authors = {
        item_id: ref.organisation if ref.organisation and not ref.authors else None
        for ref, item_id in zip(refs, ids, strict=True)
    }
    items = []
    for ref, item_id in zip(refs, ids, strict=True):
        item = hide_markup(csl_item(ref, item_id))
        if not same_language(languages[item_id], language):
            for field in _OWN_LANGUAGE_FIELDS:
                if field in item:
                    item[field] = f"{_OPEN_OTHER_LANGUAGE}{item[field]}{_CLOSE_OTHER_LANGUAGE}"
        items.append(item)
    source = CiteProcJSON(items)
    bibliography = CitationStylesBibliography(_style(style, csl_locale(language)), source, formatter.html)
    citations = {item_id: Citation([CitationItem(item_id)]) for item_id in ids}
    for citation in citations.values():
        bibliography.register(citation)
    labels = {
        item_id: _tag_language(show_markup(str(bibliography.cite(cite, _ignore))), languages[item_id], language)
        for item_id, cite in citations.items()
    }
    if style not in NUMBERED_STYLES:
        bibliography.sort()
    ordered = list(bibliography.keys)
    return [
        ReferenceEntry(
            anchor=item_id,
            html=link_addresses(_tag_language(show_markup(str(text)), languages[item_id], language, authors[item_id])),
            label=labels[item_id],
        )
        for item_id, text in zip(ordered, bibliography.bibliography(), strict=True)
    ]


def _tag_language(formatted: str, written_in: str, language: str, organisation: str | None = None) -> str:
    """The marked parts of a formatted entry (and its organisation as author) as ``<span lang dir>``."""
    opening = f"<span{language_attribute(written_in)}>"
    if organisation and not same_language(written_in, language):
        name = html.escape(organisation)
        formatted = formatted.replace(name, f"{opening}{name}</span>", 1)
    return formatted.replace(_OPEN_OTHER_LANGUAGE, opening).replace(_CLOSE_OTHER_LANGUAGE, "</span>")


def _ignore(_: object) -> None:
    """citeproc-py reports a citation of an unknown item here; leafpress checks keys itself."""


def link_addresses(entry: str) -> Markup:
    """Make the URL, DOI and PMID in one formatted (already escaped) entry into links."""
    # The address as printed breaks only after its / . @, never at a hyphen (enrich.addresses).
    entry = _URL.sub(lambda m: f'<a href="{m[0]}">{keep_addresses(html.unescape(m[0]))}</a>', entry)
    entry = _DOI.sub(lambda m: f'{m[1]}<a href="https://doi.org/{m[2]}">{m[2]}</a>', entry)
    entry = _PMID.sub(lambda m: f'{m[1]}<a href="https://pubmed.ncbi.nlm.nih.gov/{m[2]}/">{m[2]}</a>', entry)
    return Markup(entry)
