"""What the readability check finds in one leaflet, as plain data (and as the ``--json`` shape)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leafpress.checks.readability.checklist import ChecklistItem, checklist_percent
from leafpress.checks.readability.scoring import Counts, LanguageSupport, reading_age, rounded
from leafpress.checks.readability.words import WordMatch

TARGET_LABELS = {
    "flesch_kincaid_grade": "Flesch–Kincaid grade",
    "smog_index": "SMOG",
    "flesch_reading_ease": "Flesch Reading Ease",
    "gunning_fog": "Gunning fog",
    "coleman_liau_index": "Coleman–Liau",
    "average_sentence_length": "Average sentence length",
    "lix": "LIX",
    "rix": "RIX",
    "longest_sentence": "Longest sentence (words)",
}


@dataclass
class SentenceResult:
    """One scored unit (or heading), with what there is to say about it."""

    text: str
    line: int
    section: str
    kind: str
    counts: Counts
    grade: float | None = None  # its own Flesch–Kincaid grade
    scored: bool = True
    hard: bool = False
    long: bool = False
    passive: str | None = None
    words_to_replace: list[WordMatch] = field(default_factory=list)
    corrected_words: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "line": self.line,
            "grade": _maybe(self.grade),
            "section": self.section,
            "words": self.counts.words,
        }
        if self.grade is not None:
            data["reading_age"] = rounded(reading_age(self.grade))
        return data


@dataclass
class ResultBlock:
    """A paragraph, list, table, caption or heading of the proof: one list of sentences per item."""

    kind: str
    items: list[list[SentenceResult]]
    ordered: bool = False


@dataclass
class SectionResult:
    heading: str
    line: int
    kind: str
    counts: Counts
    scores: dict[str, float]
    blocks: list[ResultBlock]
    # Formulas of the language this section has too few words or sentences for.
    too_short: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "line": self.line,
            "scores": _scores(self.scores),
            "words": self.counts.words,
            "sentences": self.counts.sentences,
            "average_sentence_length": rounded(self.counts.average_sentence_length),
            "too_short_to_score": self.too_short,
        }


@dataclass
class TargetResult:
    name: str
    limit: float
    at_most: bool
    value: float | None  # None: no formula for this language
    met: bool | None
    # No value because the text is too short for the formula (not because the language has none).
    too_short: bool = False

    @property
    def label(self) -> str:
        return TARGET_LABELS.get(self.name, self.name)

    @property
    def wanted(self) -> str:
        return f"{'≤' if self.at_most else '≥'} {self.limit:g}"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "target": self.limit,
            "comparison": "<=" if self.at_most else ">=",
            "value": _maybe(self.value),
            "met": self.met,
            "too_short": self.too_short,
        }


@dataclass
class LeafletReadability:
    """The readability of one leaflet: scores, targets, and what to fix, with YAML lines."""

    source: Path
    title: str
    language: LanguageSupport
    counts: Counts
    scores: dict[str, float]
    sections: list[SectionResult]
    sentences: list[SentenceResult]
    hard_sentences: list[SentenceResult]
    targets: list[TargetResult]
    checklist: list[ChecklistItem]
    max_sentence_words: int
    # word: (textstat's count, the corrected count), for the words this leaflet uses
    syllable_corrections: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Formulas of the language the whole leaflet has too few words or sentences for.
    too_short: list[str] = field(default_factory=list)

    @property
    def meets_targets(self) -> bool:
        """No target missed (also true when none could be judged: see :attr:`scored`)."""
        return all(target.met is not False for target in self.targets)

    @property
    def scored(self) -> bool:
        """True when at least one target was judged (a language written without spaces between
        words, with no formulas, has none): "meets targets" then means something."""
        return any(target.met is not None for target in self.targets)

    @property
    def verdict(self) -> bool | None:
        """True: meets its targets; False: misses one; None: not scored."""
        return self.meets_targets if self.scored else None

    @property
    def counts_summary(self) -> str:
        """The leaflet's size in one sentence, in words where they are counted, else in characters."""
        counts = self.counts
        if not self.language.counts_words:
            return (
                f"{counts.sentences} sentences, {counts.letters_per_sentence:.0f} characters each on average; "
                f"words are not counted ({self.language.name} is written without spaces between them)."
            )
        syllables = (
            f"; {counts.polysyllable_share:.0%} of words have three or more syllables"
            if self.language.textstat_lang
            else ""
        )
        return f"{counts.words} words in {counts.sentences} sentences{syllables}."

    @property
    def missed_targets(self) -> list[TargetResult]:
        return [target for target in self.targets if target.met is False]

    @property
    def long_sentences(self) -> list[SentenceResult]:
        return [s for s in self.sentences if s.long]

    @property
    def words_to_replace(self) -> list[tuple[SentenceResult, WordMatch]]:
        return [(s, match) for s in self.sentences for match in s.words_to_replace]

    @property
    def passive_sentences(self) -> list[SentenceResult]:
        return [s for s in self.sentences if s.passive]

    @property
    def checklist_percent(self) -> float:
        return checklist_percent(self.checklist)

    @property
    def reading_ages(self) -> dict[str, float]:
        return {
            name: rounded(reading_age(value))
            for name, value in self.scores.items()
            if name in ("flesch_kincaid_grade", "smog_index", "gunning_fog", "coleman_liau_index")
        }

    def to_json(self, file: str | None = None) -> dict[str, Any]:
        """The ``check --json`` record: the shape in docs/readability.md (only ever added to)."""
        record = self._record(file)
        if not self.language.counts_words:
            # Split at spaces, these "words" are phrases: null, never a number that passes a target.
            for part in [record, *record["sections"], *record["hard_sentences"], *record["long_sentences"]]:
                part.update({key: None for key in ("words", "average_sentence_length") if key in part})
        return record

    def _record(self, file: str | None) -> dict[str, Any]:
        return {
            "file": file if file is not None else str(self.source),
            "language": self.language.tag,
            "scores": _scores(self.scores),
            "too_short_to_score": self.too_short,
            "words": self.counts.words,
            "sentences": self.counts.sentences,
            "meets_targets": self.meets_targets,
            "scored": self.scored,
            "words_counted": self.language.counts_words,
            "letters_per_sentence": rounded(self.counts.letters_per_sentence),
            "sections": [section.to_json() for section in self.sections],
            "hard_sentences": [s.to_json() for s in self.hard_sentences],
            "words_to_replace": [
                {"word": m.word, "suggestion": m.suggestion, "line": m.line, "section": s.section}
                for s, m in self.words_to_replace
            ],
            "reading_ages": self.reading_ages,
            "average_sentence_length": rounded(self.counts.average_sentence_length),
            "polysyllable_share": rounded(self.counts.polysyllable_share, 3),
            "formulas_note": self.language.note,
            "targets": [target.to_json() for target in self.targets],
            "long_sentences": [s.to_json() for s in self.long_sentences],
            "passive_voice": [{"text": s.text, "line": s.line, "phrase": s.passive} for s in self.passive_sentences],
            "checklist": {
                "items": [{"key": i.key, "label": i.label, "met": i.met, "detail": i.detail} for i in self.checklist],
                "percent": rounded(self.checklist_percent),
            },
            "syllable_corrections": {
                word: {"textstat": before, "corrected": after}
                for word, (before, after) in self.syllable_corrections.items()
            },
        }


def _maybe(value: float | None) -> float | None:
    return None if value is None else rounded(value, 2)


def _scores(scores: dict[str, float]) -> dict[str, float]:
    return {name: rounded(value, 2) for name, value in scores.items()}
