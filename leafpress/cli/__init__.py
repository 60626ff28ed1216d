"""The command line: click commands that wire the stages together, and what they print."""

from leafpress.cli.commands import cli, main

__all__ = ["cli", "main"]
