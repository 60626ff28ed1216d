"""Easy Read rules, checked on a leaflet's ``easy_read:`` version, each problem at its line.

From the Easy Read guidance UK charities publish: every row has a picture that shows its idea
(with alt text), no sentence is over 15 words, a hard word (one on the plain-words list) is
explained in ``words:``, nothing is printed under 16 pt, and the text reads at a lower grade
than a standard leaflet (the same scoring as ``check``, with stricter targets).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from leafpress.checks.leaflet_file import LeafletFile, read_leaflet
from leafpress.checks.readability.scoring import Counts, Scorer, flesch_kincaid_grade, language_support
from leafpress.checks.readability.sentences import plain, split_sentences
from leafpress.checks.readability.words import plain_words
from leafpress.checks.result import ExtraCheck
from leafpress.core.model import EasyRead
from leafpress.core.project import Project
from leafpress.source.load import Loaded
from leafpress.source.translations import named_language

MAX_SENTENCE_WORDS = 15
# Stricter than a standard leaflet's targets (grade 6, 20 words): about a reading age of 9.
MAX_GRADE = 4.0
MAX_AVERAGE_SENTENCE_WORDS = 10.0
MIN_FONT_PT = 16.0


@dataclass(frozen=True)
class EasyReadProblem:
    line: int
    column: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def easy_read_problems(
    loaded: Loaded, easy_read: EasyRead, project_root: Path | None, words_counted: bool = True
) -> list[EasyReadProblem]:
    """Every break of the Easy Read rules in ``easy_read``, in line order; sentence length only
    where words are counted (not in Chinese, Japanese, Thai…: see readability's scoring)."""
    problems: list[EasyReadProblem] = []
    explained = {" ".join(word.word.lower().split()) for word in easy_read.words}
    hard_words = plain_words(project_root)

    def problem(key: tuple[str | int, ...], rule: str, message: str) -> None:
        where = loaded.location(("easy_read", *key))
        problems.append(EasyReadProblem(where.line, where.column, rule, message))

    for index, row in enumerate(easy_read.rows):
        if row.heading is not None:
            continue
        if not row.picture:
            problem(("rows", index), "picture", "this row has no picture: add 'picture:' that shows its idea")
        text = plain(row.text or "")
        for start, end in split_sentences(text):
            words = text[start:end].split()
            if words_counted and len(words) > MAX_SENTENCE_WORDS:
                problem(
                    ("rows", index, "text"),
                    "sentence-length",
                    f"a sentence of {len(words)} words (at most {MAX_SENTENCE_WORDS}): "
                    f"“{' '.join(words[:8])} …” — split it in two",
                )
        for match in hard_words.find(text):
            if match.entry not in explained:
                problem(
                    ("rows", index, "text"),
                    "hard-word",
                    f"“{match.word}” is a hard word: explain it in 'words:' (or say “{match.suggestion}”)",
                )
                explained.add(match.entry)  # once per word is enough
    return sorted(problems, key=lambda p: (p.line, p.column))


def easy_read_scores(easy_read: EasyRead, language: str) -> dict[str, Any]:
    """Reading grade and sentence length of the Easy Read text, against the stricter targets."""
    support = language_support(language)
    scorer = Scorer(support)
    total = Counts()
    for row in easy_read.rows:
        text = plain(row.text or "")
        for start, end in split_sentences(text):
            total = total + scorer.count(text[start:end])
    average = total.words / total.sentences if total.sentences else 0.0
    grade = flesch_kincaid_grade(total, support.textstat_lang) if "flesch_kincaid_grade" in support.formulas else None
    counted = support.counts_words  # words split at spaces are phrases where there are none between words
    return {
        "words": total.words if counted else None,
        "sentences": total.sentences,
        "average_sentence_length": round(average, 1) if counted else None,
        "flesch_kincaid_grade": None if grade is None else round(grade, 1),
        "targets": {"flesch_kincaid_grade": MAX_GRADE, "average_sentence_length": MAX_AVERAGE_SENTENCE_WORDS},
    }


def _score_problems(scores: dict[str, Any]) -> list[str]:
    found = []
    if scores["flesch_kincaid_grade"] is not None and scores["flesch_kincaid_grade"] > MAX_GRADE:
        found.append(
            f"the Easy Read text reads at grade {scores['flesch_kincaid_grade']:.1f} "
            f"(target ≤ {MAX_GRADE:g}): use shorter, everyday words"
        )
    if scores["average_sentence_length"] is not None and scores["average_sentence_length"] > MAX_AVERAGE_SENTENCE_WORDS:
        found.append(
            f"sentences average {scores['average_sentence_length']:.1f} words "
            f"(target ≤ {MAX_AVERAGE_SENTENCE_WORDS:g}): one idea per sentence"
        )
    return found


def easy_read_check(source: Path, project: Project, read: LeafletFile | None = None) -> ExtraCheck:
    """The Easy Read part of ``leafpress check``: for a leaflet with an ``easy_read:`` version."""
    read = read or read_leaflet(source, project)
    loaded, leaflet = read.loaded, read.leaflet
    if loaded is None or leaflet is None:
        return ExtraCheck("easy_read", "Easy Read", True, None)  # the other checks report the errors
    if leaflet.easy_read is None:
        return ExtraCheck("easy_read", "Easy Read", True, None)
    language = leaflet.language or named_language(loaded.path) or project.config.language
    support = language_support(language)
    problems = easy_read_problems(loaded, leaflet.easy_read, project.root, support.counts_words)
    scores = easy_read_scores(leaflet.easy_read, language)
    size_problems = _size_problems(project)
    lines = [f"{source}:{p.line}:{p.column}: {p.message}" for p in problems]
    lines += _score_problems(scores) + size_problems
    data = {
        "rows": len(leaflet.easy_read.rows),
        "problems": [asdict(p) for p in problems],
        "scores": scores,
        "font_size_problems": size_problems,
        "passed": not lines,
    }
    scope = (
        ""
        if support.counts_words
        else f"sentence length not judged: {support.name} is written without spaces between words"
    )
    return ExtraCheck("easy_read", "Easy Read", not lines, data, lines, scope)


def _size_problems(project: Project) -> list[str]:
    """Type under 16 pt in the Easy Read stylesheets (the built PDF is measured by the build)."""
    from leafpress.checks.accessibility import check_theme
    from leafpress.formats import get_format, stylesheets_for

    fmt = get_format("easy-read")
    return [str(problem) for problem in check_theme(stylesheets_for(fmt, project), fmt) if problem.rule == "font-size"]
