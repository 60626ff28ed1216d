"""Words to replace (from the editable plain-words list) and likely passive voice."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from leafpress.checks.readability.extract import TextSection
from leafpress.checks.readability.wordlists import merged_word_file
from leafpress.core.model import Leaflet

PLAIN_WORDS_FILE = "plain_words.yaml"
# A list item that starts with a term this short and goes on to explain it defines the term.
DEFINED_TERM_WORDS = 6


@dataclass
class WordMatch:
    start: int
    end: int
    word: str  # as written in the text
    entry: str  # the list entry it matched (lower case)
    suggestion: str
    line: int = 0  # the YAML line the word is on


_WORD = re.compile(r"\w+")


class PlainWords:
    """Finds the list's words and phrases in text, ignoring capitals, whole words only."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        alternatives = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in table), key=len, reverse=True)
        self.pattern = re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE) if table else None
        # Most sentences hold none of the words: a set lookup rules them out before the long pattern runs.
        self.key_words = {max(re.findall(r"\w+", entry), key=len) for entry in table}

    def find(self, text: str) -> list[WordMatch]:
        if self.pattern is None or self.key_words.isdisjoint(_WORD.findall(text.lower())):
            return []
        found = []
        for match in self.pattern.finditer(text):
            entry = " ".join(match.group().lower().split())
            found.append(WordMatch(match.start(), match.end(), match.group(), entry, self.table[entry]))
        return found


@cache
def plain_words(project_root: Path | None = None) -> PlainWords:
    """The shipped plain-words list overlaid with the project's ``words/plain_words.yaml``."""
    return PlainWords(merged_word_file(PLAIN_WORDS_FILE, str, project_root))


# "(PAL-ee-uh-tiv)" or "(said JAWN-diss)" after a word says how to say it, not what it means.
_PRONUNCIATION = re.compile(r"^\s*\(\s*(?:said\s+)?[A-Za-z]+(?:-[A-Za-z]+)+\s*\)")


def explained_entries(leaflet: Leaflet, sections: list[TextSection], words: PlainWords) -> set[str]:
    """List entries the leaflet explains: in its glossary, in brackets beside the word, or as
    the term a list item defines.

    "tummy (abdomen)" explains "abdomen"; so does "ascites (fluid in the tummy)", and so does
    a list item "**Metastatic cancer.** Cancer that has spread…". Once explained, a word is
    not flagged anywhere else in the leaflet.
    """
    explained = set()
    for term in leaflet.terms:
        explained |= {m.entry for m in words.find(f"{term.term} {term.meaning}")}
    for block in (b for section in sections for b in section.blocks if b.kind == "list"):
        for item in block.items:
            if len(item) > 1 and len(item[0].text.split()) <= DEFINED_TERM_WORDS:
                explained |= {m.entry for m in words.find(item[0].text)}
    units = [unit for section in sections for unit in section.units]
    for unit in units:
        for match in words.find(unit.text):
            before, after = unit.text[: match.start].rstrip(), unit.text[match.end :]
            in_brackets = before.endswith("(") and len(before) > 1
            bracket_follows = after.lstrip().startswith("(") and not _PRONUNCIATION.match(after)
            if in_brackets or bracket_follows:
                explained.add(match.entry)
    return explained


_BE = r"(?:am|is|are|was|were|be|been|being|get|gets|got|getting|gotten)"
_IRREGULAR = (
    "arisen awoken beaten become begun bent bitten blown broken brought built bought caught chosen "
    "cut done drawn driven eaten fallen fed felt fought found forgotten forgiven frozen given gone "
    "grown held hidden hit hung hurt kept known laid led left lent let lost made meant met paid put "
    "read rung risen run said seen sent set shaken shown shut slept sold sought spent spoken spread "
    "stolen struck stuck sung sunk swept sworn taken taught thought thrown told torn understood "
    "upset woken won worn written"
)
# "is called", "known as", "made of" name or describe things; readers find them plain.
_NOT_PASSIVE = r"(?!called\b|named\b|known\b|born\b|based\b|tired\b|worried\b|made\s+(?:of|up)\b)"
_PASSIVE = re.compile(
    rf"\b{_BE}\s+(?:\w+ly\s+)?{_NOT_PASSIVE}(?:(?!need|feed|seed|bleed|speed)\w{{2,}}ed|"
    rf"{'|'.join(_IRREGULAR.split())})\b",
    re.IGNORECASE,
)


def passive_phrase(text: str) -> str | None:
    """The first likely passive ("is checked", "was given"), or None. A hint, never a failure."""
    match = _PASSIVE.search(text)
    return match.group() if match else None
