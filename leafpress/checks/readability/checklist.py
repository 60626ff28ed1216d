"""A structure checklist in the spirit of PEMAT-P and the CDC Clear Communication Index.

Only the items a program can judge are checked. Each is met, not met, or not applicable,
and the score is the share of applicable items met, as PEMAT reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leafpress.checks.readability.extract import TextSection, TextUnit
from leafpress.core.model import Leaflet

SHORT_SECTION_WORDS = 200
MAX_LIST_ITEMS = 7
YOU_SHARE = 0.25
_SUMMARY_HEADING = re.compile(r"\b(key points?|summary|in brief|at a glance|in short|main points)\b", re.I)
_YOU = re.compile(r"\byou(?:r|rs|rself|'re|'ll|'ve|'d)?\b", re.I)
_INSTRUCTION_VERBS = frozenset(
    {
        "ask",
        "avoid",
        "bring",
        "call",
        "check",
        "come",
        "contact",
        "don't",
        "do",
        "drink",
        "eat",
        "find",
        "follow",
        "get",
        "give",
        "go",
        "have",
        "keep",
        "let",
        "look",
        "make",
        "phone",
        "read",
        "remember",
        "rest",
        "see",
        "speak",
        "stop",
        "take",
        "talk",
        "tell",
        "text",
        "try",
        "use",
        "visit",
        "wait",
        "wash",
        "write",
    }
)
_PERCENT = re.compile(r"\b\d+(?:\.\d+)?\s*(?:%|per\s?cent\b)", re.I)
_DECIMAL = re.compile(r"\b\d+\.\d+\b(?!\s*(?:am|pm|a\.m|p\.m)\b)", re.I)
_ONE_IN = re.compile(r"\b(\d+)\s+(?:in|out of)\s+(\d[\d,]*)\b", re.I)
_FILE_LIKE = re.compile(r"^\S+\.(?:png|jpe?g|gif|svg|webp)$|^(?:image|picture|photo|diagram|figure)\s*\d*$", re.I)


@dataclass
class ChecklistItem:
    key: str
    label: str
    met: bool | None  # None: not applicable to this leaflet
    detail: str = ""


def checklist_percent(items: list[ChecklistItem]) -> float:
    applicable = [item for item in items if item.met is not None]
    return 100.0 * sum(bool(item.met) for item in applicable) / len(applicable) if applicable else 100.0


def structure_checklist(
    leaflet: Leaflet, sections: list[TextSection], unexplained: list[str], english: bool, words_counted: bool = True
) -> list[ChecklistItem]:
    units = [unit for section in sections for unit in section.units if unit.scored]
    body_sections = [s for s in sections if s.kind == "section"]
    items = [_summary(leaflet), _terms(unexplained)]
    if english:
        items += [_addresses_reader(units), _instructions(units)]
    items += [_short_sections(body_sections, words_counted), _short_lists(sections), _numbers(units), _images(sections)]
    return items


def _summary(leaflet: Leaflet) -> ChecklistItem:
    first = leaflet.sections[0].heading if leaflet.sections else ""
    met = bool(leaflet.summary) or bool(_SUMMARY_HEADING.search(first))
    detail = "" if met else "add 'summary:' key points, or start with a short summary section"
    return ChecklistItem("summary_first", "A summary or key points near the start", met, detail)


def _terms(unexplained: list[str]) -> ChecklistItem:
    detail = "" if not unexplained else "explain or replace: " + ", ".join(sorted(set(unexplained)))
    return ChecklistItem("terms_explained", "Medical and complex words are explained", not unexplained, detail)


def _addresses_reader(units: list[TextUnit]) -> ChecklistItem:
    share = sum(bool(_YOU.search(u.text)) for u in units) / len(units) if units else 0.0
    met = share >= YOU_SHARE
    detail = f"{share:.0%} of sentences speak to the reader as 'you'" + ("" if met else f" (aim for {YOU_SHARE:.0%})")
    return ChecklistItem("addresses_reader", "The reader is addressed as 'you'", met, detail)


def is_instruction(text: str) -> bool:
    """Starts with a verb telling the reader what to do ("Call 999", "If it hurts, ask...")."""
    clauses = (
        [text, *text.split(", ")[1:2]] if text.lower().startswith(("if ", "when ", "before ", "after ")) else [text]
    )
    return any(clause.split(" ", 1)[0].lower().strip("*,.:") in _INSTRUCTION_VERBS for clause in clauses)


def _instructions(units: list[TextUnit]) -> ChecklistItem:
    count = sum(is_instruction(u.text) for u in units)
    detail = (
        f"{count} sentence(s) tell the reader what to do"
        if count
        else "say what to do as instructions, such as 'Call your nurse if…'"
    )
    return ChecklistItem("actions_as_instructions", "Actions are stated as instructions", count > 0, detail)


def _short_sections(sections: list[TextSection], words_counted: bool = True) -> ChecklistItem:
    label = f"Sections are short (at most {SHORT_SECTION_WORDS} words)"
    if not words_counted:  # split at spaces, a section of Chinese or Thai is a few "words" long
        return ChecklistItem("short_sections", label, None, "not judged: words are not counted in this language")
    long = [
        f"'{s.heading}' ({n} words)"
        for s in sections
        if (n := sum(len(u.text.split()) for u in s.units if u.scored)) > SHORT_SECTION_WORDS
    ]
    detail = "" if not long else f"over {SHORT_SECTION_WORDS} words: " + "; ".join(long)
    return ChecklistItem("short_sections", label, not long, detail)


def _short_lists(sections: list[TextSection]) -> ChecklistItem:
    long = [
        f"line {b.items[0][0].line} ({len(b.items)} items)"
        for s in sections
        for b in s.blocks
        if b.kind == "list" and len(b.items) > MAX_LIST_ITEMS and b.items[0]
    ]
    if not any(b.kind == "list" for s in sections for b in s.blocks):
        return ChecklistItem("short_lists", f"Lists have at most {MAX_LIST_ITEMS} items", None, "no lists")
    detail = "" if not long else "split these lists: " + "; ".join(long)
    return ChecklistItem("short_lists", f"Lists have at most {MAX_LIST_ITEMS} items", not long, detail)


def number_problems(units: list[TextUnit]) -> list[str]:
    """Numbers that make the reader do sums: percentages, decimals, "1 in X" with mixed bases."""
    problems: list[str] = []
    bases: dict[str, int] = {}
    for unit in units:
        problems += [f"line {unit.line}: percentage '{m.group()}'" for m in _PERCENT.finditer(unit.text)]
        problems += [
            f"line {unit.line}: decimal '{m.group()}'"
            for m in _DECIMAL.finditer(unit.text)
            if not _PERCENT.match(unit.text, m.start())
        ]
        for match in _ONE_IN.finditer(unit.text):
            bases.setdefault(match.group(2).replace(",", ""), unit.line)
    if len(bases) > 1:
        listed = ", ".join(f"1 in {base} (line {line})" for base, line in bases.items())
        problems.append(f"mixed bases: {listed} — use one base, such as 'out of 100'")
    return problems


def _numbers(units: list[TextUnit]) -> ChecklistItem:
    problems = number_problems(units)
    return ChecklistItem(
        "numbers_without_sums",
        "Numbers need no sums (no percentages, decimals or mixed bases)",
        not problems,
        "; ".join(problems),
    )


def _images(sections: list[TextSection]) -> ChecklistItem:
    label = "Images have alt text and captions"
    with_images = [s for s in sections if s.has_image]
    if not with_images:
        return ChecklistItem("images_described", label, None, "no images")
    missing = [
        s.heading
        for s in with_images
        if not s.image_caption or not s.image_alt or _FILE_LIKE.match(s.image_alt.strip())
    ]
    detail = "" if not missing else "add a caption and real alt text in: " + "; ".join(missing)
    return ChecklistItem("images_described", label, not missing, detail)
