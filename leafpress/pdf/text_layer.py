"""What the PDF's text layer says: the words screen readers, search and copy get.

Read with poppler's pdftotext, the extractor most PDF text on Linux goes through (the set-up
installs poppler-utils), so a word whose glyphs map to the wrong characters (a vowel sign
mapped to nothing) comes out as the reader would get it.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path

# Letters and marks of any script, with the joiners some scripts need inside a word. The Indic
# blocks are whole but for their punctuation (a danda ends a sentence, like a full stop).
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0963\u0966-\u096f\u0971-\u0df3\u0df5-\u0dff"
    "\u0e31-\u0e4e\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
_WORD = re.compile(f"[\\w{_MARKS}\u200c\u200d'’-]+")
TIMEOUT_SECONDS = 30


# Arabic short-vowel marks are optional in everyday text, and extractors give them apart from
# their letter: a word is compared without them (other scripts' vowel signs are kept: losing
# one changes the word).
_ARABIC_HARAKAT = re.compile("[\u064b-\u065f\u0670]")


def normalise(word: str) -> str:
    """A word as compared: NFC, case folded, without the punctuation at its ends or Arabic harakat."""
    return _ARABIC_HARAKAT.sub("", unicodedata.normalize("NFC", word)).casefold().replace("’", "'").strip("'-_")


def words_of(text: str) -> list[str]:
    return [w for w in (normalise(m.group()) for m in _WORD.finditer(text)) if w]


def pdf_text(pdf: bytes) -> str:
    """The whole text layer of ``pdf`` as pdftotext gives it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "leaflet.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    return result.stdout.decode("utf-8", errors="replace")


def pdf_words(pdf: bytes) -> set[str]:
    # A word broken over two lines at a hyphen comes out as two parts: both forms count.
    return words_in(pdf_text(pdf))


# Chinese, Japanese, Thai, Lao, Khmer and Myanmar put no space between words, so a line break
# inside a phrase is not a word break, even beside a number or a Latin word ("今すぐ" / "999に").
_UNSPACED = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNSPACED_BREAK = re.compile(f"(?<=[{_UNSPACED}])\n(?=\\w)|(?<=\\w)\n(?=[{_UNSPACED}])")


def rejoined(text: str) -> str:
    """An extracted text with words broken over lines (at a hyphen, or between Chinese or
    Japanese characters) joined again."""
    return _UNSPACED_BREAK.sub("", re.sub(r"-\n(\w)", r"\1", text))


def words_in(text: str) -> set[str]:
    """The words of an extracted text, with words broken over lines joined again."""
    return {normalise(word) for word in words_of(text) + words_of(rejoined(text))}
