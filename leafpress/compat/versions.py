"""The versions of WeasyPrint, textstat and Pyphen whose internals leafpress reads, and the guard."""

from __future__ import annotations

from functools import cache
from importlib.metadata import version

# The versions whose internals this module was written against (pinned in constraints.txt).
WEASYPRINT_SERIES = "70."
TEXTSTAT_SERIES = "0.7."
PYPHEN_SERIES = "0.18."


class IncompatibleVersion(RuntimeError):
    """An installed WeasyPrint or textstat is not one whose internals leafpress knows."""


@cache  # read once per process: each read of the installed metadata costs about half a millisecond
def require(package: str, series: str) -> None:
    installed = version(package)
    if not installed.startswith(series):
        raise IncompatibleVersion(
            f"leafpress needs {package} {series}x (found {installed}): install the versions in constraints.txt"
        )
