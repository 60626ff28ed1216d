"""Right-to-left text reads back whole in pdf.js and pdftotext (leafpress/pdf/rtl_text.py).

An Arabic leaflet written for these tests has lam-alef ("لا") as a word of its own, after
spaces and in the middle of words, and bold and italic parts beside plain text: pdf.js read
"ل ا" and "إذاشعرت" before the mend.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import page
import pytest

from leafpress.pdf.glyphs import missing_glyphs
from leafpress.pdf.rtl_text import _Glyph, _mend_run
from leafpress.pdf.text_layer import pdf_text, words_of
from tests.conftest import REPO, made_once, pdfjs_texts, run_cli

LEAFLET = REPO / "tests" / "data" / "scripts" / "appointment.ar.yaml"
PHRASES = [
    "لا تنس موعدك",
    "لا تأكل شيئا قبل الفحص",
    "فلا تتردد في الاتصال بنا",
    "اقرأ هذه الورقة كلها قبل يوم الفحص",  # bold, then plain
    "لا بأس أن تحضر معك شخصا تثق به",
    "ولا حاجة إلى إحضار طعام",
    "خذ أدويتك كالمعتاد إلا إذا طلب منك الطبيب",  # plain, italic, plain
    "لا تقد السيارة بعد الفحص",
    "وهذا أمر عادي اتصل بنا فورا إذا ارتفعت حرارتك",  # plain, bold, plain
]
FORMATS = {"standard": ".pdf", "large-print": ".large-print.pdf"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def make(root: Path) -> None:
        (root / "leaflets").mkdir()
        shutil.copy(LEAFLET, root / "leaflets" / LEAFLET.name)
        formats = [arg for fmt in FORMATS for arg in ("--format", fmt)]
        result = run_cli("build", f"leaflets/{LEAFLET.name}", *formats, cwd=root)
        assert result.returncode == 0, result.stderr

    return made_once(tmp_path_factory, "rtl-text", make)


def _pdfs(built: Path) -> list[Path]:
    return [built / "output" / f"{LEAFLET.stem}{suffix}" for suffix in FORMATS.values()]


def _word_sequence(text: str) -> str:
    # Words only: where pdftotext puts a full stop in a right-to-left line is its own affair.
    return " ".join(words_of(re.sub("[\u200b\u202a-\u202e]", "", text)))


def test_phrases_read_whole_in_pdfjs_and_pdftotext(built: Path) -> None:
    pdfs = _pdfs(built)
    for pdf, pdfjs in zip(pdfs, pdfjs_texts(pdfs), strict=True):
        for reader, text in (("pdf.js", pdfjs), ("pdftotext", pdf_text(pdf.read_bytes()))):
            read = _word_sequence(text)
            for phrase in PHRASES:
                assert _word_sequence(phrase) in read, (pdf.name, reader, phrase)


@pytest.mark.parametrize("fmt", FORMATS)
def test_mended_pdf_is_compliant_and_draws_no_notdef(built: Path, fmt: str) -> None:
    pdf = built / "output" / f"{LEAFLET.stem}{FORMATS[fmt]}"
    verdict = page.validate_pdf(pdf, profile="ua1")
    assert verdict.is_compliant, [failure.rule_id for failure in verdict.failures]
    assert not missing_glyphs(pdf.read_bytes())


def _run(*glyphs: tuple[str, float]) -> list[_Glyph]:
    run: list[_Glyph] = []
    for index, (text, width) in enumerate(glyphs):
        after_gap = index == 0 or run[-1].text.isspace()
        run.append(_Glyph(0, None, index, width, text, after_gap))  # type: ignore[arg-type]
    return run


def test_lam_alef_after_a_space_reads_on_the_lam() -> None:
    # Drawn left to right: "ت", space, zero-width alef, lam (the word "لا" after "ت").
    assert _mend_run(_run(("ت", 360), (" ", 221), ("ا", 0), ("ل", 518)), space_after=False) == {2: " ", 3: "ال"}
    # Inside a word (after "ج" in "علاج") pdf.js reads it right: left as it is.
    assert _mend_run(_run(("ج", 636), ("ا", 0), ("ل", 610), ("ع", 505)), space_after=False) == {}


def test_a_space_at_a_runs_end_rides_on_its_outermost_letter() -> None:
    # Drawn last (the run's logical start, beside the run before it): after the last letter.
    assert _mend_run(_run(("ت", 360), ("ش", 663), (" ", 221)), space_after=False) == {1: "ش "}
    # Drawn first (its logical end), or a column beside it: before the first letter, as a
    # zero-width space and a space (pdf.js skips a glyph whose text starts with white space).
    assert _mend_run(_run((" ", 221), ("ا", 238), ("ذ", 474)), space_after=False) == {1: "\u200b ا"}
    assert _mend_run(_run(("ر", 404), ("ا", 238)), space_after=True) == {0: "\u200b ر"}
