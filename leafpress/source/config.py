"""Reading the project config, ``leafpress.yaml`` at the project root."""

from __future__ import annotations

from pathlib import Path

from leafpress.core.config import CONFIG_NAME, ProjectConfig
from leafpress.source.load import load_yaml
from leafpress.source.validate import validate


def load_config(project_dir: Path) -> ProjectConfig:
    """Read ``leafpress.yaml`` from ``project_dir``; the defaults when there is none."""
    path = project_dir / CONFIG_NAME
    if not path.is_file():
        return ProjectConfig()
    loaded = load_yaml(path, what="project config")
    config = validate(loaded, ProjectConfig)
    config._format_locations = [loaded.location(("formats", index)) for index in range(len(config.formats))]
    return config
