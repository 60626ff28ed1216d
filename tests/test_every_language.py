"""Every language in every print format: leaflets in Welsh, Polish, Arabic, Urdu, Bengali, Hindi,
Tamil and Simplified Chinese, and in languages leafpress was not written with (Hebrew, Persian,
Punjabi, Gujarati, Greek, Russian, Japanese, Traditional Chinese, Somali, Turkish, Vietnamese,
Nepali, Sinhala, Amharic), built in standard, large print and bilingual, are PDF/UA-1 compliant
to the independent validator, draw no glyph from .notdef, and give their words back to pdftotext
and pdf.js (what screen readers, search and copy get).

The leaflets are the test leaflets of tests/data/scripts/ (each a translation of liver.yaml), of
tests/data/unseen/ (each a translation of liver-short.yaml: sections, a list, an urgent callout,
bold words, a reference) and the Welsh, Polish and Arabic examples, built together as one
project, as a user would.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest
import yaml

from leafpress.pdf.text_layer import pdf_text, rejoined, words_of
from tests.conftest import (
    PRINT_FORMATS,
    REPO,
    assert_pdfua_without_notdef,
    assert_words_back,
    build_in_print_formats,
    languages_in_structure,
    made_once,
    pdfjs_texts,
    run_cli,
    write,
)

SCRIPTS = REPO / "tests" / "data" / "scripts"
UNSEEN = REPO / "tests" / "data" / "unseen"
LEAFLETS = {
    "cy": "secondary-liver-cancer-in-brief.cy",
    "pl": "secondary-liver-cancer-in-brief.pl",
    "ar": "secondary-liver-cancer-in-brief.ar",
    "ur": "liver.ur",
    "bn": "liver.bn",
    "hi": "liver.hi",
    "ta": "liver.ta",
    "zh-Hans": "liver.zh-Hans",
    **{
        tag: f"liver-short.{tag}"
        for tag in ["he", "fa", "pa", "gu", "el", "ru", "ja", "zh-Hant", "so", "tr", "vi", "ne", "si", "am"]
    },
}
FORMATS = PRINT_FORMATS
CASES = [(tag, fmt) for tag in LEAFLETS for fmt in FORMATS]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:

    def make(root: Path) -> None:
        (root / "leaflets").mkdir()
        for path in [*SCRIPTS.glob("liver*.yaml"), *UNSEEN.glob("liver-short*.yaml")]:
            shutil.copy(path, root / "leaflets")
        for path in (REPO / "leaflets").glob("secondary-liver-cancer-in-brief*.yaml"):
            shutil.copy(path, root / "leaflets")
        shutil.copytree(REPO / "leaflets" / "images", root / "leaflets" / "images")
        files = [f"leaflets/{stem}.yaml" for stem in LEAFLETS.values()]
        build_in_print_formats(root, files)

    return made_once(tmp_path_factory, "languages", make, parallel=True)


def _pdf(project: Path, tag: str, fmt: str) -> Path:
    return project / "output" / f"{LEAFLETS[tag]}{FORMATS[fmt]}"


@pytest.mark.parametrize(("tag", "fmt"), CASES)
def test_pdfua_compliant_with_no_notdef_glyph(project: Path, tag: str, fmt: str) -> None:
    assert_pdfua_without_notdef(_pdf(project, tag, fmt))


def _source(project: Path, tag: str) -> Path:
    return project / "leaflets" / f"{LEAFLETS[tag]}.yaml"


@pytest.mark.parametrize(("tag", "fmt"), CASES)
def test_words_come_back_from_pdftotext(project: Path, tag: str, fmt: str) -> None:
    assert_words_back(_source(project, tag), pdf_text(_pdf(project, tag, fmt).read_bytes()))


@pytest.fixture(scope="module")
def pdfjs_text(project: Path) -> dict[tuple[str, str], str]:
    return dict(zip(CASES, pdfjs_texts([_pdf(project, *case) for case in CASES]), strict=True))


@pytest.mark.parametrize(("tag", "fmt"), CASES)
def test_words_come_back_from_pdfjs(pdfjs_text: dict, project: Path, tag: str, fmt: str) -> None:
    assert_words_back(_source(project, tag), pdfjs_text[(tag, fmt)])


# Phrases of the Arabic example where pdf.js went wrong: lam-alef after a space ("ل ا"), a space
# between a bold part and the plain text after it ("إذاشعرت"), a title beside its English one.
RIGHT_TO_LEFT_PHRASES = {
    "standard": ["قد لا تظهر", "إذا شعرت بتشوش"],
    "bilingual": ["قد لا تظهر", "إذا شعرت بتشوش", "الثانوي باختصار Secondary"],
}


@pytest.mark.parametrize("fmt", RIGHT_TO_LEFT_PHRASES)
def test_right_to_left_phrases_read_whole(pdfjs_text: dict, project: Path, fmt: str) -> None:
    readings = {
        "pdf.js": pdfjs_text[("ar", fmt)],
        "pdftotext": pdf_text(_pdf(project, "ar", fmt).read_bytes()),
    }
    for reader, text in readings.items():
        # Only the words matter: bidi controls, zero-width spaces and line breaks are not compared.
        flat = " ".join(re.sub("[\u200b\u202a-\u202e]", "", text).split())
        for phrase in RIGHT_TO_LEFT_PHRASES[fmt]:
            if reader == "pdftotext" and "Secondary" in phrase:
                continue  # pdftotext keeps the columns apart, as it should
            assert phrase in flat, (reader, phrase)


COLUMNS_SHORT = {
    "ur": "pdftotext puts a line whose Arabic mark is drawn raised before the line above",
    "fa": "pdftotext puts a tanween drawn raised on a line of its own, parting the point",
    "he": "pdftotext takes a bilingual page as left to right and parts a Hebrew line at its comma",
}


@pytest.mark.parametrize(
    "tag",
    [
        pytest.param(tag, marks=pytest.mark.xfail(strict=True, reason=COLUMNS_SHORT[tag]))
        if tag in COLUMNS_SHORT
        else tag
        for tag in LEAFLETS
    ],
)
def test_bilingual_columns_read_apart_in_pdftotext(project: Path, tag: str) -> None:
    """Each summary point of the leaflet's language reads whole, its lines not taken in turn with
    the other column's (pdftotext joins a column's lines into a paragraph only when they are close
    enough)."""
    text = pdf_text(_pdf(project, tag, "bilingual").read_bytes())
    read = " ".join(words_of(rejoined(text)))
    source = yaml.safe_load((project / "leaflets" / f"{LEAFLETS[tag]}.yaml").read_text(encoding="utf-8"))
    for point in source["summary"]:
        assert " ".join(words_of(point)) in read, point


# The family each language's own text is drawn in (a PDF font's name, after its subset prefix).
SCRIPT_FONTS = {
    "he": "DejaVu-Sans",
    "fa": "Noto-Naskh-Arabic",
    "pa": "Noto-Sans-Gurmukhi",
    "gu": "Noto-Sans-Gujarati",
    "ne": "Noto-Sans-Devanagari",
    "ja": "Noto-Sans-CJK-JP",
    "zh-Hant": "Noto-Sans-CJK-TC",
    "si": "Noto-Sans-Sinhala",
    "am": "Noto-Sans-Ethiopic",
}


def _font_names(pdf: Path) -> set[str]:
    with pikepdf.open(pdf) as document:
        return {
            str(font.BaseFont).lstrip("/").split("+")[-1]
            for page in document.pages
            for font in page.Resources.Font.values()
        }


@pytest.mark.parametrize("tag", list(SCRIPT_FONTS))
def test_each_script_is_drawn_in_its_own_font(project: Path, tag: str) -> None:
    """Japanese and Traditional Chinese take their own CJK faces (the same characters are drawn
    differently); Sinhala and Amharic a sans face, not whatever fontconfig falls back to."""
    names = _font_names(_pdf(project, tag, "standard"))
    assert SCRIPT_FONTS[tag] in names, names
    assert not any(name.startswith("Noto-Serif") for name in names), names
    if tag in ("ja", "zh-Hant"):
        assert not any("CJK-SC" in name for name in names), names


@pytest.mark.parametrize("tag", ["so", "tr", "vi", "am"])
def test_labels_of_a_language_with_no_catalogue_are_english_and_tagged_so(project: Path, tag: str) -> None:
    text = pdf_text(_pdf(project, tag, "standard").read_bytes())
    assert "Key points" in text and "References" in text
    assert ("/H2", "en-GB") in languages_in_structure(_pdf(project, tag, "standard"))


def test_a_language_with_no_installed_font_is_an_error_naming_it(tmp_path: Path) -> None:
    """Albanian in the Vithkuqi script (Unicode 14): no installed font draws it."""
    vithkuqi = "".join(chr(code) for code in range(0x10570, 0x10575))
    write(
        tmp_path / "leaflets" / "vith.yaml",
        f"""\
        title: Fletë
        code: TEST-VITH
        language: sq-Vith
        summary:
          - {vithkuqi} {vithkuqi}.
        sections:
          - heading: Shenja
            body: {vithkuqi}.
        review:
          last_reviewed: 2025-03-12
        """,
    )
    result = run_cli("build", "leaflets/vith.yaml", cwd=tmp_path)
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("leaflets/vith.yaml:5:5: no installed font has a glyph for"), first
    assert "U+10570" in first and "Albanian (sq-Vith)" in first and "empty box" in first
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("output/*.pdf"))
