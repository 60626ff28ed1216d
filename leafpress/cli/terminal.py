"""The terminal: consoles that a leaflet cannot drive, and paths as the user typed them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource
from rich.console import Console
from rich.text import Text

from leafpress.core.errors import visible
from leafpress.source.project import find_root


class TerminalConsole(Console):
    """A rich Console that shows control characters in the text it prints as escapes.

    A leaflet's title, a warning quoting its text or an error naming a value can hold any
    character a YAML escape gives ("\\e[2J", "\\x9b"); every string printed (and every table
    cell) passes through ``render_str``, so this one place keeps them from reaching the terminal.
    Rich's own colours and the progress bar are drawn past it and are untouched.
    """

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(visible(text), **options)


class UserPath(click.Path):
    """A path typed on the command line, kept meaning what the user meant after the command moves
    to the project folder (found in a parent folder): a relative path given is made absolute."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        given = (
            ctx is None
            or param is None
            or param.name is None
            or (ctx.get_parameter_source(param.name) not in (None, ParameterSource.DEFAULT))
        )
        if (
            given
            and isinstance(path, Path)
            and not path.is_absolute()
            and find_root(Path.cwd()) != Path.cwd().resolve()
        ):
            return Path(os.path.abspath(path))
        return path
