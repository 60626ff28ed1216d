"""Paths a leaflet names, and links in leaflets/, never lead leafpress to files outside the project.

Each case is rebuilt with the real command line: refused at its line with exit 1, no traceback,
the outside file's bytes nowhere (terminal, PDF, html), and the batch's other leaflets built.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_LEAFLET, run_cli, write
from tests.test_safety import pdf_bytes_everywhere

SECRET = "OUTSIDE-SECRET-7a3e"


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder beside the project: a valid leaflet carrying a secret, and a file of secret lines."""
    folder = tmp_path_factory.mktemp("outside")
    write(folder / "secret.cy.yaml", MINIMAL_LEAFLET.replace("Looking after your liver", SECRET))
    write(folder / "notes.yaml", f"password: {SECRET}\n[broken\n{SECRET}-line-3\n")
    return folder


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


def assert_no_secret_anywhere(project: Path, *texts: str) -> None:
    for text in texts:
        assert SECRET not in text
    for path in (project / "output").rglob("*") if (project / "output").exists() else ():
        if path.is_file():
            data = pdf_bytes_everywhere(path) if path.suffix == ".pdf" else path.read_bytes()
            assert SECRET.encode() not in data, path


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "linked-folder", "absolute-non-leaflet"])
def test_translations_outside_the_leaflets_folder_are_refused_at_their_line(
    project: Path, outside: Path, kind: str
) -> None:
    if kind == "linked-folder":
        (project / "leaflets" / "cy").symlink_to(outside)
        listed = "cy/secret.cy.yaml"
    elif kind == "dotdot":
        listed = "../../" + outside.name + "/secret.cy.yaml"
        (project.parent / outside.name).exists() or pytest.skip("the outside folder is not beside the project")
    elif kind == "absolute":
        listed = str(outside / "secret.cy.yaml")
    else:
        listed = str(outside / "notes.yaml")
    text = MINIMAL_LEAFLET + f"translations:\n  - {listed}\n"
    write(project / "leaflets" / "liver.yaml", text)
    write(project / "leaflets" / "other.yaml", MINIMAL_LEAFLET.replace("TST-001", "TST-002"))
    for args in (
        ("build", "--format", "standard", "--format", "bilingual", "--format", "html"),
        ("check",),
    ):
        result = run_cli(*args, cwd=project)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr + result.stdout
        expected = (
            f"leaflets/liver.yaml:{line_of(text, listed)}:5: translation '{listed}' is outside this leaflet's folder"
        )
        assert expected in result.stderr + result.stdout
        assert_no_secret_anywhere(project, result.stderr, result.stdout)
    assert (project / "output" / "other.pdf").exists()
    assert not (project / "output" / "liver.pdf").exists()


def test_a_translation_inside_the_leaflets_folder_is_still_listed(project: Path) -> None:
    source = (project / "leaflets" / "liver.yaml").read_text()
    write(
        project / "leaflets" / "welsh" / "gofal-iau.yaml",
        source.replace("title: Looking", "language: cy\ntitle: Looking"),
    )
    write(project / "leaflets" / "liver.yaml", source + "translations: [welsh/gofal-iau.yaml]\n")
    result = run_cli("build", "leaflets/liver.yaml", cwd=project)
    assert result.returncode == 0, result.stderr


def test_a_leaflet_linked_from_outside_the_project_is_refused(project: Path, outside: Path) -> None:
    link = project / "leaflets" / "linked.yaml"
    link.symlink_to(outside / "secret.cy.yaml")
    for args in (("build",), ("check",), ("status",)):
        result = run_cli(*args, cwd=project)
        assert result.returncode == 1, (args, result.stderr)
        assert "Traceback" not in result.stderr + result.stdout
        message = (
            f"leaflets/linked.yaml:1:1: this leaflet is a link to {outside / 'secret.cy.yaml'}, outside the project"
        )
        assert message in result.stderr + result.stdout, (args, result.stderr + result.stdout)
        assert_no_secret_anywhere(project, result.stderr, result.stdout)
    # The other leaflet of the batch was built, and nothing for the link.
    assert (project / "output" / "liver.pdf").exists()
    assert not (project / "output" / "linked.pdf").exists()


def test_a_link_inside_the_project_still_builds(project: Path) -> None:
    write(project / "drafts" / "kidney.yaml", MINIMAL_LEAFLET.replace("TST-001", "TST-003"))
    (project / "leaflets" / "kidney.yaml").symlink_to(project / "drafts" / "kidney.yaml")
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "output" / "kidney.pdf").exists()


def test_a_file_named_like_a_braille_table_in_the_project_is_never_read(
    project: Path, outside: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # liblouis looks in the working folder first, and a table's "include" may name any file: the
    # planted table would have it read the outside file (and print its first word in an error).
    (outside / "token").write_text(f"{SECRET} more\n", encoding="utf-8")
    clean = tmp_path_factory.mktemp("clean")
    write(clean / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    assert run_cli("build", "-f", "braille", cwd=clean).returncode == 0
    (project / "en-ueb-g2.ctb").write_text(f"include {outside / 'token'}\n", encoding="utf-8")
    result = run_cli("build", "-f", "braille", cwd=project)
    assert result.returncode == 0, result.stderr
    assert SECRET not in result.stdout + result.stderr
    # The braille is liblouis's own table's, as in a project without the planted file.
    assert (project / "output" / "liver.brf").read_bytes() == (clean / "output" / "liver.brf").read_bytes()


def test_a_word_file_whose_picture_links_to_a_file_outside_never_brings_it_in(
    project: Path, outside: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # A picture in a .docx may be "linked": the file names an address instead of holding the bytes.
    import io
    import zipfile

    import docx
    from docx.shared import Inches
    from PIL import Image

    secret = outside / "private.png"
    Image.new("RGB", (50, 30), (200, 0, 0)).save(secret)
    document = docx.Document()
    document.add_heading("A linked picture", 0)
    document.add_heading("What it shows", 1)
    picture = io.BytesIO()
    Image.new("RGB", (40, 40), (0, 0, 200)).save(picture, "PNG")
    document.add_picture(io.BytesIO(picture.getvalue()), width=Inches(1))
    document.add_paragraph("Text after the picture.")
    embedded = tmp_path_factory.mktemp("word") / "embedded.docx"
    document.save(str(embedded))
    linked = embedded.with_name("linked.docx")
    with zipfile.ZipFile(embedded) as source, zipfile.ZipFile(linked, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = re.sub(
                    rb'(Type="[^"]*/image" Target=")[^"]*"',
                    rb"\g<1>" + secret.as_uri().encode() + rb'" TargetMode="External"',
                    data,
                )
            elif item.filename == "word/document.xml":
                data = data.replace(b"r:embed=", b"r:link=")
            target.writestr(item, data)
    result = run_cli("import", linked, cwd=project)
    assert result.returncode == 0, result.stderr
    assert not (project / "leaflets" / "images").exists()
    assert "rather than stored in the Word file was not brought in" in result.stderr
    kept = b"".join(path.read_bytes() for path in project.rglob("*") if path.is_file())
    assert secret.read_bytes() not in kept
