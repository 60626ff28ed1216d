"""A leaflet file made ready to lay out: load → validate → link its translation → enrich → review policy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from leafpress.core.model import Leaflet
from leafpress.core.project import Project
from leafpress.enrich.document import Document
from leafpress.enrich.leaflet import enrich
from leafpress.enrich.review import apply_overdue_policy, today
from leafpress.source.load import load_yaml
from leafpress.source.translations import link as link_translation
from leafpress.source.validate import validate


def prepare(source: Path, project: Project, on: dt.date | None = None) -> Document:
    """Load, validate and enrich one leaflet file, as of the day ``on`` (default: today)."""
    loaded = load_yaml(source, max_bytes=project.config.limits.max_file_bytes)
    leaflet = validate(loaded, Leaflet)
    leaflet, translation_warnings = link_translation(loaded, leaflet)
    document = enrich(loaded, leaflet, project.config, project.root)
    document.warnings += translation_warnings
    apply_overdue_policy(loaded, document, project.config, on or today())
    return document
