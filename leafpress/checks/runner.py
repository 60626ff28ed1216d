"""The ``check`` command's checks: readability and the other checks for each leaflet, as data.

Other checks plug in through ``EXTRA_CHECKS``: each gets the leaflet file and the project
and returns an ``ExtraCheck``, shown under its own heading and put in the JSON under its key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leafpress.checks.accessibility import accessibility_check
from leafpress.checks.easy_read import easy_read_check
from leafpress.checks.readability import LeafletReadability, readability_report
from leafpress.checks.readability.report import write_proof
from leafpress.checks.result import ExtraCheck
from leafpress.checks.translation import translation_check
from leafpress.core.errors import LeafpressError, LeafpressErrors
from leafpress.core.project import Project

LeafletCheck = Callable[[Path, Project], ExtraCheck]
EXTRA_CHECKS: list[LeafletCheck] = [accessibility_check, translation_check, easy_read_check]


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
            record["errors"] = [
                {
                    "line": e.location.line,
                    "column": e.location.column,
                    "message": e.message,
                    "hint": e.hint,
                    "text": str(e),
                }
                for e in self.errors
            ]
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


def check_all(sources: list[Path], project: Project, proof_dir: Path | None) -> list[CheckOutcome]:
    """Every check on each of ``sources``, in order."""
    return [check_leaflet(source, project, proof_dir) for source in sources]
