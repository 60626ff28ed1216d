"""A leaflet file made ready to lay out: load → validate → link its translation → enrich → review policy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from leafpress.core.config import ProjectConfig
from leafpress.core.days import today
from leafpress.core.errors import LeafpressError, LeafpressWarning
from leafpress.core.model import Leaflet
from leafpress.core.project import Project
from leafpress.enrich.document import Document
from leafpress.enrich.leaflet import enrich
from leafpress.enrich.review import apply_overdue_policy
from leafpress.source.load import Loaded, file_limits, load_yaml
from leafpress.source.project import refuse_link_out
from leafpress.source.translations import link as link_translation
from leafpress.source.units import translation_staleness
from leafpress.source.validate import validate


def prepare(source: Path, project: Project, on: dt.date | None = None) -> Document:
    """Load, validate and enrich one leaflet file, as of the day ``on`` (default: today)."""
    refuse_link_out(source, project.root)
    with file_limits(project.config.limits):
        loaded = load_yaml(source)
    return prepare_read(loaded, validate(loaded, Leaflet), project, on)


def prepare_read(loaded: Loaded, leaflet: Leaflet, project: Project, on: dt.date | None = None) -> Document:
    """The rest of :func:`prepare` for a leaflet file already loaded and validated (``check`` reads it once)."""
    with file_limits(project.config.limits):  # its translation's source is held to them too
        leaflet, translation_warnings = link_translation(loaded, leaflet)
        document = enrich(loaded, leaflet, project.config, project.root)
        document.warnings += translation_warnings
        apply_overdue_policy(loaded, document, project.config, on or today())
        apply_stale_translation_policy(loaded, document, project.config)
    return document


def apply_stale_translation_policy(loaded: Loaded, document: Document, config: ProjectConfig) -> None:
    """Warn about, mark, or refuse a translation whose source changed since it was translated."""
    staleness = translation_staleness(loaded.path, document.leaflet)
    if staleness is None or not staleness.stale:
        return
    shown = ", ".join(staleness.stale[:6]) + (" …" if len(staleness.stale) > 6 else "")
    message = f"translation out of date: {len(staleness.stale)} unit(s) changed in {staleness.source.name} ({shown})"
    hint = f"send them to the translator: leafpress translations export {staleness.source} --to {document.language}"
    policy = config.translation.stale_policy
    if policy == "refuse":
        raise LeafpressError(loaded.location(("translated_units",)), message, hint)
    if policy == "watermark":
        document.marks.append(document.labels["translation_stale_mark"])
    document.warnings.append(LeafpressWarning(f"{message} — {hint}", loaded.location(("translated_units",))))
