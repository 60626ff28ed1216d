"""Stylesheets: parse the project's CSS strictly, so a rule WeasyPrint ignores is never silent.

WeasyPrint only logs a warning ("Ignored `colr: red` at 3:5, unknown property.") and goes
on without the rule. For a project's own stylesheets each such warning becomes an error at
the file and line, so a typo in a brand colour cannot quietly fall back to the default.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from leafpress.core.errors import LeafpressError, LeafpressErrors, Location
from leafpress.render.engine import CSS, FatalURLFetchingError, FontConfiguration
from leafpress.render.fetcher import ProjectFetcher

_POSITION = re.compile(r" at (\d+):(\d+)")
_QUOTED = re.compile(r"'([^']+)'|`([^`]+)`")


class LogCollector(logging.Handler):
    """WeasyPrint's warnings and errors, kept apart."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)


@contextmanager
def collect_weasyprint_logs() -> Iterator[LogCollector]:
    logger = logging.getLogger("weasyprint")
    collector = LogCollector()
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)


def parse_stylesheet(path: Path, fetcher: ProjectFetcher, font_config: FontConfiguration, strict: bool = True) -> CSS:
    """Parse ``path``; when ``strict``, anything WeasyPrint would ignore in it is an error at its line."""
    if strict and not (path.is_file() and path.resolve().is_relative_to(path.parent.resolve())):
        raise LeafpressError(
            Location(path),
            "this stylesheet is not a regular file inside its folder",
            "put a copy of the stylesheet in styles/ instead of a link",
        )
    source = path.read_text(encoding="utf-8", errors="replace")
    with collect_weasyprint_logs() as logs:
        try:
            sheet = CSS(filename=str(path), url_fetcher=fetcher, font_config=font_config)
        except FatalURLFetchingError as exc:
            address = fetcher.refused[-1] if fetcher.refused else str(exc)
            raise LeafpressError(
                _find(path, source, address), address, "use only files inside the project in url() and @import"
            ) from None
    problems = logs.errors + (logs.warnings if strict else [])
    if problems:
        errors = [
            LeafpressError(
                _find(path, source, message),
                "WeasyPrint ignores this: " + _POSITION.sub("", message).rstrip("."),
                "fix or remove this rule (see docs/templates.md)",
            )
            for message in problems
        ]
        raise errors[0] if len(errors) == 1 else LeafpressErrors(errors)
    return sheet


def _find(path: Path, source: str, message: str) -> Location:
    """The place ``message`` is about: its "at line:column", else the line holding what it quotes."""
    if match := _POSITION.search(message):
        return Location(path, int(match[1]), int(match[2]))
    lines = source.splitlines()
    for quoted in _QUOTED.findall(message):
        needle = (quoted[0] or quoted[1]).strip().removeprefix(":is(").split(" ")[0]
        for number, line in enumerate(lines, start=1):
            if needle and needle in line:
                return Location(path, number, line.index(needle) + 1)
    for number, line in enumerate(lines, start=1):
        for word in re.findall(r"\S+://\S+", message):
            if word.strip("\"'.,:") in line:
                return Location(path, number, line.index(word.strip("\"'.,:")) + 1)
    return Location(path)
