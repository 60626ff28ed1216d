"""Output formats, one module each: every kind of reader from the one YAML source.

The NHS Accessible Information Standard asks for information in the format a person needs.
Each module in this package defines ``FORMAT``, a :class:`~leafpress.formats.base.Format`
with its ``render()``; adding a format is adding a module. The pipeline builds one
(leaflet, format) per call: load → validate → enrich → HTML → ``format.render`` → write.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from leafpress.core.errors import LeafpressError, Location
from leafpress.core.names import DEFAULT_FORMAT
from leafpress.core.project import THEME_DIR, Project
from leafpress.formats.base import Format, RenderContext

__all__ = [
    "DEFAULT_FORMAT",
    "FORMATS",
    "FORMAT_NAMES",
    "Format",
    "RenderContext",
    "chosen_formats",
    "get_format",
    "stylesheets_for",
]

_NOT_FORMATS = {"base"}


def _discover() -> dict[str, Format]:
    found: list[Format] = []
    for module in pkgutil.iter_modules(__path__):
        if module.name in _NOT_FORMATS or module.name.startswith("_"):
            continue
        fmt = getattr(importlib.import_module(f"{__name__}.{module.name}"), "FORMAT", None)
        if isinstance(fmt, Format):
            found.append(fmt)
    return {fmt.name: fmt for fmt in sorted(found, key=lambda f: (f.order, f.name))}


FORMATS: dict[str, Format] = _discover()
FORMAT_NAMES: tuple[str, ...] = tuple(FORMATS)


def get_format(name: str | Format) -> Format:
    """The format called ``name`` (a Format is passed through)."""
    if isinstance(name, Format):
        return name
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format '{name}'; choose from {', '.join(FORMAT_NAMES)}") from None


def chosen_formats(project: Project, requested: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The formats to build: ``requested`` (from the command line), else the project config's.

    An unknown name in ``leafpress.yaml`` is an error at its line.
    """
    if requested:
        return tuple(dict.fromkeys(requested))
    for index, name in enumerate(project.config.formats):
        if name not in FORMATS:
            where = project.config.format_location(index) or Location(project.root / "leafpress.yaml")
            raise LeafpressError(where, f"unknown format '{name}'", f"choose from {', '.join(FORMAT_NAMES)}")
    return tuple(dict.fromkeys(project.config.formats))


def stylesheets_for(fmt: Format, project: Project) -> list[Path]:
    """The base stylesheet, the project's own styles, then the format's (so its sizes win).

    Format stylesheets in the project's ``styles/`` replace the built-in ones of the same
    name and are used only by their format.
    """
    reserved = {name for each in FORMATS.values() for name in each.stylesheets}
    base, *others = project.stylesheets()
    sheets = [base, *(path for path in others if path.name not in reserved)]
    for name in fmt.stylesheets:
        own = project.root / "styles" / name
        sheets.append(own if own.is_file() else THEME_DIR / "styles" / name)
    return sheets
