"""The outline: the leaflet's structure with no HTML, built from the Markdown trees and the document."""

from __future__ import annotations

from pathlib import Path

from leafpress.enrich.outline import Definitions, ItemList, Lines, Paragraph, Picture, Table, outline, plain
from leafpress.enrich.prepare import prepare
from leafpress.formats.text import outline_to_text
from leafpress.source.project import open_project
from tests.conftest import MINIMAL_LEAFLET, write

LEAFLET = MINIMAL_LEAFLET.replace(
    "      - It fights infection.\n",
    "      - It fights infection.\n\n"
    "      1. First step\n"
    "      2. Second step, said [bore da]{lang=cy} here\n\n"
    "      Read [our guide](https://example.org/guide).\n",
).replace(
    "references:",
    "terms:\n  - term: jaundice\n    meaning: yellow skin\n    pronunciation: JAWN-diss\n"
    "contact:\n  phone: 0300 000 0000\n  text: Call us.\nreferences:",
)


def test_outline_has_the_structure_without_html(tmp_path: Path) -> None:
    source = write(tmp_path / "leaflets" / "liver.yaml", LEAFLET)
    doc = outline(prepare(source, open_project(tmp_path)))
    assert doc.title == "Looking after your liver" and doc.language == "en-GB"
    headings = [section.heading for section in doc.sections]
    assert headings == [
        "Key points",
        "What your liver does",
        "When to get help",
        "Words to know",
        "Who to contact",
        "References",
        "About this information",
    ]
    body = doc.sections[1].blocks
    assert isinstance(body[0], Paragraph) and plain(body[0].text).startswith("Your liver cleans")
    bullets, numbered = body[1], body[2]
    assert isinstance(bullets, ItemList) and not bullets.ordered and len(bullets.items) == 2
    assert isinstance(numbered, ItemList) and numbered.ordered and numbered.start == 1
    second = numbered.items[1][0]
    assert isinstance(second, Paragraph)
    assert [run.language for run in second.text if run.text == "bore da"] == ["cy"]
    assert "[1]" in plain(bullets.items[0][0].text)  # type: ignore[union-attr]
    link = body[3]
    assert isinstance(link, Paragraph) and any(run.link == "https://example.org/guide" for run in link.text)
    assert doc.sections[2].urgent == "Get help now"
    terms = doc.sections[3].blocks[0]
    assert isinstance(terms, Definitions) and terms.pairs[0].say == "JAWN-diss"
    assert doc.pronunciations == {"jaundice": "JAWN-diss"}
    about = doc.sections[-1]
    details = about.blocks[0]
    assert isinstance(details, Definitions)
    fields = {plain(pair.term): plain(pair.meaning) for pair in details.pairs}
    assert (
        fields["Last reviewed"] == "15 March 2024"
        and fields["Version"] == "1.2"
        and fields["Leaflet code"] == "TST-001"
    )
    assert fields["Next review due"] == "15 March 2027"
    assert any(isinstance(block, Lines) for block in about.blocks)  # the organisation's address
    assert not any("<" in plain(getattr(block, "text", ())) for block in body)


def test_text_from_the_outline_keeps_markers_and_addresses(tmp_path: Path) -> None:
    source = write(tmp_path / "leaflets" / "liver.yaml", LEAFLET)
    text = outline_to_text(outline(prepare(source, open_project(tmp_path))))
    lines = text.splitlines()
    assert "1. First step" in lines and "- It fights infection." in lines
    assert "Read our guide (https://example.org/guide)." in lines
    assert "jaundice (say “JAWN-diss”): yellow skin" in lines
    assert lines[lines.index("Key points") + 1] == "-" * len("Key points")


def test_a_body_picture_is_its_alt_text(tmp_path: Path) -> None:
    write(tmp_path / "leaflets" / "pic.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    leaflet = MINIMAL_LEAFLET.replace(
        "      - It fights infection.\n",
        "      - It fights infection.\n\n      ![A drawing of the liver under the ribs](pic.svg)\n",
    )
    source = write(tmp_path / "leaflets" / "liver.yaml", leaflet)
    doc = outline(prepare(source, open_project(tmp_path)))
    pictures = [block for block in doc.sections[1].blocks if isinstance(block, Picture)]
    assert [picture.alt for picture in pictures] == ["A drawing of the liver under the ribs"]


def test_a_table_is_its_header_and_rows_and_reads_as_one_line_per_row(tmp_path: Path) -> None:
    table = (
        "      | Time | What to do |\n      | --- | --- |\n      | 8am | Take **two** tablets [@smith-2021] |\n"
        "      | | Rest |\n      | 10pm | Check [the chart](https://example.org/c) |\n\n"
    )
    source = write(
        tmp_path / "leaflets" / "liver.yaml", LEAFLET.replace("      1. First step\n", table + "      1. First step\n")
    )
    doc = outline(prepare(source, open_project(tmp_path)))
    found = [block for block in doc.sections[1].blocks if isinstance(block, Table)]
    assert len(found) == 1
    assert [plain(cell) for cell in found[0].header] == ["Time", "What to do"]
    assert [[plain(cell) for cell in row] for row in found[0].rows] == [
        ["8am", "Take two tablets [1]"],
        ["", "Rest"],
        ["10pm", "Check the chart"],
    ]
    lines = outline_to_text(doc).splitlines()
    assert "Time: 8am; What to do: Take two tablets [1]" in lines
    assert "What to do: Rest" in lines  # an empty cell is left out, not read as "Time: "
    assert "Time: 10pm; What to do: Check the chart (https://example.org/c)" in lines
