"""The editor's proof: ``output/<stem>.readability.html``, the leaflet's text with what to fix
highlighted and the scores of each section beside it. One self-contained, accessible HTML
file, opened straight from disk. The layout is the template ``readability.html.j2``, which
a project can override in its own ``templates/`` like any other."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from leafpress.build.write import READABILITY_PROOF_SUFFIX, output_name, write_atomic
from leafpress.checks.readability.results import TARGET_LABELS, LeafletReadability, SentenceResult
from leafpress.checks.readability.scoring import reading_age
from leafpress.core.project import Project
from leafpress.render.html import template_environment

PROOF_TEMPLATE = "readability.html.j2"
PROOF_SUFFIX = READABILITY_PROOF_SUFFIX


@dataclass
class Segment:
    """A run of a sentence's text; ``suggestion`` is set when it is a word to replace."""

    text: str
    suggestion: str | None = None


@dataclass
class ProofSentence:
    result: SentenceResult
    segments: list[Segment]
    classes: list[str]
    reasons: list[str]


def proof_sentence(result: SentenceResult, max_words: int) -> ProofSentence:
    """One sentence cut into plain runs and flagged words, with why it is highlighted."""
    segments, position = [], 0
    for match in result.words_to_replace:
        if match.start < position:
            continue
        if match.start > position:
            segments.append(Segment(result.text[position : match.start]))
        segments.append(Segment(result.text[match.start : match.end], match.suggestion))
        position = match.end
    if position < len(result.text):
        segments.append(Segment(result.text[position:]))
    classes, reasons = [], []
    if result.hard and result.grade is not None:
        classes.append("hard")
        reasons.append(
            f"hard to read: grade {result.grade:.1f}, reading age {reading_age(result.grade):.0f}; "
            "use shorter words or split it"
        )
    if result.long:
        classes.append("long")
        reasons.append(f"long: {result.counts.words} words (limit {max_words})")
    if result.passive:
        classes.append("passive")
        reasons.append(f"maybe passive: “{result.passive}”; say who does what")
    return ProofSentence(result, segments, classes, reasons)


def render_proof(report: LeafletReadability, project: Project) -> str:
    """The proof page as HTML (reusable: the live preview shows the same page)."""
    template = template_environment(project).get_template(PROOF_TEMPLATE)
    return template.render(
        report=report,
        proof=lambda s: proof_sentence(s, report.max_sentence_words),
        reading_age=reading_age,
        labels=TARGET_LABELS,
    )


def write_proof(
    report: LeafletReadability, project: Project, output_dir: Path, shared_inputs: str | None = None
) -> Path:
    """Write the proof page beside the leaflet's PDF: ``<output_dir>/<stem>.readability.html``.

    The page is a function of the report, the templates and leafpress alone: with
    ``shared_inputs`` (the digest of leafpress and the project's templates), a page already
    written from the same report and templates, as its first line records, is left as it is.
    """
    target = output_dir / output_name(report.source, PROOF_SUFFIX)
    stamp = b""
    if shared_inputs is not None:
        digest = hashlib.sha256(f"{shared_inputs}\0{report!r}".encode()).hexdigest()
        stamp = f"<!-- leafpress readability proof {digest} -->\n".encode()
        if _begins_with(target, stamp):
            return target
    html = render_proof(report, project)
    return write_atomic(stamp + html.encode("utf-8"), target, durable=False)


def _begins_with(path: Path, stamp: bytes) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with path.open("rb") as file:
            return file.read(len(stamp)) == stamp
    except OSError:
        return False
