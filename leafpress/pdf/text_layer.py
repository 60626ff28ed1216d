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


class TextLayer:
    """pdftotext reading a PDF in its own process, started at once, its text taken when wanted:
    the extraction runs beside whatever this process does in between (the build measures the
    PDF's pages meanwhile). Use it as a context manager: leaving it stops the process if its
    text was never taken, and removes the temporary copy of the PDF."""

    def __init__(self, pdf: bytes) -> None:
        self._folder = tempfile.TemporaryDirectory()
        try:
            path = Path(self._folder.name) / "leaflet.pdf"
            path.write_bytes(pdf)
            self._process = subprocess.Popen(
                ["pdftotext", "-enc", "UTF-8", str(path), "-"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except BaseException:
            self._folder.cleanup()
            raise

    def text(self) -> str:
        """The whole text layer as pdftotext gives it (TimeoutExpired after TIMEOUT_SECONDS)."""
        try:
            out, _ = self._process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self._stop()
            raise
        return out.decode("utf-8", errors="replace")

    def words(self) -> set[str]:
        return words_in(self.text())

    def _stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.communicate()

    def __enter__(self) -> TextLayer:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._stop()
        finally:
            self._folder.cleanup()


def pdf_text(pdf: bytes) -> str:
    """The whole text layer of ``pdf`` as pdftotext gives it."""
    with TextLayer(pdf) as layer:
        return layer.text()


def pdf_words(pdf: bytes) -> set[str]:
    # A word broken over two lines at a hyphen comes out as two parts: both forms count.
    return words_in(pdf_text(pdf))


# Chinese, Japanese, Thai, Lao, Khmer and Myanmar put no space between words, so a line break
# inside a phrase is not a word break, even beside a number or a Latin word ("今すぐ" / "999に").
UNSPACED_RANGES = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNSPACED = UNSPACED_RANGES
UNSPACED_CHARACTER = re.compile(f"[{_UNSPACED}]")
_UNSPACED_BREAK = re.compile(f"(?<=[{_UNSPACED}])\n(?=\\w)|(?<=\\w)\n(?=[{_UNSPACED}])")
# A break with such characters on both sides only: an English line ("About this") before a Chinese
# paragraph is not joined to it, which the rule above does (and must, for "999に").
_BREAK_IN_UNSPACED = re.compile(f"(?<=[{_UNSPACED}])\n(?=[{_UNSPACED}])")
# Any break between two letters: a word too long for its line, broken with no hyphen (overflow-wrap).
_BREAK_IN_WORD = re.compile(r"(?<=\w)\n(?=\w)")


def rejoined(text: str) -> str:
    """An extracted text with words broken over lines (at a hyphen, or between Chinese or
    Japanese characters) joined again."""
    return _UNSPACED_BREAK.sub("", _hyphens_rejoined(text))


def _hyphens_rejoined(text: str) -> str:
    return re.sub(r"-\n(\w)", r"\1", text)


def words_in(text: str) -> set[str]:
    """The words of an extracted text, with words broken over lines joined again (in each way
    they may have been: a leaflet's word is looked for among them all)."""
    # Each distinct form is normalised once: a leaflet repeats most of its words many times.
    found = set(_WORD.findall(text)) | set(_WORD.findall(rejoined(text)))
    found |= set(_WORD.findall(_BREAK_IN_UNSPACED.sub("", _hyphens_rejoined(text))))
    found |= set(_WORD.findall(_BREAK_IN_WORD.sub("", text)))
    return {word for word in map(normalise, found) if word}
