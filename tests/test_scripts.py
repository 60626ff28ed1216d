"""Every script reads right: Bengali, Hindi and Tamil PDFs give their words back to pdftotext and pdf.js.

The leaflets in tests/data/scripts/ were written for these tests. Each is built as a user would
build it, and its words (as ``check`` reads them) are looked for in the text each extractor
takes out of the PDF.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from leafpress.compat import Cluster
from leafpress.pdf.conformance import validate_pdfua
from leafpress.pdf.glyphs import missing_glyphs
from leafpress.pdf.text_layer import normalise, pdf_text
from leafpress.pdf.unicode_map import _shares, syllables
from tests.conftest import run_cli, words_recovered

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "tests" / "data" / "scripts"
PDFJS = ROOT / "tests" / "pdfjs_text.mjs"
INDIC = ["bn", "hi", "ta"]
LANGUAGES = [*INDIC, "ur", "zh-Hans"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scripts")
    (root / "leaflets").mkdir()
    for tag in LANGUAGES:
        shutil.copy(SCRIPTS / f"liver.{tag}.yaml", root / "leaflets" / f"{tag}.yaml")
    result = run_cli("build", *(f"leaflets/{tag}.yaml" for tag in LANGUAGES), cwd=root)
    assert result.returncode == 0, result.stderr
    return root


_share_recovered = words_recovered


def _pdfjs_text(pdf: Path) -> str:
    if not shutil.which("node") or not (ROOT / "node_modules" / "pdfjs-dist").is_dir():
        pytest.skip("pdf.js needs node and `npm install` (pdfjs-dist)")
    result = subprocess.run(["node", str(PDFJS), str(pdf)], capture_output=True, text=True, cwd=ROOT, check=True)
    return result.stdout


@pytest.mark.parametrize("tag", LANGUAGES)
def test_words_come_back_from_pdftotext(built: Path, tag: str) -> None:
    share, lost = _share_recovered(
        built / "leaflets" / f"{tag}.yaml", pdf_text((built / "output" / f"{tag}.pdf").read_bytes())
    )
    assert share >= 0.99, lost


def test_a_drawn_cluster_splits_its_text_over_its_glyphs_in_reading_order() -> None:
    # ফো drawn as three glyphs (left part of the o sign, ফ, right part): one decomposed letter each.
    assert _shares(Cluster("ফো", (450, 41, 54))) == ["ফ", "\u09c7", "\u09be"]
    # Pango may part the vowel sign from its consonant; the syllable is joined again.
    assert syllables([Cluster("ফ", (450, 41)), Cluster("ো", (54,)), Cluster("ন", (39,))]) == [
        Cluster("ফো", (450, 41, 54)),
        Cluster("ন", (39,)),
    ]
    # Right to left the glyphs are drawn last letter first; extra glyphs (an Urdu letter's dots) get a non-joiner.
    assert _shares(Cluster("لا", (7, 8), rtl=True)) == ["ا", "ل"]
    assert _shares(Cluster("ن", (11, 972, 330), rtl=True)) == ["\u200c", "\u200c", "ن"]


def test_bengali_vowel_signs_split_over_glyphs_read_back_whole(built: Path) -> None:
    # "ফোন" (phone) is drawn as the left part of the o sign, ফ, its right part: all three must read.
    text = normalise(pdf_text((built / "output" / "bn.pdf").read_bytes()))
    for word in ["ফোন", "বেশি", "কোনো", "চোখ"]:
        assert normalise(word) in text, word


@pytest.mark.parametrize("tag", LANGUAGES)
def test_pdfs_are_pdfua_compliant_with_a_well_formed_unicode_map(built: Path, tag: str) -> None:
    data = (built / "output" / f"{tag}.pdf").read_bytes()
    verdict = validate_pdfua(data)
    assert verdict.compliant, verdict.summary()
    assert not missing_glyphs(data)
    with pikepdf.open(built / "output" / f"{tag}.pdf") as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                assert b"<>" not in font.ToUnicode.read_bytes()  # no glyph mapped to nothing


@pytest.mark.parametrize("tag", [*INDIC, "zh-Hans"])
def test_words_come_back_from_pdfjs(built: Path, tag: str) -> None:
    share, lost = _share_recovered(built / "leaflets" / f"{tag}.yaml", _pdfjs_text(built / "output" / f"{tag}.pdf"))
    assert share >= 0.99, lost


def test_a_conjunct_drawn_as_one_glyph_is_not_parted_by_pdfjs(built: Path) -> None:
    # pdf.js would not advance past a glyph whose text holds a nonspacing mark, and read a space
    # after it: "দূ সরে", "ত্ ব". The mark rides on an empty glyph of its own.
    text = normalise(_pdfjs_text(built / "output" / "hi.pdf"))
    for word in ["दूसरे", "हुआ", "दूसरा"]:
        assert normalise(word) in text, word


@pytest.mark.xfail(
    strict=True,
    reason="pdf.js parts the lam-alef ligature, whose alef is drawn as a glyph of no width",
)
def test_urdu_words_reach_the_99_percent_target_in_pdfjs(built: Path) -> None:
    share, lost = _share_recovered(built / "leaflets" / "ur.yaml", _pdfjs_text(built / "output" / "ur.pdf"))
    assert share >= 0.99, lost


def test_urdu_words_mostly_come_back_from_pdfjs(built: Path) -> None:
    share, lost = _share_recovered(built / "leaflets" / "ur.yaml", _pdfjs_text(built / "output" / "ur.pdf"))
    assert share >= 0.98, lost


def test_brackets_in_english_references_of_an_arabic_leaflet_read_the_right_way_round(tmp_path: Path) -> None:
    # "[1]" in Arabic text is drawn with the glyph of "]": that glyph must still read "]" in English text.
    for name in ("leafpress.yaml", "assets"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    shutil.copytree(ROOT / "leaflets", tmp_path / "leaflets")
    result = run_cli("build", "leaflets/secondary-liver-cancer-in-brief.ar.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = pdf_text((tmp_path / "output" / "secondary-liver-cancer-in-brief.ar.pdf").read_bytes())
    assert "[Internet]" in text and "]Internet[" not in text
    assert "(NICE)" in text and ")NICE(" not in text
