"""Project templates run in a sandbox: they lay data out, and cannot run code or read files.

Each case is a real project template tried through the real command line: it must be refused at
the template's file and line, with exit 1, no traceback, nothing run and nothing written.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli, write

OUTSIDE_SECRET = "OUTSIDE-SECRET-91d2"


@pytest.fixture
def outside(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file outside the project that a template must never reach."""
    folder = tmp_path_factory.mktemp("outside")
    return write(folder / "secret.txt", OUTSIDE_SECRET + "\n")


def template_is_refused(project: Path, body: str, says: str) -> str:
    write(project / "templates" / "leaflet.html.j2", '{% extends "theme/leaflet.html.j2" %}\n' + body)
    result = run_cli("build", "leaflets/liver.yaml", "--format", "standard", "--format", "html", cwd=project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert OUTSIDE_SECRET not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if says in line]
    assert lines, result.stderr
    assert lines[0].startswith("templates/leaflet.html.j2:2:"), lines[0]
    assert not (project / "output" / "liver.pdf").exists() and not (project / "output" / "liver.html").exists()
    return lines[0]


@pytest.mark.parametrize(
    "expression",
    [
        "cycler.__init__.__globals__.os.popen('touch ran-a-command').read()",
        "lipsum.__globals__['os'].system('touch ran-a-command')",
        "joiner.__init__.__globals__.__builtins__.__import__('os').system('touch ran-a-command')",
        "().__class__.__base__.__subclasses__()",
    ],
)
def test_a_template_cannot_run_a_command(project: Path, expression: str) -> None:
    template_is_refused(project, "{% block title %}{{ " + expression + " }}{% endblock %}\n", "template refused")
    assert not (project / "ran-a-command").exists()


@pytest.mark.parametrize(
    "expression",
    [
        "doc.source_path.parent.parent.parent.joinpath('{secret}').read_text()",
        "doc.source_path.read_text()",
        "leaflet.parse_file('{secret}')",
        "leaflet.model_validate_json('{{}}')",
        "doc.leaflet.review.model_copy()",
    ],
)
def test_a_template_cannot_read_files_or_call_methods_of_the_data(
    project: Path, outside: Path, expression: str
) -> None:
    expression = expression.format(secret=outside)
    template_is_refused(project, "{% block title %}{{ " + expression + " }}{% endblock %}\n", "template refused")


def test_a_template_cannot_include_a_file_outside_its_folders(project: Path, outside: Path) -> None:
    for name in (str(outside), "../../" + outside.name, "theme/../../../" + outside.name):
        write(
            project / "templates" / "leaflet.html.j2",
            '{% extends "theme/leaflet.html.j2" %}\n{% block title %}{% include \'' + name + "' %}{% endblock %}\n",
        )
        result = run_cli("build", "leaflets/liver.yaml", cwd=project)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and OUTSIDE_SECRET not in result.stderr
        assert "not found" in result.stderr
        assert not (project / "output" / "liver.pdf").exists()


def test_a_template_cannot_change_the_data_it_is_given(project: Path) -> None:
    template_is_refused(project, "{% block title %}{{ doc.marks.clear() }}{% endblock %}\n", "template refused")


def test_what_a_template_may_do_still_works(project: Path) -> None:
    """Loops, macros, super(), filters, dict and date methods, the path's name: the layout tools."""
    write(
        project / "templates" / "leaflet.html.j2",
        """\
        {% extends "theme/leaflet.html.j2" %}
        {% macro shout(text) %}<strong>{{ text | upper }}</strong>{% endmacro %}
        {% block title %}{{ super() }}<p>{{ shout("from " ~ doc.source_path.stem) }}
        {% for key, value in {"a": 1}.items() %}{{ loop.cycle("odd", "even") }}-{{ key }}{{ value }}{% endfor %}
        {{ leaflet.review.last_reviewed.isoformat() }} {{ labels.get("references") }}
        {{ "{} sections".format(doc.sections | length) }}</p>{% endblock %}
        """,
    )
    result = run_cli("build", "leaflets/liver.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", project / "output" / "liver.pdf", "-"], capture_output=True, text=True).stdout
    assert "FROM LIVER" in text and "odd-a1" in text and "2024-03-15" in text and "2 sections" in text


def test_an_attribute_allowed_on_one_type_stays_refused_on_another(tmp_path: Path) -> None:
    # The sandbox keeps each verdict per (type, attribute): reading `.parent` of plain data first
    # must not open `.parent` of a path (a folder to walk), nor the other way round.
    import dataclasses

    from jinja2.exceptions import SecurityError

    from leafpress.render.html import _environment

    @dataclasses.dataclass
    class Item:
        parent: str

    template = _environment((tmp_path,)).from_string("{{ item.parent }}")
    for _ in range(2):
        assert template.render(item=Item("the section")) == "the section"
        with pytest.raises(SecurityError):
            template.render(item=tmp_path / "leaflet.yaml")
    assert template.render(item=Item("again")) == "again"
