"""The preview's own pages, laid out with Jinja templates in ``preview/templates``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from leafpress import __version__
from leafpress.core.errors import LeafpressError
from leafpress.preview.builds import IndexEntry, LeafletBuild, preview_formats
from leafpress.preview.proof import TEMPLATE_HELPERS

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(version=__version__, formats=preview_formats, **TEMPLATE_HELPERS)
    env.filters["error_text"] = error_text
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def display_path(path: Path, root: Path) -> str:
    """``path`` as the editor knows it: from the project folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(root)) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


def error_text(error: LeafpressError, root: Path) -> str:
    """``path:line:column: message — hint``, with the path from the project folder."""
    where = error.location.place(display_path(error.location.path, root))
    text = f"{where}: {error.message}" + (f" — {error.hint}" if error.hint else "")
    return f"{text}\n{error.excerpt}" if error.excerpt else text


def render_workspace(build: LeafletBuild, root: Path) -> str:
    """The live part of a leaflet page: its printed pages and proof, or its errors."""
    return render("workspace.html.j2", build=build, root=root)


def render_index_rows(entries: list[IndexEntry]) -> str:
    return render("index_rows.html.j2", entries=entries)
