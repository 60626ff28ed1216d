"""A table's column alignment follows the text's direction: in a right-to-left leaflet a ``:--``
column lines up on the right (its start), a ``--:`` column on the left (its end). And an email
address, kept whole at its hyphens, still reads left to right there.

A real Arabic leaflet is built; the cells' positions are read back from the PDF with pdfplumber,
and the HTML and EPUB pages are read for the logical alignment they give the browser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import REPO, run_cli

LAYOUT = REPO / "tests" / "data" / "layout"
# Written for this test (not clinical advice): when to take a medicine, how many tablets.
LEAFLET = """title: أدويتك في البيت
code: TLY-402
language: ar
summary:
  - خذ كل دواء في وقته كما يبين الجدول.
sections:
  - heading: جدول الأدوية
    body: |
      اتبع هذا الجدول كل يوم حتى يقول لك فريقك غير ذلك.

      | الموعد | عدد الأقراص | ملاحظة |
      | :-- | --: | :-: |
      | 66 | 33 | مع الماء |
      | 6666666 | 3333333 | بعد الأكل بقليل |
contact:
  phone: 0161 496 0815
  email: home-medicines@northway-hospital.example
review:
  last_reviewed: 2025-03-12
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rtl-table")
    shutil.copytree(LAYOUT / "assets", root / "assets")
    shutil.copy(LAYOUT / "leafpress.yaml", root / "leafpress.yaml")
    (root / "leaflets").mkdir()
    (root / "leaflets" / "medicines.ar.yaml").write_text(LEAFLET)
    formats = ("standard", "large-print", "html", "epub")
    result = run_cli("build", "leaflets/medicines.ar.yaml", *(a for f in formats for a in ("--format", f)), cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "output"


@pytest.mark.parametrize("suffix", [".pdf", ".large-print.pdf"])
def test_a_start_column_lines_up_on_the_right_in_a_right_to_left_pdf(built: Path, suffix: str) -> None:
    with pdfplumber.open(built / f"medicines.ar{suffix}") as document:
        words = {word["text"]: word for page in document.pages for word in page.extract_words()}
    short_start, long_start = words["66"], words["6666666"]
    short_end, long_end = words["33"], words["3333333"]
    # The first column is the rightmost one on a right-to-left page.
    assert short_start["x0"] > long_end["x1"], (short_start, long_end)
    # ":--" lines up at the start (the right); "--:" at the end (the left).
    assert abs(short_start["x1"] - long_start["x1"]) < 1 and long_start["x0"] < short_start["x0"] - 10
    assert abs(short_end["x0"] - long_end["x0"]) < 1 and long_end["x1"] > short_end["x1"] + 10


def test_the_web_page_and_epub_align_by_start_and_end(built: Path) -> None:
    """Browsers and reading systems flip start and end with the page's direction (never left and right)."""
    page = (built / "medicines.ar.html").read_text()
    with zipfile.ZipFile(built / "medicines.ar.epub") as book:
        xhtml = book.read("EPUB/leaflet.xhtml").decode()
    for text in (page, xhtml):
        assert re.search(r'<html[^>]*\bdir="rtl"', text), text[:300]
        assert 'style="text-align:start"' in text and 'style="text-align:end"' in text
        assert "text-align:left" not in text and "text-align:right" not in text


def test_an_email_address_reads_left_to_right_on_a_right_to_left_page(built: Path) -> None:
    """Kept whole at its hyphens, an address is several pieces of text: each was set right to left
    ("example.northway-hospital@home-medicines")."""
    text = subprocess.run(
        ["pdftotext", str(built / "medicines.ar.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    # pdftotext adds direction marks to each line; a line may break after a dot of the address.
    text = re.sub(r"[\u202a-\u202e]", "", text)
    assert re.search(r"home-medicines@northway-hospital\.(?:example|\n)", text), text
    assert "examplenorthway" not in text.replace(".", "") and "example\nnorthway" not in text
    assert "patient-information@riverside-health.example" in text  # the organisation's, in the end matter
