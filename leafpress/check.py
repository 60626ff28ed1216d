"""The ``check`` command: readability for each leaflet, as readable tables or as JSON for CI.

Other checks plug in through ``EXTRA_CHECKS``: each gets the leaflet file and the project
and returns an ``ExtraCheck``, shown under its own heading and put in the JSON under its key.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from leafpress.accessibility import accessibility_check
from leafpress.errors import LeafpressError, LeafpressErrors
from leafpress.project import Project
from leafpress.readability import LeafletReadability, readability_report
from leafpress.readability.report import write_proof
from leafpress.readability.results import TARGET_LABELS
from leafpress.readability.scoring import reading_age

LIST_LIMIT = 10


@dataclass
class ExtraCheck:
    """The result of a check other than readability, for one leaflet."""

    key: str  # its key in the JSON record, e.g. "accessibility"
    title: str  # its heading in the table view
    passed: bool
    data: Any  # JSON-ready
    lines: list[str] = field(default_factory=list)  # what to tell the reader, one problem per line


LeafletCheck = Callable[[Path, Project], ExtraCheck]
EXTRA_CHECKS: list[LeafletCheck] = [accessibility_check]


@dataclass
class CheckOutcome:
    file: str
    readability: LeafletReadability | None = None
    proof: Path | None = None
    errors: list[LeafpressError] = field(default_factory=list)
    extra: list[ExtraCheck] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        readable = self.readability is not None and self.readability.meets_targets
        return not self.errors and readable and all(check.passed for check in self.extra)

    def to_json(self) -> dict[str, Any]:
        if self.readability is None:
            record: dict[str, Any] = {"file": self.file, "meets_targets": False}
        else:
            record = self.readability.to_json(self.file)
            record["proof"] = str(self.proof) if self.proof else None
        if self.errors:
            record["errors"] = [{"line": e.location.line, "column": e.location.column, "message": e.message,
                                 "hint": e.hint, "text": str(e)} for e in self.errors]
        for check in self.extra:
            record[check.key] = check.data
        record["passed"] = self.passed
        return record


def check_leaflet(source: Path, project: Project, proof_dir: Path | None) -> CheckOutcome:
    """Every check on one leaflet; a broken file gives errors, never an exception."""
    outcome = CheckOutcome(file=str(source))
    try:
        outcome.readability = readability_report(source, project)
        if proof_dir is not None:
            outcome.proof = write_proof(outcome.readability, project, proof_dir)
    except LeafpressErrors as exc:
        outcome.errors = exc.errors
    except LeafpressError as exc:
        outcome.errors = [exc]
    # Other checks run on a broken file too: a missing alt text is both an error and theirs to place.
    outcome.extra = [check(source, project) for check in EXTRA_CHECKS]
    return outcome


def run_check(sources: list[Path], project: Project, proof_dir: Path | None, as_json: bool,
              out: Console, err: Console) -> int:
    """Check ``sources``, print the result, and return the exit code (1 when any leaflet fails)."""
    outcomes = [check_leaflet(source, project, proof_dir) for source in sources]
    if as_json:
        out.file.write(json.dumps({"leaflets": [o.to_json() for o in outcomes]}, indent=2, ensure_ascii=False))
        out.file.write("\n")
    for outcome in outcomes:
        for error in outcome.errors:
            err.print(error.render(), markup=False)
        if not as_json and outcome.readability is not None:
            print_outcome(outcome, out)
        elif not as_json:
            for check in outcome.extra:
                _print_list(out, f"{outcome.file} — {check.title}: {'passed' if check.passed else 'problems found'}",
                            check.lines)
    failed = sum(not o.passed for o in outcomes)
    if not as_json:
        style = "red" if failed else "green"
        out.print(Text(f"{len(outcomes) - failed} of {len(outcomes)} leaflet(s) passed.", style=style))
    return 1 if failed else 0


def print_outcome(outcome: CheckOutcome, out: Console) -> None:
    report = outcome.readability
    assert report is not None
    out.print()
    out.rule(Text(f"{outcome.file} — {report.title} ({report.language.tag})", style="bold"), align="left")
    if report.language.note:
        out.print(Text(report.language.note, style="yellow"))
    out.print(score_table(report))
    counts = report.counts
    out.print(f"{counts.words} words in {counts.sentences} sentences; "
              f"{counts.polysyllable_share:.0%} of words have three or more syllables.")
    if report.hard_sentences:
        out.print(hard_sentence_table(report))
    _print_list(out, f"Sentences over {report.max_sentence_words} words",
                [f"line {s.line}: {s.counts.words} words — {_shorten(s.text)}" for s in report.long_sentences])
    _print_list(out, "Words with plainer alternatives",
                [f"line {m.line}: {m.word} → {m.suggestion}" for _, m in report.words_to_replace])
    _print_list(out, "Likely passive voice (a hint, not a failure)",
                [f"line {s.line}: “{s.passive}” — {_shorten(s.text)}" for s in report.passive_sentences])
    met = [i for i in report.checklist if i.met]
    applicable = [i for i in report.checklist if i.met is not None]
    _print_list(out, f"Structure checklist: {len(met)} of {len(applicable)} met ({report.checklist_percent:.0f}%)",
                [f"not met: {i.label}{' — ' + i.detail if i.detail else ''}" for i in applicable if not i.met])
    for check in outcome.extra:
        _print_list(out, f"{check.title}: {'passed' if check.passed else 'problems found'}", check.lines)
    if outcome.proof:
        out.print(f"Proof with highlights: {outcome.proof}")


def score_table(report: LeafletReadability) -> Table:
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for column, justify in (("Measure", "left"), ("Score", "right"), ("Reading age", "right"),
                            ("Target", "right"), ("Result", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    targets = {target.name: target for target in report.targets}
    names = [*report.scores, "average_sentence_length"]
    for name in names:
        target = targets.get(name)
        value = report.scores.get(name, report.counts.average_sentence_length if name == "average_sentence_length"
                                  else None)
        age = f"{reading_age(value):.0f}" if name in report.reading_ages and value is not None else ""
        result = Text("no target", style="dim") if target is None else \
            Text("not scored", style="yellow") if target.met is None else \
            Text("pass", style="green") if target.met else Text("MISS", style="bold red")
        label = TARGET_LABELS.get(name, name)
        shown = "—" if value is None else f"{value:.1f}"
        table.add_row(label, shown, age, target.wanted if target else "", result)
    return table


def hard_sentence_table(report: LeafletReadability) -> Table:
    table = Table(title="Hardest sentences", title_justify="left", show_edge=False, pad_edge=False,
                  header_style="bold")
    table.add_column("Line", justify="right")
    table.add_column("Grade (age)", justify="right")
    table.add_column("Sentence")
    for sentence in report.hard_sentences:
        grade = "" if sentence.grade is None else f"{sentence.grade:.1f} ({reading_age(sentence.grade):.0f})"
        table.add_row(str(sentence.line), grade, sentence.text)
    return table


def _print_list(out: Console, title: str, lines: list[str]) -> None:
    if not lines and "checklist" not in title:
        return
    out.print(Text(title, style="bold"))
    for line in lines[:LIST_LIMIT]:
        out.print(Text(f"  {line}"))
    if len(lines) > LIST_LIMIT:
        out.print(Text(f"  … and {len(lines) - LIST_LIMIT} more (see the proof page or --json)", style="dim"))


def _shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def print_build_summary(source: Path, project: Project, err: Console, strict: bool) -> bool:
    """One line of readability for a built leaflet; True when it meets its targets."""
    try:
        report = readability_report(source, project)
    except (LeafpressError, LeafpressErrors):
        return True  # the build has already reported what is wrong with the file
    parts = []
    for target in report.targets:
        if target.value is None:
            continue
        age = f", age {reading_age(target.value):.0f}" if target.name in report.reading_ages else ""
        mark = "" if target.met else " MISS"
        parts.append(f"{target.label} {target.value:.1f}{age}{mark}")
    if report.language.note and not report.scores:
        parts.insert(0, f"no formulas for {report.language.name}")
    verdict = "meets targets" if report.meets_targets else ("FAILS targets (--strict)" if strict else "misses targets")
    style = "green" if report.meets_targets else ("red" if strict else "yellow")
    hint = "" if report.meets_targets else f" — see: leafpress check {source}"
    err.print(Text.assemble(("readability ", "dim"), f"{source}: ", (verdict, style), " — " + "; ".join(parts),
                            (hint, "dim")))
    return report.meets_targets
