"""The DL tri-fold: six 99 × 210 mm panels, three a side of A4 landscape, in folding order."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from leafpress.pdf.text_layer import pdf_text
from tests.conftest import MINIMAL_LEAFLET, REPO, made_once, run_cli, write

MM = 72 / 25.4


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:

    def make(root: Path) -> None:
        shutil.copytree(REPO / "leaflets", root / "leaflets")
        shutil.copytree(REPO / "assets", root / "assets")
        shutil.copy(REPO / "leafpress.yaml", root / "leafpress.yaml")
        leaflet = "leaflets/secondary-liver-cancer-in-brief.yaml"
        result = run_cli("build", leaflet, "--format", "dl", "--format", "dl-panels", cwd=root)
        assert result.returncode == 0, result.stderr

    root = made_once(tmp_path_factory, "dl", make)
    return root / "output"


def panel_texts(pdf_path: Path) -> list[list[str]]:
    """The text of each third of each printed side: [[outside left, middle, right], [inside …]]."""
    sides = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            third = page.width / 3
            sides.append(
                [
                    " ".join((page.crop((i * third, 0, (i + 1) * third, page.height)).extract_text() or "").split())
                    for i in range(3)
                ]
            )
    return sides


def test_the_sheet_is_two_a4_landscape_sides_of_three_dl_panels(built: Path) -> None:
    with pdfplumber.open(built / "secondary-liver-cancer-in-brief.dl.pdf") as pdf:
        assert len(pdf.pages) == 2
        for page in pdf.pages:
            assert (round(page.width / MM), round(page.height / MM)) == (297, 210)


def test_the_panels_come_out_in_folding_order(built: Path) -> None:
    (flap, back, front), inside = panel_texts(built / "secondary-liver-cancer-in-brief.dl.pdf")
    # Outside: the inside flap (where the content starts), the back, the front.
    assert "Secondary liver cancer in brief" in front and "Northway Cancer Support" in front
    assert "Key points" in flap
    for fact in ("LIV-010", "12 March 2028", "Next review", "0161 496 0123", "12 Harbour Street"):
        assert fact in back
    assert "What is secondary liver cancer?" not in back + front
    # Inside: the three panels go on in reading order, then the back never comes before them.
    text = " ".join(inside)
    assert text.index("When to get help urgently") < text.index("References")
    assert "Signs to look out for" in flap + inside[0]


def test_the_panels_pdf_is_six_tagged_dl_pages_in_reading_order(built: Path) -> None:
    path = built / "secondary-liver-cancer-in-brief.dl-panels.pdf"
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 6
        assert {(round(p.width / MM), round(p.height / MM)) for p in pdf.pages} == {(99, 210)}
        first, last = (" ".join((pdf.pages[i].extract_text() or "").split()) for i in (0, -1))
    assert "Secondary liver cancer" in first and "LIV-010" in last
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "en-GB"


def test_a_leaflet_too_long_for_six_panels_is_refused_with_how_many_words_too_many(project: Path) -> None:
    long_body = " ".join(["Drink plenty of water every day and rest when you feel tired."] * 120)
    write(
        project / "leaflets" / "liver.yaml",
        MINIMAL_LEAFLET.replace("Your liver cleans your blood. It also stores energy.", long_body),
    )
    result = run_cli("build", "leaflets/liver.yaml", "--format", "dl", cwd=project)
    assert result.returncode == 1
    assert "leaflets/liver.yaml:1:1: the leaflet does not fit the six panels of a DL leaflet: about " in result.stderr
    words = int(result.stderr.split("about ")[1].split(" words too many")[0])
    assert 200 < words < 1400
    assert not (project / "output" / "liver.dl.pdf").exists()


def test_a_chinese_leaflet_too_long_for_six_panels_is_told_how_many_characters_too_many(project: Path) -> None:
    long_body = "请每天多喝水，感到累的时候就休息。" * 200  # 3,400 characters, and not one space
    leaflet = MINIMAL_LEAFLET.replace("title: Looking after your liver", "title: 照顾您的肝脏\nlanguage: zh-Hans")
    write(
        project / "leaflets" / "liver.yaml",
        leaflet.replace("Your liver cleans your blood. It also stores energy.", long_body),
    )
    result = run_cli("build", "leaflets/liver.yaml", "--format", "dl", cwd=project)
    assert result.returncode == 1
    characters = int(result.stderr.split("about ")[1].split(" characters too many")[0])
    assert 500 < characters < 3400


def test_the_back_panel_keeps_addresses_whole_at_their_hyphens_and_gives_every_contact_detail(project: Path) -> None:
    write(
        project / "leafpress.yaml",
        """\
        organisation:
          name: North-West Liver Support
          email: patient-information@north-west-liver-support.example
          website: www.north-west-liver-support.example/patient-leaflets
          feedback: Email leaflet-feedback@north-west-liver-support.example to tell us what you think.
        """,
    )
    contact = """\
contact:
  text: Or email liver-nurses@north-west-liver-support.example any time.
  name: Liver nurses
  email: liver-nurses@north-west-liver-support.example
  website: www.north-west-liver-support.example/liver-nurses
  address: Ward 7, Northway General Hospital
"""
    leaflet = project / "leaflets" / "liver.yaml"
    write(leaflet, MINIMAL_LEAFLET.replace("review:\n", contact + "review:\n", 1))
    result = run_cli("build", "--format", "dl", "--format", "dl-panels", cwd=project)
    assert result.returncode == 0, result.stderr
    for name in ("liver.dl.pdf", "liver.dl-panels.pdf"):
        text = pdf_text((project / "output" / name).read_bytes())
        for address in re.findall(
            r"[\w.-]+@[\w-]+(?:\.[\w-]+)+|www\.[\w./-]+", leaflet.read_text() + (project / "leafpress.yaml").read_text()
        ):
            for position in [i for i, character in enumerate(address) if character == "-"]:
                broken = address[: position + 1] + "\n" + address[position + 1 :]
                assert broken not in text and broken.replace("-\n", "") not in text, f"{address} breaks at a hyphen"
        flat = " ".join(text.split())
        assert "Ward 7, Northway General Hospital" in flat and "liver-nurses" in flat  # the contact's address and site


def _table(columns: list[str], row: list[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns), "| " + " | ".join(row) + " |"]
    return "\n".join(f"      {line}" for line in lines)


def test_a_week_of_tablets_fits_a_panel_and_a_table_that_cannot_is_a_warning(project: Path) -> None:
    week = _table(["Tablet", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], ["Paracetamol 500 mg", *"2222222"])
    body = f"  - heading: Your week\n    body: |\n{week}\n"
    leaflet = project / "leaflets" / "liver.yaml"
    write(leaflet, MINIMAL_LEAFLET.replace("  - heading: When to get help", body + "  - heading: When to get help"))
    result = run_cli("build", "leaflets/liver.yaml", "--format", "dl-panels", cwd=project)
    assert result.returncode == 0 and "cut off" not in result.stderr, result.stderr
    with pdfplumber.open(project / "output" / "liver.dl-panels.pdf") as pdf:
        assert all(c["x1"] <= page.width for page in pdf.pages for c in page.chars)
        assert "Sun" in " ".join(page.extract_text() or "" for page in pdf.pages)
    # Twelve columns cannot fit 99 mm: the build says so rather than print a cut-off table.
    days = _table(["Tablet", *(f"Day {n}" for n in range(1, 13))], ["Metformin", *"111111111111"])
    body = f"  - heading: Your fortnight\n    body: |\n{days}\n"
    write(leaflet, MINIMAL_LEAFLET.replace("  - heading: When to get help", body + "  - heading: When to get help"))
    result = run_cli("build", "leaflets/liver.yaml", "--format", "dl-panels", cwd=project)
    assert result.returncode == 0
    assert "of the dl-panels PDF: " in result.stderr and "is drawn off the page, so it is cut off" in result.stderr
