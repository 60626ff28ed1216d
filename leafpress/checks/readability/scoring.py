"""Scores: textstat's counts for each sentence unit, summed, through textstat's formulas.

textstat drops "sentences" of one or two words when it counts sentences on a whole text,
so a leaflet is never handed to it in one piece: each unit (sentence, list item, cell,
caption) is counted by textstat's own functions on its own, the counts are added up, and
textstat's formulas (same constants, same order) are applied to the totals. For a text
whose sentences textstat counts correctly, the scores are exactly textstat's; a test
checks this. See docs/readability.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import pyphen
from babel import Locale, UnknownLocaleError

from leafpress.checks.readability.sentences import prepare_for_textstat
from leafpress.checks.readability.syllables import SyllableCounter
from leafpress.compat import textstat_backend
from leafpress.core.language import describe

# Score names are textstat's own function names.
ENGLISH_FORMULAS = ("flesch_reading_ease", "flesch_kincaid_grade", "smog_index", "gunning_fog", "coleman_liau_index")
GRADE_FORMULAS = ("flesch_kincaid_grade", "smog_index", "gunning_fog", "coleman_liau_index")
# Languages for which textstat has its own Flesch Reading Ease constants (Amstad for German,
# Fernández Huerta for Spanish, Kandel & Moles for French, Flesch-Vacca for Italian,
# Douma for Dutch, Oborneva for Russian). The grade formulas are for English only.
FLESCH_ONLY = frozenset({"de", "es", "fr", "it", "nl", "ru"})
# LIX (Björnsson) and RIX (Anderson) count words longer than this instead of syllables, so they
# need no language's syllable rules: they are given for alphabetic languages textstat has no
# formulas for, Welsh first among them.
LONG_WORD_LETTERS = 6
NEUTRAL_FORMULAS = ("lix", "rix")
_ALPHABETS = frozenset({"Latn", "Cyrl", "Grek"})
# Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese,
# Tibetan): textstat splits words at spaces, so what it counts there are phrases or whole
# sentences, and a sentence of forty characters would pass as "two words long".
UNSPACED_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan", "Hira", "Kana", "Thai", "Laoo", "Khmr", "Mymr", "Tibt"})
# Cymraeg Clir, the Welsh plain-language guidance: a sentence of at most 25 words.
SENTENCE_WORD_LIMITS = {"cy": 25}
# A US school grade plus five is the reader's age in years, as UK editors count it.
READING_AGE_OFFSET = 5
# Below these a formula's number means nothing, so it is not shown: "too short to score".
# Under five words any formula swings wildly ("Vomiting." is grade 20, "Call 999 now." below 0);
# SMOG needs at least three sentences, as textstat documents (it was normed on thirty).
MIN_WORDS = 5
MIN_SENTENCES = {"smog_index": 3}
TOO_SHORT = "too short to score"


@dataclass
class Counts:
    """textstat's counts for some text; the totals of a section or leaflet are sums of these."""

    words: int = 0
    sentences: int = 0
    syllables: int = 0
    polysyllables: int = 0  # words of three or more syllables
    difficult_words: int = 0  # as in textstat's Gunning fog: not on the easy list, 3+ syllables
    letters: int = 0
    long_words: int = 0  # words of more than six letters (LIX and RIX)

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.words + other.words,
            self.sentences + other.sentences,
            self.syllables + other.syllables,
            self.polysyllables + other.polysyllables,
            self.difficult_words + other.difficult_words,
            self.letters + other.letters,
            self.long_words + other.long_words,
        )

    @property
    def average_sentence_length(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def polysyllable_share(self) -> float:
        return self.polysyllables / self.words if self.words else 0.0

    @property
    def letters_per_sentence(self) -> float:
        return self.letters / self.sentences if self.sentences else 0.0


@dataclass(frozen=True)
class LanguageSupport:
    tag: str
    name: str
    textstat_lang: str
    formulas: tuple[str, ...]
    note: str | None = None
    # False for a language written without spaces between words: its words are not counted, so
    # no measure in words (sentence length, long sentences) is judged.
    counts_words: bool = True


@cache
def language_support(tag: str) -> LanguageSupport:
    """Which of textstat's formulas are valid for the BCP 47 language ``tag``."""
    root = tag.split("-")[0].lower()
    try:
        name = Locale.parse(tag, sep="-").get_display_name("en") or tag
    except (ValueError, LookupError, UnknownLocaleError):  # "xx": well formed, but CLDR has no data
        name = tag
    lang = tag.replace("-", "_")
    if pyphen.language_fallback(lang) is None:
        lang = root
    if root == "en":
        if pyphen.language_fallback(lang) is None:
            lang = "en_GB"
        return LanguageSupport(tag, name, lang, ENGLISH_FORMULAS)
    if root in FLESCH_ONLY and pyphen.language_fallback(lang) is not None:
        return LanguageSupport(
            tag,
            name,
            lang,
            ("flesch_reading_ease",),
            f"For {name} textstat has only its own version of Flesch Reading Ease; the grade "
            "formulas (Flesch–Kincaid, SMOG, Gunning fog, Coleman–Liau) are for English text "
            "and are not given.",
        )
    if describe(tag).script in UNSPACED_SCRIPTS:
        return LanguageSupport(
            tag,
            name,
            "",
            (),
            f"{name} ({tag}) is written without spaces between words, so leafpress cannot count its "
            "words: no readability score and no sentence length in words is given (none is passed or "
            "failed). Sentence length is shown in characters, longest sentences first: keep each to one idea.",
            counts_words=False,
        )
    if _script(tag) in _ALPHABETS:
        return LanguageSupport(
            tag,
            name,
            "",
            NEUTRAL_FORMULAS,
            f"textstat has no readability formulas for {name} ({tag}) and English ones would mislead, so "
            "the language-neutral LIX and RIX are given (word and sentence length, no syllables). "
            "LIX under 40 is easy, 40–50 average, over 50 hard.",
        )
    return LanguageSupport(
        tag,
        name,
        "",
        (),
        f"textstat has no readability formulas for {name} ({tag}), so no scores are given: "
        "English formulas would mislead. Words, sentences and sentence length are still "
        "counted.",
    )


@cache
def _counter(lang: str, corrections: tuple[tuple[str, int], ...]) -> SyllableCounter:
    """One counter per language and corrections list for the run, so its word cache is shared."""
    return SyllableCounter(lang, dict(corrections))


class Scorer:
    """Counts and scores text in one language, with the project's syllable corrections."""

    def __init__(self, language: LanguageSupport, corrections: dict[str, int] | None = None) -> None:
        self.language = language
        self.lang = language.textstat_lang
        self.syllables = _counter(self.lang, tuple(sorted((corrections or {}).items()))) if self.lang else None
        self.uses_fog = "gunning_fog" in language.formulas
        self.fog_threshold = int(textstat_backend().lang_cfg(self.lang or "en", "syllable_threshold"))

    def count(self, sentence: str) -> Counts:
        """textstat's counts for one sentence unit (prepared as docs/readability.md says)."""
        text = prepare_for_textstat(sentence)
        words = textstat_backend().list_words(text)
        counts = Counts(
            words=len(words),
            sentences=1 if words else 0,
            letters=textstat_backend().count_letters(text),
            long_words=sum(1 for word in words if sum(char.isalpha() for char in word) > LONG_WORD_LETTERS),
        )
        if self.syllables is None:
            return counts
        easy = textstat_backend().easy_words(self.lang) if self.uses_fog else frozenset()
        for word in words:
            syllables = self.syllables.count(word)
            counts.syllables += syllables
            counts.polysyllables += syllables >= 3
            counts.difficult_words += self.uses_fog and word.lower() not in easy and syllables >= self.fog_threshold
        return counts

    def corrected_words(self, sentence: str) -> list[str]:
        """The words of ``sentence`` whose syllables the corrections list changed."""
        if self.syllables is None:
            return []
        return [
            w
            for w in textstat_backend().list_words(prepare_for_textstat(sentence), lowercase=True)
            if self.syllables.is_corrected(w)
        ]

    def raw_scores(self, counts: Counts) -> dict[str, float]:
        """The language's formulas on ``counts``, exactly as textstat 0.7.13 computes them."""
        return {name: _FORMULAS[name](counts, self.lang) for name in self.language.formulas}

    def scores(self, counts: Counts) -> dict[str, float]:
        """The scores shown to an editor: the formulas ``counts`` is long enough for, and no
        grade below 0 (a few short words make the grade formulas negative)."""
        return {
            name: max(0.0, value) if name in GRADE_FORMULAS else value
            for name, value in self.raw_scores(counts).items()
            if long_enough(name, counts)
        }

    def too_short(self, counts: Counts) -> list[str]:
        """The language's formulas that ``counts`` has too few words or sentences for (none when
        there is no text at all: that is nothing to score, not too little)."""
        return [name for name in self.language.formulas if counts.words and not long_enough(name, counts)]


def long_enough(formula: str, counts: Counts) -> bool:
    """Whether ``counts`` has the words and sentences ``formula`` needs for a number that means something."""
    return counts.words >= MIN_WORDS and counts.sentences >= MIN_SENTENCES.get(formula, 1)


def sentence_grade(counts: Counts, lang: str) -> float | None:
    """One sentence's own Flesch–Kincaid grade, never below 0; None when it is too short to score."""
    return max(0.0, flesch_kincaid_grade(counts, lang)) if long_enough("flesch_kincaid_grade", counts) else None


def _words_per_sentence(c: Counts) -> float:
    return c.words / c.sentences if c.sentences else 0.0


def _syllables_per_word(c: Counts) -> float:
    return c.syllables / c.words if c.words else 0.0


def flesch_reading_ease(c: Counts, lang: str) -> float:
    sentence_length, syllables = _words_per_sentence(c), _syllables_per_word(c)
    if sentence_length == 0 or syllables == 0:
        return 0.0
    root = textstat_backend().lang_root(lang)
    return (
        textstat_backend().lang_cfg(root, "fre_base")
        - textstat_backend().lang_cfg(root, "fre_sentence_length") * sentence_length
        - textstat_backend().lang_cfg(root, "fre_syll_per_word") * syllables
    )


def flesch_kincaid_grade(c: Counts, lang: str) -> float:
    sentence_length, syllables = _words_per_sentence(c), _syllables_per_word(c)
    if sentence_length == 0 or syllables == 0:
        return 0.0
    return (0.39 * sentence_length) + (11.8 * syllables) - 15.59


def smog_index(c: Counts, lang: str) -> float:
    if not c.sentences:
        return 0.0
    return (1.043 * (30 * (c.polysyllables / c.sentences)) ** 0.5) + 3.1291


def gunning_fog(c: Counts, lang: str) -> float:
    if not c.words:
        return 0.0
    return 0.4 * (_words_per_sentence(c) + 100 * c.difficult_words / c.words)


def coleman_liau_index(c: Counts, lang: str) -> float:
    letters = (c.letters / c.words if c.words else 0.0) * 100
    sentences = (c.sentences / c.words if c.words else 0.0) * 100
    if letters == 0 or sentences == 0:
        return 0.0
    return (0.058 * letters) - (0.296 * sentences) - 15.8


def lix(c: Counts, lang: str) -> float:
    """Words per sentence plus the percentage of words over six letters."""
    if not c.words or not c.sentences:
        return 0.0
    return c.words / c.sentences + 100 * c.long_words / c.words


def rix(c: Counts, lang: str) -> float:
    """Words over six letters per sentence."""
    return c.long_words / c.sentences if c.sentences else 0.0


def _script(tag: str) -> str | None:
    language = describe(tag)
    return language.script if language.known else None


_FORMULAS = {
    f.__name__: f
    for f in (flesch_reading_ease, flesch_kincaid_grade, smog_index, gunning_fog, coleman_liau_index, lix, rix)
}


def reading_age(grade: float) -> float:
    """A US school grade as a UK reading age in years."""
    return grade + READING_AGE_OFFSET


def rounded(value: float, places: int = 1) -> float:
    return 0.0 if math.isnan(value) else round(value, places)
