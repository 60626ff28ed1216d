"""The project a build runs in: its folder, config, templates and styles.

Like MkDocs and Pelican, the project is the current folder. Its ``templates/`` and
``styles/`` override leafpress's built-in theme file by file, and where the folder has
none, the built-in theme and defaults are used, so a leaflet builds from anywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: the output formats use this module before any config is read
    from leafpress.core.config import ProjectConfig

THEME_DIR = Path(__file__).resolve().parents[1] / "theme"
BASE_STYLESHEET = "leaflet.css"
# Fonts by language and right-to-left mirroring, loaded after the base style.
LANGUAGE_STYLESHEET = "languages.css"


@dataclass(frozen=True)
class Project:
    root: Path
    config: ProjectConfig

    @property
    def template_dirs(self) -> list[Path]:
        """Where templates are looked up, the project's own first."""
        return [d for d in (self.root / "templates", THEME_DIR / "templates") if d.is_dir()]

    @property
    def leaflet_dir(self) -> Path:
        return self.root / "leaflets"

    def stylesheets(self) -> list[Path]:
        """The built-in base and language stylesheets (or the project's files of those names), then the others."""
        own = self.root / "styles"
        built_in = (BASE_STYLESHEET, LANGUAGE_STYLESHEET)
        sheets = [own / name if (own / name).is_file() else THEME_DIR / "styles" / name for name in built_in]
        if own.is_dir():
            sheets += sorted(p for p in own.glob("*.css") if p.name not in built_in)
        return sheets

    def leaflet_files(self) -> list[Path]:
        """Every leaflet in ``leaflets/``, in name order."""
        if not self.leaflet_dir.is_dir():
            return []
        found = {*self.leaflet_dir.glob("*.yaml"), *self.leaflet_dir.glob("*.yml")}
        return sorted(p.relative_to(self.root) if p.is_relative_to(self.root) else p for p in found)

    def leaflets_in_subfolders(self, limit: int = 5, max_folders: int = 200) -> list[Path]:
        """Up to ``limit`` YAML files in folders under ``leaflets/``, which a build of every leaflet
        does not search: named so that a leaflet filed in a subfolder is not left out unsaid.
        Links are not followed and at most ``max_folders`` folders are looked in."""
        found: list[Path] = []
        for count, (folder, subfolders, names) in enumerate(os.walk(self.leaflet_dir)):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            if count == 0:
                continue  # leaflets/ itself: those are built
            found += [Path(folder, name) for name in sorted(names) if name.endswith((".yaml", ".yml"))]
            if len(found) >= limit or count >= max_folders:
                break
        return [p.relative_to(self.root) if p.is_relative_to(self.root) else p for p in found[:limit]]
