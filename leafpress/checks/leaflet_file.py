"""A leaflet file read once per ``check`` run, shared by every check of it.

Reading is loading the YAML (with the project's size limit) and validating it against the
leaflet model; the checks used to do this once each. A file that cannot be read or validated
keeps its errors here and each check says nothing more about it (``check`` reports them once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leafpress.core.errors import LeafpressError, LeafpressErrors
from leafpress.core.model import Leaflet
from leafpress.core.project import Project
from leafpress.source.load import Loaded, file_limits, load_yaml
from leafpress.source.validate import validate


@dataclass(frozen=True)
class LeafletFile:
    source: Path
    loaded: Loaded | None
    leaflet: Leaflet | None
    errors: list[LeafpressError] = field(default_factory=list)


def read_leaflet(source: Path, project: Project) -> LeafletFile:
    """``source`` loaded and validated, or the errors that stopped it."""
    try:
        with file_limits(project.config.limits):
            loaded = load_yaml(source)
    except LeafpressError as exc:
        return LeafletFile(source, None, None, [exc])
    try:
        return LeafletFile(source, loaded, validate(loaded, Leaflet))
    except LeafpressErrors as exc:
        return LeafletFile(source, loaded, None, list(exc.errors))
    except LeafpressError as exc:
        return LeafletFile(source, loaded, None, [exc])
