"""What a leaflet holds never drives the terminal: control characters are shown as escapes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_LEAFLET, run_cli, write

# YAML double-quoted escapes: ESC (clear the screen, retitle the window), a C1 CSI, BEL, a bidi override.
HOSTILE_TITLE = r'"Liver\e[2J\e]0;owned\a \x9b31m care \u202Eevil"'
RAW_CONTROLS = ("\x1b", "\x9b", "\x07", "\u202e")


@pytest.fixture
def hostile(project: Path) -> Path:
    write(
        project / "leaflets" / "liver.yaml",
        MINIMAL_LEAFLET.replace("title: Looking after your liver", f"title: {HOSTILE_TITLE}"),
    )
    warned = MINIMAL_LEAFLET.replace("TST-001", "TST-002").replace(
        "    accessed: 2023-07-01\n",
        '    accessed: 2023-07-01\n  - key: unused\n    authors: [Lee A]\n    title: "Old \\e[8mhidden\\e[0m notes"\n'
        "    publisher: Press\n    year: 2020\n",
    )
    write(project / "leaflets" / "warned.yaml", warned)
    write(
        project / "leaflets" / "broken.yaml",
        MINIMAL_LEAFLET.replace("title: Looking", 'titel: "\\e[31mred"\ntitle: Looking'),
    )
    return project


@pytest.mark.parametrize(
    "args", [("status",), ("check",), ("build",), ("status", "--json"), ("status", "--csv"), ("check", "--json")]
)
def test_control_characters_from_yaml_escapes_never_reach_the_terminal(hostile: Path, args: tuple[str, ...]) -> None:
    result = run_cli(*args, cwd=hostile)
    assert "Traceback" not in result.stderr
    seen = result.stdout + result.stderr
    for char in RAW_CONTROLS:
        assert char not in seen, (args, repr(char))
    if args == ("status",):
        assert "\\x1b[2J" in result.stdout and "\\u202e" in result.stdout
    if args == ("build",):
        # The leaflets are still built; the warning and the error show the escapes.
        assert (hostile / "output" / "liver.pdf").exists() and (hostile / "output" / "warned.pdf").exists()
        assert "\\x1b[8mhidden" in result.stderr
        assert "leaflets/broken.yaml:" in result.stderr


def test_the_title_is_kept_as_typed_in_the_pdf(hostile: Path) -> None:
    """Escaping is for the terminal only: the leaflet's own text is not changed."""
    result = run_cli("build", "leaflets/warned.yaml", cwd=hostile)
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", hostile / "output" / "warned.pdf", "-"], capture_output=True, text=True).stdout
    assert "\\x1b" not in text
