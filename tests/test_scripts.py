"""Every script reads right: how Bengali, Hindi, Tamil, Urdu and Chinese glyphs are given their text.

The leaflets in tests/data/scripts/ were written for these tests. The share of every language's
words that come back, in every print format, is measured in tests/test_every_language.py; here
are the mechanisms: a cluster's text over its glyphs, marks on glyphs of their own, brackets.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from leafpress.compat import Cluster
from leafpress.pdf.text_layer import normalise, pdf_text
from leafpress.pdf.unicode_map import _shares, syllables
from tests.conftest import made_once, pdfjs_texts, run_cli
from tests.test_language_of_parts import SCRIPTS as PARTS_SCRIPTS
from tests.test_language_of_parts import build_parts

ROOT = Path(__file__).resolve().parent.parent
INDIC = ["bn", "hi", "ta"]
LANGUAGES = [*INDIC, "ur", "zh-Hans"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project whose output holds <tag>.pdf for each of LANGUAGES (built once for both modules)."""
    assert set(LANGUAGES) <= set(PARTS_SCRIPTS)
    return made_once(tmp_path_factory, "parts", build_parts, parallel=True)


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
def test_no_glyph_is_mapped_to_nothing(built: Path, tag: str) -> None:
    # (Validator, .notdef and words read back, in every print format: tests/test_every_language.py.)
    with pikepdf.open(built / "output" / f"{tag}.pdf") as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                assert b"<>" not in font.ToUnicode.read_bytes()  # no glyph mapped to nothing


def test_a_conjunct_drawn_as_one_glyph_is_not_parted_by_pdfjs(built: Path) -> None:
    # pdf.js would not advance past a glyph whose text holds a nonspacing mark, and read a space
    # after it: "দূ সরে", "ত্ ব". The mark rides on an empty glyph of its own.
    (text,) = pdfjs_texts([built / "output" / "hi.pdf"])
    text = normalise(text)
    for word in ["दूसरे", "हुआ", "दूसरा"]:
        assert normalise(word) in text, word


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
