"""The charity's workflow: import from Word, translator exchange in XLIFF, the audit evidence pack."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pikepdf
import pytest
import yaml
from docx.shared import Inches
from PIL import Image

from tests.conftest import MINIMAL_LEAFLET, REPO, run_cli, write


def pdf_text(path: Path) -> str:
    """The PDF's text layer with its line breaks folded, as a reader hears it."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def word_leaflet(path: Path) -> Path:
    """A Word leaflet as charities write them: title, key points, headings, lists, bold, a picture, sources."""
    document = docx.Document()
    document.add_heading("Living with lymphoedema", 0)
    document.add_paragraph("A guide for patients and carers")
    document.add_heading("Key points", 1)
    document.add_paragraph("Lymphoedema is swelling that does not go away.", style="List Bullet")
    document.add_paragraph("Good skin care lowers the risk of infection.", style="List Bullet")
    document.add_heading("What is lymphoedema?", 1)
    paragraph = document.add_paragraph("Lymphoedema is ")
    paragraph.add_run("long-term swelling").bold = True
    paragraph.add_run(" in part of the body, often an arm or a leg.")
    document.add_heading("Looking after your skin", 1)
    document.add_paragraph("Wash and dry your skin every day.", style="List Bullet")
    document.add_paragraph("Use a plain moisturiser at night.", style="List Bullet")
    picture = io.BytesIO()
    Image.new("RGB", (240, 140), (30, 90, 160)).save(picture, "PNG")
    picture.seek(0)
    document.add_picture(picture, width=Inches(2))
    document.add_heading("When to get help", 1)
    document.add_paragraph("Call your GP if the skin turns red, hot or painful.")
    document.add_heading("References", 1)
    document.add_paragraph("Smith J, Jones K. Managing lymphoedema. London: Example Press; 2021.", style="List Number")
    document.add_paragraph(
        "Lymphoedema Support Network. What is lymphoedema? 2023. Available from: https://www.example.org/about "
        "[Accessed 1 July 2023].",
        style="List Number",
    )
    document.add_paragraph("A booklet from the clinic handed out in the waiting room.", style="List Number")
    document.add_paragraph("Last reviewed: 12 March 2025")
    document.add_paragraph("Next review due: March 2028")
    document.save(str(path))
    return path


def test_a_word_leaflet_imports_into_a_draft_that_builds(tmp_path: Path) -> None:
    source = word_leaflet(tmp_path / "Lymphoedema leaflet.docx")
    result = run_cli("import", source, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    target = tmp_path / "leaflets" / "lymphoedema-leaflet.yaml"
    text = target.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["title"] == "Living with lymphoedema"
    assert data["subtitle"] == "A guide for patients and carers"
    assert data["status"] == "draft"
    assert data["summary"] == [
        "Lymphoedema is swelling that does not go away.",
        "Good skin care lowers the risk of infection.",
    ]
    headings = [section["heading"] for section in data["sections"]]
    assert headings == ["What is lymphoedema?", "Looking after your skin", "When to get help"]
    assert "**long-term swelling**" in data["sections"][0]["body"]
    assert "- Wash and dry your skin every day." in data["sections"][1]["body"]
    # The picture is saved beside the leaflet, and its missing alt text is a TODO the command lists.
    image = tmp_path / "leaflets" / "images" / "lymphoedema-leaflet-1.png"
    assert image.is_file() and Image.open(image).size == (240, 140)
    assert "](images/lymphoedema-leaflet-1.png)" in data["sections"][1]["body"]
    assert "alt text for the picture" in result.stderr
    # References: split into fields where their shape allows, the rest kept as text with a TODO.
    book, web = data["references"]
    assert book["authors"] == ["Smith J", "Jones K"] and book["title"] == "Managing lymphoedema"
    assert (book["year"], book["place"], book["publisher"]) == (2021, "London", "Example Press")
    assert web["organisation"] == "Lymphoedema Support Network" and web["url"] == "https://www.example.org/about"
    assert str(web["accessed"]) == "2023-07-01"
    assert "#   A booklet from the clinic handed out in the waiting room." in text
    assert str(data["review"]["last_reviewed"]) == "2025-03-12"
    assert str(data["review"]["next_review"]) == "2028-03-01"
    # check ran on the draft at once, and the draft builds.
    assert "Checking leaflets/lymphoedema-leaflet.yaml" in result.stderr
    built = run_cli("build", "leaflets/lymphoedema-leaflet.yaml", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    printed = pdf_text(tmp_path / "output" / "lymphoedema-leaflet.pdf")
    for words in ("Living with lymphoedema", "Looking after your skin", "Managing lymphoedema", "DRAFT"):
        assert words in printed


def test_a_word_file_with_no_headings_still_gives_a_valid_draft_with_todos(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Some advice about sleep.")
    document.save(str(tmp_path / "sleep.docx"))
    result = run_cli("import", "sleep.docx", "--output", "leaflets/sleep.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((tmp_path / "leaflets" / "sleep.yaml").read_text())
    assert data["title"] == "TODO: title"
    assert "the title" in result.stderr and "review.last_reviewed" in result.stderr
    assert run_cli("build", "leaflets/sleep.yaml", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("content", [b"plain text, not a Word file", b""])
def test_a_file_that_is_not_a_docx_is_refused_at_its_path(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "notes.docx").write_bytes(content)
    result = run_cli("import", "notes.docx", cwd=tmp_path)
    assert result.returncode == 1
    assert "notes.docx:1:1: not a Word document (.docx)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((tmp_path / "leaflets").rglob("*"))


def test_import_never_overwrites_a_leaflet_or_writes_outside_the_project(tmp_path: Path) -> None:
    word_leaflet(tmp_path / "x.docx")
    write(tmp_path / "leaflets" / "x.yaml", MINIMAL_LEAFLET)
    result = run_cli("import", "x.docx", cwd=tmp_path)
    assert result.returncode == 1 and "already exists" in result.stderr
    assert (tmp_path / "leaflets" / "x.yaml").read_text() == MINIMAL_LEAFLET
    outside = run_cli("import", "x.docx", "--output", "../escaped.yaml", cwd=tmp_path)
    assert outside.returncode == 1 and "outside the project" in outside.stderr
    assert not (tmp_path.parent / "escaped.yaml").exists()


def test_importing_a_leaflet_yaml_by_mistake_says_it_is_not_a_word_file(tmp_path: Path) -> None:
    # Its draft would be written over itself, but what is wrong is the file given: say that first.
    write(tmp_path / "leaflets" / "x.yaml", MINIMAL_LEAFLET)
    for given in ("leaflets/x.yaml", "missing.docx"):
        result = run_cli("import", given, "--output", "leaflets/x.yaml", cwd=tmp_path)
        assert result.returncode == 1
        assert "already exists" not in result.stderr, result.stderr
    said = run_cli("import", "leaflets/x.yaml", cwd=tmp_path).stderr
    assert said == "leaflets/x.yaml:1:1: not a Word document (.docx) — save it from Word as .docx (not .doc)\n"
    missing = run_cli("import", "missing.docx", cwd=tmp_path).stderr
    assert missing == "missing.docx: no such file — give the path of a .docx file\n"
    assert (tmp_path / "leaflets" / "x.yaml").read_text() == MINIMAL_LEAFLET


# Translator exchange -------------------------------------------------------------------------
@pytest.fixture
def brief(tmp_path: Path) -> Path:
    """A copy of the example project with the short leaflet and no translations yet."""
    shutil.copy(REPO / "leafpress.yaml", tmp_path / "leafpress.yaml")
    shutil.copytree(REPO / "assets", tmp_path / "assets")
    shutil.copy(REPO / "leaflets" / "secondary-liver-cancer-in-brief.yaml", tmp_path / "leaflets" / "brief.yaml")
    return tmp_path


def translate(xliff: Path) -> None:
    """A translator's work, done by string replacement: every target is 'Cy ' + the source."""
    text = xliff.read_text(encoding="utf-8")
    text = re.sub(r"\s*<target>.*?</target>", "", text, flags=re.S)
    text = re.sub(r"<source>(.*?)</source>", r"<source>\1</source><target>Cy \1</target>", text, flags=re.S)
    xliff.write_text(text, encoding="utf-8")


@pytest.fixture(autouse=True)
def _leaflets_folder(tmp_path: Path) -> None:
    (tmp_path / "leaflets").mkdir(exist_ok=True)


def test_an_exported_xliff_translated_and_imported_builds_bilingually(brief: Path) -> None:
    exported = run_cli("translations", "export", "leaflets/brief.yaml", "--to", "cy", cwd=brief)
    assert exported.returncode == 0, exported.stderr
    xliff = brief / "brief.cy.xlf"
    text = xliff.read_text(encoding="utf-8")
    assert 'xmlns="urn:oasis:names:tc:xliff:document:2.0"' in text and 'trgLang="cy"' in text
    assert '<unit id="title">' in text and '<unit id="sections.2.body.1">' in text
    assert "<source>tiredness</source>" in text  # each list item is its own unit
    translate(xliff)
    imported = run_cli("translations", "import", "brief.cy.xlf", cwd=brief)
    assert imported.returncode == 0, imported.stderr
    translation = yaml.safe_load((brief / "leaflets" / "brief.cy.yaml").read_text(encoding="utf-8"))
    assert translation["title"] == "Cy Secondary liver cancer in brief"
    assert translation["language"] == "cy" and translation["status"] == "draft"
    assert "- Cy tiredness" in translation["sections"][2]["body"]
    assert translation["references"] == yaml.safe_load((brief / "leaflets" / "brief.yaml").read_text())["references"]
    built = run_cli("build", "leaflets/brief.cy.yaml", "--format", "bilingual", cwd=brief)
    assert built.returncode == 0, built.stderr
    printed = pdf_text(brief / "output" / "brief.cy.bilingual.pdf")
    assert "Cy Secondary liver cancer in brief" in printed and "Secondary liver cancer in brief" in printed


def test_units_sent_back_word_for_word_as_the_source_are_named_in_a_warning(brief: Path) -> None:
    run_cli("translations", "export", "leaflets/brief.yaml", "--to", "cy", cwd=brief)
    xliff = brief / "brief.cy.xlf"
    translate(xliff)
    imported = run_cli("translations", "import", "brief.cy.xlf", cwd=brief)
    assert imported.returncode == 0 and "word for word the source" not in imported.stderr  # all translated
    # The translator left the title and one paragraph in English: the file imports, with a warning.
    text = xliff.read_text(encoding="utf-8")
    for unit in ("title", "sections.0.body.0"):
        text = re.sub(
            rf'(<unit id="{re.escape(unit)}">.*?<source>(.*?)</source>)<target>.*?</target>',
            r"\1<target>\2</target>",
            text,
            flags=re.S,
        )
    xliff.write_text(text, encoding="utf-8")
    imported = run_cli("translations", "import", "brief.cy.xlf", cwd=brief)
    assert imported.returncode == 0, imported.stderr
    warning = " ".join(imported.stderr.split())
    assert (
        "warning: 2 of " in warning and "units are word for word the source text (title, sections.0.body.0)" in warning
    )


def test_changing_one_english_paragraph_makes_exactly_that_unit_stale(brief: Path) -> None:
    run_cli("translations", "export", "leaflets/brief.yaml", "--to", "cy", cwd=brief)
    translate(brief / "brief.cy.xlf")
    assert run_cli("translations", "import", "brief.cy.xlf", cwd=brief).returncode == 0
    checked = json.loads(run_cli("check", "--json", "leaflets/brief.cy.yaml", cwd=brief).stdout)
    assert checked["leaflets"][0]["translation"]["stale_units"] == []
    source = brief / "leaflets" / "brief.yaml"
    source.write_text(source.read_text().replace("Others may have:", "Other people may have:"), encoding="utf-8")

    checked = json.loads(run_cli("check", "--json", "leaflets/brief.cy.yaml", cwd=brief).stdout)
    record = checked["leaflets"][0]
    assert [unit["unit"] for unit in record["translation"]["stale_units"]] == ["sections.2.body.0"]
    assert "Other people may have:" in record["translation"]["stale_units"][0]["source_text"]
    assert record["passed"] is False
    status = json.loads(run_cli("status", "--json", cwd=brief).stdout)
    by_file = {row["file"]: row for row in status}
    assert by_file["leaflets/brief.cy.yaml"]["stale_units"] == ["sections.2.body.0"]
    assert by_file["leaflets/brief.yaml"]["stale_units"] == []
    # The build marks the stale translation's pages (the default policy), in Welsh.
    built = run_cli("build", "leaflets/brief.cy.yaml", cwd=brief)
    assert built.returncode == 0, built.stderr
    assert "Cyfieithiad wedi dyddio" in pdf_text(brief / "output" / "brief.cy.pdf")
    # Exported again, the stale unit is marked for the translator; the others are final.
    run_cli("translations", "export", "leaflets/brief.yaml", "--to", "cy", "--output", "again.xlf", cwd=brief)
    again = (brief / "again.xlf").read_text(encoding="utf-8")
    stale_unit = again[again.index('<unit id="sections.2.body.0">') :]
    assert 'state="initial"' in stale_unit[: stale_unit.index("</unit>")]
    assert again.count('state="initial"') == 1


def test_reimporting_keeps_the_translations_review_fields(brief: Path) -> None:
    run_cli("translations", "export", "leaflets/brief.yaml", "--to", "cy", cwd=brief)
    translate(brief / "brief.cy.xlf")
    run_cli("translations", "import", "brief.cy.xlf", cwd=brief)
    target = brief / "leaflets" / "brief.cy.yaml"
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    data["review"] = {"last_reviewed": "2026-01-05"}
    data["reviewers"] = [{"name": "Dr Carys Evans", "role": "Welsh-speaking oncologist"}]
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    again = run_cli("translations", "import", "brief.cy.xlf", cwd=brief)
    assert again.returncode == 0 and "updated" in again.stderr
    kept = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert str(kept["review"]["last_reviewed"]) == "2026-01-05"
    assert kept["reviewers"][0]["name"] == "Dr Carys Evans"


def test_a_hostile_xliff_file_reads_nothing_and_writes_nothing(brief: Path) -> None:
    secret = brief.parent / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    hostile = brief / "hostile.xlf"
    hostile.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY s SYSTEM "file://{secret}">]>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en-GB" trgLang="cy">\n'
        '<file id="f1" original="leaflets/brief.yaml"><unit id="title"><segment><source>x</source>'
        "<target>&s;</target></segment></unit></file></xliff>\n"
    )
    result = run_cli("translations", "import", "hostile.xlf", cwd=brief)
    assert "TOP-SECRET-VALUE" not in result.stderr + result.stdout
    assert (
        not (brief / "leaflets" / "brief.cy.yaml").exists()
        or "TOP-SECRET" not in (brief / "leaflets" / "brief.cy.yaml").read_text()
    )
    outside = brief / "outside.xlf"
    outside.write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en-GB" trgLang="cy">'
        '<file id="f1" original="../../etc/passwd"></file></xliff>'
    )
    refused = run_cli("translations", "import", "outside.xlf", cwd=brief)
    assert refused.returncode == 1 and "outside the project" in refused.stderr
    assert "root:" not in refused.stderr
    broken = brief / "broken.xlf"
    broken.write_text("<xliff version='2.0'><file>\n<unit>")
    result = run_cli("translations", "import", "broken.xlf", cwd=brief)
    assert result.returncode == 1 and re.search(r"broken\.xlf:\d+:\d+: not well-formed XML", result.stderr)


# The audit evidence pack ---------------------------------------------------------------------
def test_audit_writes_a_report_and_csv_files_that_read_back(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "leaflets", project / "leaflets")
    shutil.copytree(REPO / "assets", project / "assets")
    shutil.copy(REPO / "leafpress.yaml", project / "leafpress.yaml")
    leaflet = project / "leaflets" / "secondary-cancer.yaml"
    leaflet.write_text(
        leaflet.read_text(encoding="utf-8")
        + "user_testing:\n  - date: 2025-02-10\n    participants: 6 patients at the oncology clinic\n"
        "    changes: Shorter sentences in the section on treatment\n",
        encoding="utf-8",
    )
    result = run_cli("audit", cwd=project, env={"LEAFPRESS_TODAY": "2026-11-28"})
    assert result.returncode == 0, result.stderr
    pack = project / "output" / "audit"
    leaflets = {row["file"]: row for row in csv.DictReader((pack / "leaflets.csv").open(encoding="utf-8"))}
    examples = sorted(str(p.relative_to(project)) for p in (project / "leaflets").glob("*.yaml"))
    assert sorted(leaflets) == examples
    row = leaflets["leaflets/cancer-of-unknown-primary.yaml"]
    assert (row["code"], row["next_review"], row["review_state"]) == ("CUP-002", "2026-12-06", "due-soon")
    assert row["approved_by"].startswith("Dr Priya Nair") and row["approved_on"] == "2023-12-14"
    assert row["user_tests"] == "0" and leaflets["leaflets/secondary-cancer.yaml"]["user_tests"] == "1"
    sources = list(csv.DictReader((pack / "sources.csv").open(encoding="utf-8")))
    assert any(
        s["accessed"] == "2022-08-01" and s["file"] == "leaflets/cancer-of-unknown-primary.yaml" for s in sources
    )
    tests = list(csv.DictReader((pack / "user-testing.csv").open(encoding="utf-8")))
    assert tests == [
        {
            "file": "leaflets/secondary-cancer.yaml",
            "date": "2025-02-10",
            "participants": "6 patients at the oncology clinic",
            "changes": "Shorter sentences in the section on treatment",
        }
    ]
    translations = list(csv.DictReader((pack / "translations.csv").open(encoding="utf-8")))
    assert {t["language"] for t in translations} == {"cy", "pl", "ar"}
    html = (pack / "audit.html").read_text(encoding="utf-8")
    assert "1</strong> due for review soon" in html.replace('<strong class="warn">', "")
    for title in ("Cancer of unknown primary", "Secondary liver cancer in brief", "6 patients at the oncology clinic"):
        assert title in html
    # Each leaflet links to its readability proof, written by the same checks as `check`.
    assert 'href="../cancer-of-unknown-primary.readability.html"' in html
    assert (project / "output" / "cancer-of-unknown-primary.readability.html").is_file()


def test_csv_cells_that_look_like_formulas_are_kept_as_text(tmp_path: Path) -> None:
    write(
        tmp_path / "leaflets" / "liver.yaml",
        MINIMAL_LEAFLET.replace("title: Looking after", "title: =HYPERLINK(1) after"),
    )
    assert run_cli("audit", cwd=tmp_path).returncode == 0
    row = next(csv.DictReader((tmp_path / "output" / "audit" / "leaflets.csv").open(encoding="utf-8")))
    assert row["title"].startswith("'=HYPERLINK")


def test_a_word_table_imports_as_a_table_and_the_subtitle_as_plain_text(tmp_path: Path) -> None:
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_heading("Looking after your stoma", 0)
    subtitle = document.add_paragraph("For people with a ")
    subtitle.add_run("colostomy").bold = True
    document.add_heading("Common problems", 1)
    document.add_paragraph("Most problems are easy to put right.")
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(
        table.rows,
        [
            ("Problem", "What to do"),
            ("Sore skin", "Use a barrier cream"),
            ("Leaks", "Check the size | shape of the opening"),
        ],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = cells
    header = table.rows[0]._tr.get_or_add_trPr()  # "Repeat as header row" in Word
    header.append(OxmlElement("w:tblHeader"))
    document.add_heading("Other problems", 1)
    merged = document.add_table(rows=2, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Call us"
    merged.cell(1, 0).text, merged.cell(1, 1).text = "Phone", "0161 496 0789"
    document.save(str(tmp_path / "stoma.docx"))
    result = run_cli("import", tmp_path / "stoma.docx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((tmp_path / "leaflets" / "stoma.yaml").read_text(encoding="utf-8"))
    assert data["subtitle"] == "For people with a colostomy"
    first, second = (section["body"] for section in data["sections"])
    assert (
        "| Problem | What to do |\n| --- | --- |\n| Sore skin | Use a barrier cream |\n"
        "| Leaks | Check the size \\| shape of the opening |"
    ) in first
    assert "- Call us" in second and "- Phone — 0161 496 0789" in second  # merged cells: a list, with a TODO
    assert "a table in section 2 with merged or missing cells became a list" in result.stderr
    assert "check its first row names its columns" not in result.stderr  # Word marked the header row
    built = run_cli("build", "leaflets/stoma.yaml", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    printed = pdf_text(tmp_path / "output" / "stoma.pdf")
    assert "For people with a colostomy" in printed and "*" not in printed
    with pikepdf.open(tmp_path / "output" / "stoma.pdf") as pdf:
        roles = {str(node.get("/S")) for node in _structure_nodes(pdf.Root.StructTreeRoot)}
    assert {"/Table", "/TH", "/TD"} <= roles


def _structure_nodes(node: Any) -> Iterator[Any]:
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary):
            yield kid
            yield from _structure_nodes(kid)
