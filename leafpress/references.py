"""References in Vancouver style, the numbered style most UK medical publishers use."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from leafpress.model import Reference

# Vancouver lists six authors, then "et al."
MAX_AUTHORS = 6


def reference_type(ref: Reference) -> str:
    """The declared type, or the one the fields make plain."""
    if ref.type:
        return ref.type
    if ref.journal:
        return "article"
    if ref.publisher and not ref.url:
        return "book"
    if ref.url:
        return "web"
    return "report"


def _authors(ref: Reference) -> str:
    if ref.authors:
        names = ref.authors[:MAX_AUTHORS]
        text = ", ".join(names) + (", et al" if len(ref.authors) > MAX_AUTHORS else "")
        return text
    return ref.organisation or ""


def _sentence(text: str | None) -> str:
    if not text:
        return ""
    return text if text.endswith((".", "?", "!")) else text + "."


def _link(url: str, text: str | None = None) -> Markup:
    return Markup('<a href="{0}">{1}</a>').format(url, text or url)


def format_vancouver(ref: Reference, format_date: Callable[[object], str]) -> Markup:
    """One reference as HTML in Vancouver style; ``format_date`` writes the accessed date."""
    kind = reference_type(ref)
    parts: list[Markup | str] = []
    who = _authors(ref)
    if who:
        parts.append(_sentence(who))
    title = ref.title
    if kind in ("web", "guideline") and ref.url:
        title += " [Internet]"
    parts.append(_sentence(title))
    if kind == "article":
        detail = _sentence(ref.journal)
        volume = f";{ref.volume}" if ref.volume else ""
        issue = f"({ref.issue})" if ref.issue else ""
        pages = f":{ref.pages}" if ref.pages else ""
        parts.append(f"{detail} {ref.year or ''}{volume}{issue}{pages}.".replace(" .", "."))
    else:
        if ref.edition:
            edition = ref.edition if not ref.edition.isdigit() else _ordinal(int(ref.edition))
            parts.append(f"{edition} ed.")
        publisher = ref.publisher or (ref.organisation if ref.authors else None)
        where = f"{ref.place}: " if ref.place else ""
        if publisher:
            parts.append(f"{where}{publisher}; {ref.year}." if ref.year else f"{where}{publisher}.")
        elif ref.year:
            parts.append(f"{ref.year}.")
    if ref.accessed:
        parts.append(f"[Accessed {format_date(ref.accessed)}].")
    if ref.url:
        parts.append(Markup("Available from: {0}").format(_link(ref.url)))
    if ref.doi:
        parts.append(Markup("doi:{0}").format(_link(f"https://doi.org/{ref.doi}", ref.doi)))
    if ref.pmid:
        parts.append(Markup("PMID: {0}").format(_link(f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/", ref.pmid)))
    return Markup(" ").join(escape(p) for p in parts if p)


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
