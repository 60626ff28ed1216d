"""Readability for editors: honest scores, targets, and a proof that shows what to fix.

``readability_report(path, project)`` is the one call other features need; see
docs/readability.md for how the text is prepared and scored.
"""

from __future__ import annotations

from pathlib import Path

from leafpress.checks.readability.analyse import analyse
from leafpress.checks.readability.results import LeafletReadability, SectionResult, SentenceResult, TargetResult
from leafpress.core.model import Leaflet
from leafpress.core.project import Project
from leafpress.source.load import file_limits, load_yaml
from leafpress.source.validate import validate

__all__ = ["LeafletReadability", "SectionResult", "SentenceResult", "TargetResult", "analyse", "readability_report"]


def readability_report(path: Path, project: Project) -> LeafletReadability:
    """Load, validate and analyse one leaflet file, held to the project's limits; raises
    LeafpressError(s) for bad input."""
    with file_limits(project.config.limits):
        loaded = load_yaml(path)
        return analyse(loaded, validate(loaded, Leaflet), project)
