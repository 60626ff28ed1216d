"""Errors that point at the place in a user's file that is at fault."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A 1-based line and column in a file."""

    path: Path
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{shown_path(self.path)}:{self.line}:{self.column}"


def shown_path(path: Path) -> Path:
    """``path`` as the user would type it: relative to the current folder when inside it."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd())
        except ValueError:
            return path
    return path


class LeafpressError(Exception):
    """Any error a user can fix: printed as ``path:line:column: message``."""

    def __init__(self, location: Location, message: str, hint: str = "", excerpt: str = "") -> None:
        super().__init__(message)
        self.location = location
        self.message = message
        self.hint = hint
        # A source line with a caret under the column, for syntax errors.
        self.excerpt = excerpt

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text

    def render(self) -> str:
        """The full message, with the source excerpt when there is one."""
        return f"{self}\n{self.excerpt}" if self.excerpt else str(self)


def location_of(path: Path, text: str, snippet: str) -> Location | None:
    """Where ``snippet`` first appears in ``text`` (the contents of ``path``), or None."""
    index = text.find(snippet)
    if index < 0:
        return None
    line = text.count("\n", 0, index) + 1
    return Location(path, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def excerpt_at(source: str, line: int, column: int) -> str:
    """Show ``line`` of ``source`` with a caret under ``column`` (both 1-based)."""
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1].replace("\t", "→")
    return f"  {line} | {text}\n  {' ' * len(str(line))} | {' ' * (column - 1)}^"


class LeafpressErrors(Exception):
    """Several user errors found in one file, each printed on its own line."""

    def __init__(self, errors: list[LeafpressError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors

    def render(self) -> str:
        return "\n".join(error.render() for error in self.errors)


class NotApplicable(Exception):
    """A format that does not apply to a leaflet (bilingual, for a leaflet with no translation): skipped, not failed."""
