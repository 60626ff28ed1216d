"""Opening the project a command runs in: its folder and its config."""

from __future__ import annotations

from pathlib import Path

from leafpress.core.project import Project
from leafpress.source.config import load_config


def open_project(root: Path | None = None) -> Project:
    """The project rooted at ``root`` (default: the current folder)."""
    root = (root or Path.cwd()).resolve()
    return Project(root=root, config=load_config(root))
