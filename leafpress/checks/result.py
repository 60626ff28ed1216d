"""The result of a check other than readability, for one leaflet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ExtraCheck:
    """The result of a check other than readability, for one leaflet."""

    key: str  # its key in the JSON record, e.g. "accessibility"
    title: str  # its heading in the table view
    passed: bool
    data: Any  # JSON-ready
    lines: list[str] = field(default_factory=list)  # what to tell the reader, one problem per line
    # What the check looked at (and what it did not), shown beside its verdict: a "passed" says on what.
    scope: str = ""
