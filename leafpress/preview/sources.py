"""Which files in a project are leaflets the preview may show, and under what names.

Only files that really live inside the project are listed: a symlink in ``leaflets/``
that points elsewhere is left out, so the preview never shows a line of an outside file.
"""

from __future__ import annotations

from pathlib import Path

LEAFLET_DIR = "leaflets"
LEAFLET_SUFFIXES = (".yaml", ".yml")


def leaflet_sources(root: Path) -> dict[str, Path]:
    """Leaflet file name → path relative to ``root`` (as errors and the CLI name it), in name order."""
    folder = root / LEAFLET_DIR
    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in LEAFLET_SUFFIXES or path.name.startswith("."):
            continue
        if not path.is_file() or not path.resolve().is_relative_to(root.resolve()):
            continue
        found[path.name] = path.relative_to(root)
    return found


def is_leaflet_file(path: Path, root: Path) -> bool:
    """Whether ``path`` (absolute) is a leaflet file of the project rooted at ``root``."""
    return path.parent == root / LEAFLET_DIR and path.suffix.lower() in LEAFLET_SUFFIXES
