"""textstat's backend and Pyphen's patterns: the dictionary and hyphenation textstat counts with."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from leafpress.compat.versions import PYPHEN_SERIES, TEXTSTAT_SERIES, IncompatibleVersion
from leafpress.compat.versions import require as _require


# textstat ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TextstatBackend:
    """The parts of textstat's backend that readability scoring calls one sentence at a time.

    textstat's public functions take a whole text and drop short "sentences"; leafpress
    counts each sentence unit with these and sums the counts (see docs/readability.md).
    """

    count_letters: Callable[[str], int]
    count_syllables: Callable[[str, str], int]
    list_words: Callable[..., list[str]]
    lang_cfg: Callable[[str, str], Any]
    easy_words: Callable[[str], Any]
    lang_root: Callable[[str], str]


_TEXTSTAT_NLTK_LOADER = "textstat.backend.utils._get_cmudict"


@cache
def _skip_textstat_nltk_loader() -> None:
    """Register a stand-in for the one textstat module that imports NLTK, before textstat loads.

    That module only loads the CMU dictionary through NLTK, and importing NLTK takes most of a
    second; leafpress replaces its loader (:func:`use_pronouncing_dictionary`) before counting
    any syllable. When NLTK is already imported (something else uses it), textstat's own module
    is left alone.
    """
    if "nltk" in sys.modules or _TEXTSTAT_NLTK_LOADER in sys.modules:
        return
    stand_in = types.ModuleType(_TEXTSTAT_NLTK_LOADER, "leafpress's stand-in: no NLTK, no download")
    stand_in.get_cmudict = _dictionary_not_chosen  # type: ignore[attr-defined]
    sys.modules[_TEXTSTAT_NLTK_LOADER] = stand_in


def _dictionary_not_chosen(lang: str) -> None:
    # Loud, not a silent fallback to Pyphen's counts: a caller skipped use_pronouncing_dictionary.
    raise RuntimeError("textstat counted syllables before leafpress chose its pronouncing dictionary")


@cache
def textstat_backend() -> TextstatBackend:
    _require("textstat", TEXTSTAT_SERIES)
    _skip_textstat_nltk_loader()
    from textstat.backend.counts._count_letters import count_letters
    from textstat.backend.counts._count_syllables import count_syllables
    from textstat.backend.selections._list_words import list_words
    from textstat.backend.utils import get_lang_cfg, get_lang_easy_words, get_lang_root

    return TextstatBackend(count_letters, count_syllables, list_words, get_lang_cfg, get_lang_easy_words, get_lang_root)


def use_pronouncing_dictionary(lookup: Callable[[str], Mapping[str, list[tuple[str, ...]]] | None]) -> None:
    """Point textstat's CMU dictionary lookup at ``lookup`` (language → table), instead of NLTK's download."""
    _require("textstat", TEXTSTAT_SERIES)
    _skip_textstat_nltk_loader()
    from textstat.backend.counts import _count_syllables

    if not hasattr(_count_syllables, "get_cmudict"):  # a textstat that loads it differently: fail loudly
        raise IncompatibleVersion("textstat no longer loads cmudict through get_cmudict; update leafpress.compat")
    _count_syllables.get_cmudict = lookup


# Pyphen (textstat's syllable fallback) ----------------------------------------------------------
def hyphenation_file(lang: str) -> Any:
    """The hyphenation dictionary ``Pyphen(lang=lang)`` reads (a Path), or None for a language it lacks."""
    _require("pyphen", PYPHEN_SERIES)
    import pyphen

    name = pyphen.language_fallback(lang)
    return pyphen.LANGUAGES[name] if name else None


def hyphenation_patterns(path: Any) -> tuple[dict[str, tuple[int, tuple[int, ...]]], int] | None:
    """Pyphen's parsed patterns of the dictionary ``path`` and their longest length, as plain data
    (parsed once per process); None when they hold non-standard hyphenation, which is not."""
    _require("pyphen", PYPHEN_SERIES)
    import pyphen

    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = pyphen.HyphDict(path)
    parsed = pyphen.hdcache[path]
    if not all(type(value) is int for _, values in parsed.patterns.values() for value in values):
        return None
    return parsed.patterns, parsed.maxlen


def use_hyphenation_patterns(path: Any, patterns: dict[str, tuple[int, tuple[int, ...]]], maxlen: int) -> None:
    """Give Pyphen the parsed patterns of ``path``, so that ``Pyphen(lang=...)`` does not read the file
    again (parsing it takes 0.1–0.3 s, once in every process that scores readability)."""
    _require("pyphen", PYPHEN_SERIES)
    import pyphen

    if path in pyphen.hdcache:
        return
    parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
    parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, maxlen
    pyphen.hdcache[path] = parsed
