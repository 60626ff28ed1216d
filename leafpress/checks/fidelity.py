"""Text fidelity: every word a patient reads must come back out of the PDF's text layer.

Screen readers, search and copy read the text layer, not the picture of the page. A font
whose glyphs map to the wrong characters (a Bengali vowel sign mapped to nothing) prints
correctly and reads wrongly. So the leaflet's own words (as ``check`` reads them for
readability) are looked for among the words pdftotext takes out of the PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from leafpress.checks.readability.extract import extract
from leafpress.core.model import Leaflet
from leafpress.pdf.text_layer import UNSPACED_CHARACTER, normalise, pdf_words, words_of
from leafpress.source.load import Loaded

# Under this share of the leaflet's words recovered, the text layer fails the leaflet.
MIN_FIDELITY = 0.99
WORDS_LOST_SHOWN = 40
# "[@smith-2021]" prints as a number: its key is not a word the reader sees.
# No bracket or second scan inside a citation: "[@[@[@…" stays linear, not cubic.
_CITATION = re.compile(r"\[[^\[\]@]*@[^\[\]]*\]|@[A-Za-z0-9][A-Za-z0-9_.:-]*")


@dataclass
class Fidelity:
    share: float
    words: int
    # Words of the leaflet not found in the PDF's text layer, with the YAML line of their first use.
    lost: list[tuple[str, int]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.share >= MIN_FIDELITY


def leaflet_words(loaded: Loaded, leaflet: Leaflet) -> dict[str, int]:
    """Each distinct word a reader sees in the leaflet, with the line it first appears on."""
    found: dict[str, int] = {}
    for word in words_of(leaflet.title):
        found.setdefault(word, loaded.location(("title",)).line)
    for section in extract(loaded, leaflet):
        if section.kind == "section":  # "Key points", "Words to know": labels, printed in the leaflet's language
            for word in words_of(section.heading):
                found.setdefault(word, section.line)
        for block in section.blocks:
            for unit in block.units:
                for word in words_of(_CITATION.sub(" ", unit.text)):
                    found.setdefault(word, unit.line)
    return found


def _recovered(word: str, present: set[str]) -> bool:
    """Found whole, or (a hyphenated word broken over two lines) each of its parts found, or
    (Chinese, Japanese, Thai…, written without spaces) found inside a run of the text layer."""
    if normalise(word) in present or normalise(word.replace("-", "")) in present:
        return True  # pdftotext joins a word broken at its hyphen ("high-" + "energy" → "highenergy")
    if UNSPACED_CHARACTER.search(word):
        # Its "word" is a phrase: one whose line break was not at a punctuation mark is read
        # joined to the next line ("…ทันที" + "ดื่มน้ำ…"; Thai ends a sentence with a space).
        return any(normalise(word) in run for run in present)
    parts = [normalise(part) for part in re.split(r"[-‐]", word) if part]
    return len(parts) > 1 and all(part in present for part in parts)


def text_fidelity(loaded: Loaded, leaflet: Leaflet, pdf: bytes) -> Fidelity:
    return fidelity_to_words(loaded, leaflet, pdf_words(pdf))


def fidelity_to_words(loaded: Loaded, leaflet: Leaflet, present: set[str]) -> Fidelity:
    """How many of the leaflet's words are among ``present``, the words of a PDF's text layer."""
    wanted = leaflet_words(loaded, leaflet)
    if not wanted:
        return Fidelity(1.0, 0)
    lost = [(word, line) for word, line in wanted.items() if not _recovered(word, present)]
    return Fidelity(1 - len(lost) / len(wanted), len(wanted), lost)
