"""Errors that point at the place in a user's file that is at fault."""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A 1-based line and column in a file; line 0 is the file as a whole (see ``whole_file``)."""

    path: Path
    line: int = 1
    column: int = 1

    @classmethod
    def whole_file(cls, path: Path) -> Location:
        """A file with no line to point at: one that is missing, a folder, or cannot be read."""
        return cls(path, 0, 0)

    def __str__(self) -> str:
        return self.place(str(shown_path(self.path)))

    def place(self, shown: str) -> str:
        """``shown:line:column``, or ``shown`` alone for the file as a whole."""
        return f"{shown}:{self.line}:{self.column}" if self.line else shown


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

    def __reduce__(self) -> tuple[type[LeafpressError], tuple[Location, str, str, str]]:
        # Sent back whole from a worker process (an exception pickles only its message by default).
        return type(self), (self.location, self.message, self.hint, self.excerpt)


@dataclass(frozen=True)
class LeafpressWarning:
    """Something to fix that does not stop the build.

    From a place in a leaflet file (a field, a section, a citation) it has that ``location`` and
    prints as errors do, ``path:line:column: warning: message``; from no place in a file (a font,
    the PDF validator) it prints ``path: warning: message`` for the leaflet built.
    """

    message: str
    location: Location | None = None

    def __str__(self) -> str:
        return f"line {self.location.line}: {self.message}" if self.location else self.message

    def render(self, path: Path) -> str:
        """The line printed for the leaflet at ``path``."""
        return f"{self.location or shown_path(path)}: warning: {self.message}"


def internal_error(exc: BaseException) -> str:
    """What to say of a bug (an exception no user input should cause): its kind, its message and
    the leafpress or library line it came from, for the report the user is asked to send."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (in {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"internal error: {type(exc).__name__}: {exc}{where} — please report this"


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


# Control characters (C0 but line breaks and tabs, DEL, C1), bidirectional overrides and
# isolates (a line that reads differently from what it holds), line and paragraph separators.
_HIDDEN_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def visible(text: str) -> str:
    """``text`` safe for a terminal: control characters (an ESC typed as ``\\e`` in a YAML string,
    C1 codes, bidi overrides) shown as escapes such as ``\\x1b``, so a leaflet cannot move the
    cursor, retitle the window or hide a line. Line breaks, tabs and every script's letters,
    spaces and joiners stay."""
    return _HIDDEN_CONTROLS.sub(lambda match: ascii(match[0])[1:-1], text)


def visible_json(text: str) -> str:
    """JSON text with the same characters written as ``\\uXXXX`` escapes: the same data, and
    nothing for a terminal to act on (``json.dumps`` leaves C1 codes and bidi overrides raw)."""
    return _HIDDEN_CONTROLS.sub(lambda match: f"\\u{ord(match[0]):04x}", text)
