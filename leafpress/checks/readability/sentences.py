"""Sentences: where they end, and the exact text handed to textstat for each one.

textstat splits sentences at every ".", "!" or "?", so "e.g.", "Dr." and "2.5 ml" break a
sentence in two. Sentences are found here instead, and each one is scored on its own, so
the stops inside a sentence no longer matter; see docs/readability.md.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words that end in a full stop without ending the sentence (compared in lower case,
# without the final stop).
ABBREVIATIONS = frozenset(
    {
        "e.g",
        "eg",
        "i.e",
        "ie",
        "etc",
        "cf",
        "vs",
        "approx",
        "dr",
        "mr",
        "mrs",
        "ms",
        "mx",
        "prof",
        "st",
        "no",
        "nos",
        "tel",
        "ext",
        "fig",
        "ref",
        "vol",
        "p",
        "pp",
        "a.m",
        "p.m",
        "am",
        "pm",
        "min",
        "mins",
        "hr",
        "hrs",
        "wk",
        "wks",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "inc",
        "ltd",
        "co",
    }
)
# "etc." ends a sentence when a capital letter follows it; the others never do.
_ENDS_IF_CAPITAL_FOLLOWS = frozenset({"etc", "am", "pm", "a.m", "p.m"})

# Each run of stops is tried once, from its start, and never given back: "!?!?!?…x" is linear.
_CANDIDATE_END = re.compile(r"(?<![.!?…؟۔])[.!?…؟۔]++[\"'”’)\]]*+(?=\s|$)")
_TERMINAL = re.compile(r"(?<![.!?…؟۔])[.!?…؟۔]++[\"'”’)\]]*+$")
# A pronunciation guide, "meh-TASS-tuh-seez" or "said JAWN-diss": respelt sounds with the
# stressed one in capitals. It helps the reader say a word; it is not a word to score.
# Whole hyphen runs are matched once and judged in Python: a lookahead from every hyphen was quadratic.
_HYPHEN_RUN = re.compile(r"(?:\bsaid\s++)?(?<![\w-])[\w-]++")
_EMPTY_BRACKETS = re.compile(r"(?<!\s)\s*+\(\s*+[,;]?\s*+\)|,\s*+(?=\))")
_INTERNAL_STOPS = re.compile(r"[.!?…]+(?=\S)|[.!?…]+(?=\s+\S)")


def _is_pronunciation(run: str) -> bool:
    parts = run.split("-")
    if len(parts) < 2 or not all(part.isascii() and part.isalpha() for part in parts):
        return False
    return any(len(part) > 1 and part.isupper() for part in parts) and any(part.islower() for part in parts)


def _without_pronunciation(match: re.Match[str]) -> str:
    """ "" for a respelt pronunciation (with its "said"), else the text as it was."""
    run = match[0].rsplit(None, 1)[-1]
    return "" if _is_pronunciation(run) else match[0]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each sentence in ``text`` (newlines count as spaces)."""
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for match in _CANDIDATE_END.finditer(text):
        end = match.end()
        if end <= start or not _ends_sentence(text, start, match):
            continue
        spans.append((start, end))
        start = _skip_space(text, end)
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _ends_sentence(text: str, start: int, match: re.Match[str]) -> bool:
    following = text[match.end() :].lstrip()
    if not following:
        return True
    first = following[0]
    if first.islower():  # "2 p.m. and", "why? because": the sentence goes on
        return False
    if not match.group().startswith("."):
        return True
    word = text[start : match.start()].split()[-1:] or [""]
    word_before = word[0].lstrip("(\"'‘“").lower()
    if word_before in _ENDS_IF_CAPITAL_FOLLOWS:
        return first.isupper()
    if word_before in ABBREVIATIONS:
        return False
    # A single capital letter is an initial ("J. Smith"), not the end of a sentence.
    return not (len(word_before) == 1 and word_before.isalpha() and word[0][-1:].isupper())


def plain(text: str) -> str:
    """``text`` on one line, with runs of spaces and newlines made single spaces."""
    return " ".join(text.split())


# Every sentence is prepared for its counts and again for its corrected words.
@lru_cache(maxsize=1024)
def prepare_for_textstat(sentence: str) -> str:
    """The sentence as textstat is given it: one line, no pronunciation guides, no stops
    inside, one stop at the end.

    textstat removes every stop before it counts words, letters and syllables, so
    removing the inner ones ("e.g." → "eg", "2.5" → "25") changes none of those counts;
    it only stops textstat seeing a sentence break that is not there.
    """
    text = plain(_EMPTY_BRACKETS.sub("", _HYPHEN_RUN.sub(_without_pronunciation, sentence)))
    ending = _TERMINAL.search(text)
    body = text[: ending.start()] if ending else text
    body = _INTERNAL_STOPS.sub("", body)
    return f"{body}." if body else ""
