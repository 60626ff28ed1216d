"""The command line: click commands that wire the stages together, and what they print."""

from leafpress.cli import workflow  # noqa: F401  (registers import, translations and audit)
from leafpress.cli.commands import cli, main

__all__ = ["cli", "main"]
