"""Is a translation up to date with its source? Lists the units whose source text has changed."""

from __future__ import annotations

from pathlib import Path

from leafpress.checks.leaflet_file import LeafletFile, read_leaflet
from leafpress.checks.result import ExtraCheck
from leafpress.core.errors import LeafpressError, LeafpressErrors
from leafpress.core.model import Leaflet
from leafpress.core.project import Project
from leafpress.source.load import load_yaml
from leafpress.source.units import translation_staleness, translation_units
from leafpress.source.validate import validate


def translation_check(source: Path, project: Project, read: LeafletFile | None = None) -> ExtraCheck:
    """For a translation: its stale units (a stale unit fails the check); for an original: nothing to say."""
    leaflet = (read or read_leaflet(source, project)).leaflet
    if leaflet is None:
        return ExtraCheck("translation", "Translation", True, None)  # the other checks report the errors
    staleness = translation_staleness(source, leaflet)
    if staleness is None:
        return ExtraCheck("translation", "Translation", True, None)
    try:
        source_units = {u.id: u for u in translation_units(validate(load_yaml(staleness.source), Leaflet))}
    except (LeafpressError, LeafpressErrors):
        source_units = {}
    stale = [
        {"unit": unit_id, "source_text": source_units[unit_id].text if unit_id in source_units else None}
        for unit_id in staleness.stale
    ]
    lines = [f"stale: {item['unit']} — the source now says: {item['source_text']}" for item in stale]
    if not staleness.tracked:
        lines.append("not tracked: import it from XLIFF (leafpress translations import) to see stale units")
    data = {"source": str(staleness.source), "tracked": staleness.tracked, "stale_units": stale}
    return ExtraCheck("translation", "Translation", not stale, data, lines)
