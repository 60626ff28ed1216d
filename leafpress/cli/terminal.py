"""The consoles commands print to: nothing a leaflet holds can drive the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from leafpress.core.errors import visible


class TerminalConsole(Console):
    """A rich Console that shows control characters in the text it prints as escapes.

    A leaflet's title, a warning quoting its text or an error naming a value can hold any
    character a YAML escape gives ("\\e[2J", "\\x9b"); every string printed (and every table
    cell) passes through ``render_str``, so this one place keeps them from reaching the terminal.
    Rich's own colours and the progress bar are drawn past it and are untouched.
    """

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(visible(text), **options)
