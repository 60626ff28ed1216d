"""The readability line a build prints for each leaflet it built.

It loads the readability scoring only: the build's workers do the rest, and a parallel build's own
process stays free for them.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from leafpress.checks.readability import readability_report
from leafpress.checks.readability.scoring import TOO_SHORT, reading_age
from leafpress.core.errors import LeafpressError, LeafpressErrors, LeafpressWarning, internal_error, visible
from leafpress.core.project import Project


def print_build_summary(source: Path, project: Project, err: Console, strict: bool) -> bool:
    """One line of readability for a built leaflet; True when it meets its targets.

    Whatever goes wrong here never stops the build: it is one warning naming the leaflet, and
    the leaflet is taken to meet its targets unless ``strict`` (which cannot then vouch for it).
    """
    try:
        report = readability_report(source, project)
    except (LeafpressError, LeafpressErrors) as exc:
        errors = exc.errors if isinstance(exc, LeafpressErrors) else [exc]
        others = [error for error in errors if error.location.path != source]
        if not others:
            return True  # the build has already reported what is wrong with the leaflet file
        _no_summary(source, err, strict, "; ".join(str(error) for error in others))
        return not strict
    except Exception as exc:  # a bug in leafpress or a library: this leaflet's line only
        _no_summary(source, err, strict, internal_error(exc))
        return not strict
    parts = []
    for target in report.targets:
        if target.too_short:
            parts.append(f"{target.label} {TOO_SHORT}")
        if target.value is None:
            continue
        age = f", age {reading_age(target.value):.0f}" if target.name in report.reading_ages else ""
        mark = "" if target.met else " MISS"
        parts.append(f"{target.label} {target.value:.1f}{age}{mark}")
    if not report.language.counts_words:
        parts.insert(0, f"{report.language.name} is written without spaces between words, so its words are not counted")
    elif report.language.note and not report.scores:
        parts.insert(0, f"no formulas for {report.language.name}")
    verdict = "meets targets" if report.meets_targets else ("FAILS targets (--strict)" if strict else "misses targets")
    style = "green" if report.meets_targets else ("red" if strict else "yellow")
    if not report.scored:  # nothing judged: nothing met, nothing missed
        verdict, style = "not scored", "yellow"
    hint = "" if report.meets_targets else f" — see: leafpress check {source}"
    err.print(
        Text.assemble(
            ("readability ", "dim"),
            visible(f"{source}: "),
            (verdict, style),
            visible(" — " + "; ".join(parts)),
            (hint, "dim"),
        )
    )
    return report.meets_targets


def _no_summary(source: Path, err: Console, strict: bool, why: str) -> None:
    outcome = "the leaflet fails (--strict)" if strict else "the leaflet is built"
    warning = LeafpressWarning(f"no readability line, {outcome}: {why}")
    err.print(Text(visible(warning.render(source)), style="red" if strict else "yellow"))
