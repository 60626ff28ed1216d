"""Opening the project a command runs in: its folder and its config."""

from __future__ import annotations

from pathlib import Path

from leafpress.core.errors import LeafpressError, Location
from leafpress.core.names import CONFIG_NAME
from leafpress.core.project import Project


def open_project(root: Path | None = None) -> Project:
    """The project rooted at ``root`` (default: the current folder)."""
    root = (root or Path.cwd()).resolve()
    from leafpress.source.config import load_config  # pydantic's models load when a project is opened

    return Project(root=root, config=load_config(root))


def refuse_link_out(source: Path, root: Path) -> None:
    """Refuse a leaflet in the project that is a symbolic link to a file outside it.

    Such a link would build an outside file as if it were the project's, and make its folder a
    place images may be read from. A file named outside the project on the command line is the
    user's own choice and is not refused here.
    """
    path = source if source.is_absolute() else Path.cwd() / source
    if not path.parent.resolve().is_relative_to(root):
        return
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a broken link or a loop: loading it says so
        return
    if not real.is_relative_to(root):
        raise LeafpressError(
            Location(source),
            f"this leaflet is a link to {real}, outside the project folder {root}",
            "copy the file into the project instead of linking to it",
        )


def find_root(start: Path) -> Path:
    """The nearest folder from ``start`` upwards that holds ``leafpress.yaml``, as git finds its
    repository; ``start`` itself when none does (a project of defaults)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return start
