"""Project templates: one that extends the built-in theme and overrides a block builds."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import run_cli, write


def test_a_project_template_extends_the_built_in_one_and_overrides_one_block(project: Path) -> None:
    write(
        project / "templates" / "leaflet.html.j2",
        """\
        {% extends "theme/leaflet.html.j2" %}
        {% block title %}<h1>{{ doc.title }}</h1><p class="subtitle">From the Riverside Clinic</p>{% endblock %}
        """,
    )
    result = run_cli("build", "leaflets/liver.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", project / "output" / "liver.pdf", "-"], capture_output=True, text=True).stdout
    assert "From the Riverside Clinic" in text
    # The blocks not overridden come from the built-in template.
    assert "Key points" in text and "About this information" in text


def test_super_keeps_the_built_in_block(project: Path) -> None:
    write(
        project / "templates" / "leaflet.html.j2",
        """\
        {% extends "theme/leaflet.html.j2" %}
        {% block terms %}{{ super() }}<p>Ask us if a word is not clear.</p>{% endblock %}
        """,
    )
    result = run_cli("build", "leaflets/liver.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", project / "output" / "liver.pdf", "-"], capture_output=True, text=True).stdout
    assert "Ask us if a word is not clear." in text
