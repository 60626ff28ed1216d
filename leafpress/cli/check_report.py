"""What ``check`` and a build print about readability and the other checks: tables, lists and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from leafpress.checks.readability import LeafletReadability
from leafpress.checks.readability.results import TARGET_LABELS
from leafpress.checks.readability.scoring import TOO_SHORT, reading_age
from leafpress.checks.runner import CheckOutcome, check_all
from leafpress.core.errors import (
    visible,
    visible_json,
)
from leafpress.core.project import Project

LIST_LIMIT = 10


def run_check(
    sources: list[Path],
    project: Project,
    proof_dir: Path | None,
    as_json: bool,
    out: Console,
    err: Console,
    jobs: int | None = None,
) -> int:
    """Check ``sources``, print the result, and return the exit code (1 when any leaflet fails).

    ``proof_dir`` is the output folder: built PDFs are looked for there, and the readability
    proofs and accessibility reports are written there.
    """
    outcomes = check_all(sources, project, proof_dir, jobs)
    if as_json:
        report = json.dumps({"leaflets": [o.to_json() for o in outcomes]}, indent=2, ensure_ascii=False)
        out.file.write(visible_json(report))
        out.file.write("\n")
    for outcome in outcomes:
        for error in outcome.errors:
            err.print(error.render(), markup=False)
        if not as_json and outcome.readability is not None:
            print_outcome(outcome, out)
        elif not as_json:
            for check in outcome.extra:
                _print_list(
                    out,
                    f"{outcome.file} — {check.title}: {'passed' if check.passed else 'problems found'}",
                    check.lines,
                )
    failed = sum(not o.passed for o in outcomes)
    if not as_json:
        style = "red" if failed else "green"
        out.print(Text(f"{len(outcomes) - failed} of {len(outcomes)} leaflet(s) passed.", style=style))
    return 1 if failed else 0


def print_outcome(outcome: CheckOutcome, out: Console) -> None:
    report = outcome.readability
    assert report is not None
    out.print()
    out.rule(Text(visible(f"{outcome.file} — {report.title} ({report.language.tag})"), style="bold"), align="left")
    if report.language.note:
        out.print(Text(report.language.note, style="yellow"))
    out.print(score_table(report))
    out.print(report.counts_summary)
    if report.hard_sentences:
        out.print(hard_sentence_table(report))
    _print_list(
        out,
        f"Sentences over {report.max_sentence_words} words",
        [f"line {s.line}: {s.counts.words} words — {_shorten(s.text)}" for s in report.long_sentences],
    )
    _print_list(
        out,
        "Words with plainer alternatives",
        [f"line {m.line}: {m.word} → {m.suggestion}" for _, m in report.words_to_replace],
    )
    _print_list(
        out,
        "Likely passive voice (a hint, not a failure)",
        [f"line {s.line}: “{s.passive}” — {_shorten(s.text)}" for s in report.passive_sentences],
    )
    met = [i for i in report.checklist if i.met]
    applicable = [i for i in report.checklist if i.met is not None]
    _print_list(
        out,
        f"Structure checklist: {len(met)} of {len(applicable)} met ({report.checklist_percent:.0f}%)",
        [f"not met: {i.label}{' — ' + i.detail if i.detail else ''}" for i in applicable if not i.met],
    )
    for check in outcome.extra:
        verdict = f"{check.title}: {'passed' if check.passed else 'problems found'}"
        if check.scope and not check.lines:  # a pass says what it looked at
            out.print(Text.assemble((verdict, "bold"), visible(f" — {check.scope}")))
            continue
        _print_list(out, verdict + (f" — {check.scope}" if check.scope else ""), check.lines)
    if outcome.proof:
        out.print(f"Proof with highlights: {outcome.proof}")


def score_table(report: LeafletReadability) -> Table:
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for column, justify in (
        ("Measure", "left"),
        ("Score", "right"),
        ("Reading age", "right"),
        ("Target", "right"),
        ("Result", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    targets = {target.name: target for target in report.targets}
    # Scores, then the targets that are not scores (sentence lengths).
    names = list(dict.fromkeys([*report.scores, *report.too_short, *targets]))
    for name in names:
        target = targets.get(name)
        value = report.scores.get(name, target.value if target else None)
        age = f"{reading_age(value):.0f}" if name in report.reading_ages and value is not None else ""
        result = (
            Text(TOO_SHORT, style="yellow")
            if name in report.too_short
            else Text("no target", style="dim")
            if target is None
            else Text("not scored", style="yellow")
            if target.met is None
            else Text("pass", style="green")
            if target.met
            else Text("MISS", style="bold red")
        )
        label = TARGET_LABELS.get(name, name)
        shown = "—" if value is None else f"{value:.1f}"
        table.add_row(label, shown, age, target.wanted if target else "", result)
    return table


def hard_sentence_table(report: LeafletReadability) -> Table:
    table = Table(title="Hardest sentences", title_justify="left", show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Line", justify="right")
    table.add_column("Grade (age)", justify="right")
    table.add_column("Sentence")
    scored = "flesch_kincaid_grade" in report.language.formulas
    for sentence in report.hard_sentences:
        grade = (
            f"{sentence.grade:.1f} ({reading_age(sentence.grade):.0f})"
            if sentence.grade is not None
            else (TOO_SHORT if scored else "")
        )
        table.add_row(str(sentence.line), grade, sentence.text)
    return table


def _print_list(out: Console, title: str, lines: list[str]) -> None:
    if not lines and "checklist" not in title:
        return
    out.print(Text(visible(title), style="bold"))
    for line in lines[:LIST_LIMIT]:
        out.print(Text(visible(f"  {line}")))
    if len(lines) > LIST_LIMIT:
        out.print(Text(f"  … and {len(lines) - LIST_LIMIT} more (see the proof page or --json)", style="dim"))


def _shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
