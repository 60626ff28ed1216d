"""What ``check`` finds in one accessible PDF, measured once from its bytes and recordable.

The build has every PDF's bytes in memory, so it measures them there (the independent
validator's verdict, leafpress's own read-back with the format's smallest type, the words of
the text layer and the layout figures) and records the findings in the build manifest beside
the output's SHA-256. ``check`` then reuses them for a PDF that is, byte for byte, the one
measured, instead of parsing every page again; any other PDF is measured afresh. The words of
the text layer are kept rather than a fidelity share: the leaflet's own words are ``check``'s
to read, and comparing two word sets costs nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leafpress.core.errors import Location
from leafpress.pdf.conformance import RuleFailure, Verdict, validate_pdfua
from leafpress.pdf.layout import Layout, LayoutProblem, measure

if TYPE_CHECKING:
    from leafpress.pdf.inspect import Problem

# Bump when what is measured, or its shape, changes: findings recorded by another version are
# then measured again rather than trusted.
FINDINGS_VERSION = 1


@dataclass(frozen=True)
class OwnProblem:
    """A problem leafpress's own read-back found, without the place it is reported at."""

    message: str
    hint: str
    rule: str


@dataclass
class PdfFindings:
    sha256: str
    pdfua1: Verdict
    problems: list[OwnProblem]
    # The distinct words of the PDF's text layer, as screen readers, search and copy get them.
    words: list[str]
    layout: Layout

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FINDINGS_VERSION,
            "sha256": self.sha256,
            "pdfua1": self.pdfua1.to_json(),
            "problems": [vars(problem) for problem in self.problems],
            "words": self.words,
            "layout": self.layout.to_json(),
        }

    @classmethod
    def from_json(cls, data: Any) -> PdfFindings | None:
        """Findings recorded by :meth:`to_json`; None for anything else (another version, a hand edit)."""
        try:
            if data["version"] != FINDINGS_VERSION:
                return None
            verdict = data["pdfua1"]
            layout = data["layout"]
            findings = cls(
                sha256=str(data["sha256"]),
                pdfua1=Verdict(
                    str(verdict["validator"]),
                    bool(verdict["compliant"]),
                    [RuleFailure(str(f["rule"]), f["page"], str(f["message"])) for f in verdict["failures"]],
                ),
                problems=[OwnProblem(str(p["message"]), str(p["hint"]), str(p["rule"])) for p in data["problems"]],
                words=[str(word) for word in data["words"]],
                layout=Layout(
                    int(layout["pages"]),
                    [float(value) for value in layout["fill"]],
                    None if layout["nearest_edge_mm"] is None else float(layout["nearest_edge_mm"]),
                    [LayoutProblem(int(p["page"]), str(p["rule"]), str(p["message"])) for p in layout["problems"]],
                ),
            )
        except (KeyError, TypeError, ValueError):
            return None
        pages_ok = all(f.page is None or isinstance(f.page, int) for f in findings.pdfua1.failures)
        return findings if pages_ok and len(findings.layout.fill) == findings.layout.pages else None

    def located_problems(self, where: Path) -> list[Problem]:
        """The read-back's problems, reported at ``where``."""
        from leafpress.pdf.inspect import Problem  # pikepdf: only once a problem is to be shown

        return [Problem(Location(where), problem.message, problem.hint, problem.rule) for problem in self.problems]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def measure_pdf(pdf: bytes, min_font_pt: float | None) -> PdfFindings:
    """Everything ``check`` judges in ``pdf`` that the PDF alone decides (one PDFium read of its pages)."""
    from leafpress.pdf.inspect import check_pdf
    from leafpress.pdf.text_layer import TextLayer

    # pdftotext reads the text layer in its own process while this one judges the rest.
    with TextLayer(pdf) as text_layer:
        own = check_pdf(pdf, min_font_pt=min_font_pt)
        verdict = validate_pdfua(pdf)
        layout = measure(pdf)
        words = sorted(text_layer.words())
    return PdfFindings(
        sha256=sha256_bytes(pdf),
        pdfua1=verdict,
        problems=[OwnProblem(problem.message, problem.hint, problem.rule) for problem in own],
        words=words,
        layout=layout,
    )
