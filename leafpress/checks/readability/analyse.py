"""One leaflet's readability: extract the text, score it, and find what to fix."""

from __future__ import annotations

import re

from leafpress.checks.readability.checklist import structure_checklist
from leafpress.checks.readability.extract import TextSection, TextUnit, extract
from leafpress.checks.readability.results import (
    LeafletReadability,
    ResultBlock,
    SectionResult,
    SentenceResult,
    TargetResult,
)
from leafpress.checks.readability.scoring import (
    MIN_WORDS,
    SENTENCE_WORD_LIMITS,
    Counts,
    Scorer,
    language_support,
    sentence_grade,
)
from leafpress.checks.readability.syllables import syllable_corrections, textstat_syllables
from leafpress.checks.readability.words import PlainWords, explained_entries, passive_phrase, plain_words
from leafpress.core.config import ReadabilityTargets
from leafpress.core.model import Leaflet
from leafpress.core.project import Project
from leafpress.source.load import Loaded
from leafpress.source.translations import named_language

HARDEST_COUNT = 5
# A sentence is highlighted as hard when its own grade is this far above the grade target:
# one sentence's grade varies a lot, so just over the target is no reason to rewrite it.
HARD_MARGIN = 2.0
GRADE_TARGETS = ("flesch_kincaid_grade", "smog_index", "gunning_fog", "coleman_liau_index")


def analyse(loaded: Loaded, leaflet: Leaflet, project: Project) -> LeafletReadability:
    # A translation named liver.cy.yaml is in Welsh even without a language: key.
    language = language_support(leaflet.language or named_language(loaded.path) or project.config.language)
    english = language.tag.split("-")[0].lower() == "en"
    targets = project.config.readability.overridden(leaflet.readability)
    scorer = Scorer(language, syllable_corrections(project.root))
    words = plain_words(project.root) if english else PlainWords({})
    sections = extract(loaded, leaflet)
    explained = explained_entries(leaflet, sections, words)
    source_lines = loaded.source.splitlines()
    sentence_limit = SENTENCE_WORD_LIMITS.get(language.tag.split("-")[0].lower())
    hard_grade = (targets.flesch_kincaid_grade if targets.flesch_kincaid_grade is not None else 6.0) + HARD_MARGIN

    def judge(unit: TextUnit) -> SentenceResult:
        counts = scorer.count(unit.text) if unit.scored else Counts()
        result = SentenceResult(unit.text, unit.line, unit.section, unit.kind, counts, scored=unit.scored)
        result.words_to_replace = [m for m in words.find(unit.text) if m.entry not in explained]
        for match in result.words_to_replace:
            match.line = _word_line(source_lines, unit.line, match.word)
        if not unit.scored:
            return result
        if "flesch_kincaid_grade" in language.formulas:
            result.grade = sentence_grade(counts, language.textstat_lang)
            result.hard = result.grade is not None and result.grade > hard_grade
        limit = min(targets.max_sentence_words, sentence_limit or targets.max_sentence_words)
        result.long = language.counts_words and counts.words > limit
        result.passive = passive_phrase(unit.text) if english else None
        result.corrected_words = scorer.corrected_words(unit.text)
        return result

    section_results = [_section(section, judge, scorer) for section in sections]
    sentences = [s for section in section_results for block in section.blocks for item in block.items for s in item]
    scored = [s for s in sentences if s.scored]
    counts = sum((s.counts for s in scored), Counts())
    scores = scorer.scores(counts)
    too_short = scorer.too_short(counts)
    unexplained = [m.entry for s in sentences for m in s.words_to_replace]
    corrections = (
        {w: (textstat_syllables(w, scorer.lang), scorer.syllables.count(w)) for s in scored for w in s.corrected_words}
        if scorer.syllables
        else {}
    )
    return LeafletReadability(
        source=loaded.path,
        title=leaflet.title,
        language=language,
        counts=counts,
        scores=scores,
        sections=section_results,
        sentences=sentences,
        hard_sentences=_hardest(scored, language.counts_words),
        targets=_targets(targets, scores, too_short, counts, sentence_limit, scored, language.counts_words),
        too_short=too_short,
        checklist=structure_checklist(leaflet, sections, unexplained, english, language.counts_words),
        max_sentence_words=targets.max_sentence_words,
        syllable_corrections=dict(sorted(corrections.items())),
    )


def _section(section: TextSection, judge, scorer: Scorer) -> SectionResult:  # noqa: ANN001
    blocks = [
        ResultBlock(block.kind, [[judge(unit) for unit in item] for item in block.items], block.ordered)
        for block in section.blocks
    ]
    counts = sum((s.counts for b in blocks for item in b.items for s in item if s.scored), Counts())
    return SectionResult(
        section.heading, section.line, section.kind, counts, scorer.scores(counts), blocks, scorer.too_short(counts)
    )


def _word_line(source_lines: list[str], first_line: int, word: str) -> int:
    """The line a word is on: its sentence may run over several lines of the file."""
    pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, word.split())) + r"\b", re.IGNORECASE)
    for number in range(first_line, min(first_line + 20, len(source_lines)) + 1):
        if pattern.search(source_lines[number - 1]):
            return number
    return first_line


def _hardest(scored: list[SentenceResult], words_counted: bool = True) -> list[SentenceResult]:
    """The five hardest sentences: highest grade first (longest first where there are no grades,
    in characters where words are not counted)."""
    if not words_counted:
        return sorted(scored, key=lambda s: s.counts.letters, reverse=True)[:HARDEST_COUNT]
    candidates = [s for s in scored if s.counts.words >= MIN_WORDS] or scored
    ranked = sorted(candidates, key=lambda s: (s.grade if s.grade is not None else 0.0, s.counts.words), reverse=True)
    return ranked[:HARDEST_COUNT]


def _targets(
    targets: ReadabilityTargets,
    scores: dict[str, float],
    too_short: list[str],
    counts: Counts,
    sentence_limit: int | None,
    scored: list[SentenceResult],
    words_counted: bool = True,
) -> list[TargetResult]:
    results = []
    for name in (*GRADE_TARGETS[:2], "flesch_reading_ease", *GRADE_TARGETS[2:]):
        limit = getattr(targets, name)
        if limit is None:
            continue
        value = scores.get(name)
        at_most = name != "flesch_reading_ease"
        met = None if value is None else (value <= limit if at_most else value >= limit)
        results.append(TargetResult(name, limit, at_most, value, met, too_short=name in too_short))
    # Where words are not counted the target is shown, not judged: no value passes or fails it.
    average = counts.average_sentence_length if counts.words and words_counted else None
    results.append(
        TargetResult(
            "average_sentence_length",
            targets.max_sentence_words,
            True,
            average,
            None if average is None else average <= targets.max_sentence_words,
        )
    )
    if sentence_limit is not None and words_counted:
        # The language's own rule for every sentence (Cymraeg Clir: at most 25 words).
        longest = max((s.counts.words for s in scored), default=None)
        met = None if longest is None else longest <= sentence_limit
        results.append(TargetResult("longest_sentence", sentence_limit, True, longest, met))
    return results
