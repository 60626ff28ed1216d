"""The readability proof shown beside the pages: the project's readability report, as is.

The preview only lays the report out (``templates/proof.html.j2``); scoring, targets and
what to flag all live in ``leafpress.checks.readability``, so the proof here, ``check`` and the
proof page it writes always agree.
"""

from __future__ import annotations

from pathlib import Path

from leafpress.checks.readability import LeafletReadability
from leafpress.checks.readability import readability_report as analyse_file
from leafpress.checks.readability.report import proof_sentence
from leafpress.checks.readability.scoring import reading_age
from leafpress.checks.readability.syllables import textstat_syllables
from leafpress.core.project import Project

# What the proof template gets besides the report: sentence cut into flagged runs, US grade → age.
TEMPLATE_HELPERS = {"proof_sentence": proof_sentence, "reading_age": reading_age}


def readability_report(source: Path, project: Project) -> LeafletReadability:
    """Scores, targets and what to fix for the leaflet file ``source``; raises its errors as a build would."""
    return analyse_file(source, project)


def warm_up() -> None:
    """Load the pronouncing dictionary now (about a second), not on the editor's first save."""
    textstat_syllables("leaflet", "en")
