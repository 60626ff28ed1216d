"""Languages: labels, dates, direction, fonts and missing glyphs, on real PDFs read back."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from pypdf import PdfReader

from leafpress.core.bidi import isolate_ltr_runs_in_html, ltr_runs
from leafpress.core.language import BUILT_IN_LABELS, describe
from leafpress.enrich.document import LABELS
from leafpress.enrich.labels import load_labels, read_catalogue
from leafpress.pdf.glyphs import missing_glyphs
from tests.conftest import MINIMAL_LEAFLET, languages_in_structure, run_cli, write

ARABIC_LEAFLET = """\
title: سرطان الكبد الثانوي
code: LIV-004-AR
language: ar
summary:
  - السرطان الثانوي يبدأ في مكان آخر ثم ينتشر إلى الكبد.
sections:
  - heading: ما هو السرطان الثانوي؟
    body: |
      خذ دواء paracetamol 500 mg مرتين في اليوم.

      زر https://www.nhs.uk/ للمزيد.

      - التعب
      - فقدان الوزن
  - heading: متى تطلب المساعدة
    callout: urgent
    body: اتصل على 999 فورًا.
contact:
  phone: +44 161 496 0123
review:
  last_reviewed: 2025-03-12
"""


def pdf_text(path: Path, *options: str) -> str:
    """pdftotext's text, without the bidi embedding marks it adds around right-to-left lines."""
    text = subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.translate(dict.fromkeys(range(0x202A, 0x202F)))


def build(root: Path, name: str, text: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    write(root / "leaflets" / f"{name}.yaml", text)
    result = run_cli("build", f"leaflets/{name}.yaml", cwd=root)
    return result, root / "output" / f"{name}.pdf"


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result, pdf = build(tmp_path_factory.mktemp("ar"), "ar", ARABIC_LEAFLET)
    assert result.returncode == 0, result.stderr
    return pdf


# The language's facts come from CLDR, not from a table of our own.
@pytest.mark.parametrize(
    ("tag", "direction", "script"),
    [
        ("ar", "rtl", "Arab"),
        ("ur", "rtl", "Arab"),
        ("he", "rtl", "Hebr"),
        ("fa", "rtl", "Arab"),
        ("cy", "ltr", "Latn"),
        ("pl", "ltr", "Latn"),
        ("bn", "ltr", "Beng"),
        ("zh-Hans", "ltr", "Hans"),
        ("zh-TW", "ltr", "Hant"),
        ("en-GB", "ltr", "Latn"),
    ],
)
def test_direction_and_script_follow_the_language(tag: str, direction: str, script: str) -> None:
    language = describe(tag)
    assert (language.direction, language.script) == (direction, script)


def test_every_built_in_catalogue_is_valid_and_keyed_like_the_english_labels() -> None:
    catalogues = sorted(BUILT_IN_LABELS.glob("*.yaml"))
    assert {p.stem for p in catalogues} >= {"cy", "pl", "ar", "ur", "bn", "zh-Hans"}
    for path in catalogues:
        entries = read_catalogue(path, LABELS)
        assert entries and set(entries) <= set(LABELS)
    # Welsh, Polish and Arabic translate every label.
    for tag in ("cy", "pl", "ar"):
        labels, warnings = load_labels(describe(tag), LABELS)
        assert warnings == [], warnings
        assert labels["references"] != LABELS["references"]


def test_unknown_language_falls_back_to_english_with_a_warning() -> None:
    labels, warnings = load_labels(describe("so"), LABELS)
    assert labels == LABELS
    assert "no labels catalogue for language 'so'" in warnings[0]


def test_partial_catalogue_warns_and_names_the_missing_labels() -> None:
    labels, warnings = load_labels(describe("ur"), LABELS)
    assert labels["references"] == "حوالہ جات"
    assert labels["page_of"] == LABELS["page_of"]
    assert "page_of" in warnings[0]


def test_project_catalogue_overrides_and_bad_entries_are_errors_at_their_line(tmp_path: Path) -> None:
    write(tmp_path / "labels" / "cy.yaml", "feedback: Anfonwch eich sylwadau\n")
    labels, _ = load_labels(describe("cy-GB"), LABELS, tmp_path)
    assert labels["feedback"] == "Anfonwch eich sylwadau"
    assert labels["references"] == "Cyfeiriadau"
    write(tmp_path / "labels" / "cy.yaml", "references: Cyfeiriadau\nrefrences: x\n")
    with pytest.raises(Exception, match="cy.yaml:2:1: unknown label 'refrences'"):
        load_labels(describe("cy"), LABELS, tmp_path)
    write(tmp_path / "labels" / "cy.yaml", "page_of: Tudalen {page}\n")
    with pytest.raises(Exception, match="must contain {page} and {pages}"):
        load_labels(describe("cy"), LABELS, tmp_path)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("cy", ["Am yr wybodaeth hon", "Adolygwyd ddiwethaf 15 Mawrth 2024", "Cyfeiriadau", "Tudalen 1 o"]),
        ("pl", ["Informacje o tej ulotce", "Data ostatniego przeglądu 15 marca 2024", "Źródła", "Strona 1 z"]),
        ("zh-Hans", ["关于本资料", "2024年3月15日", "参考文献", "第 1 页，共"]),
    ],
)
def test_end_matter_labels_and_dates_are_in_the_leaflets_language(
    tmp_path: Path, language: str, expected: list[str]
) -> None:
    result, pdf = build(tmp_path, "leaflet", MINIMAL_LEAFLET.replace("code: TST-001", f"language: {language}"))
    assert result.returncode == 0, result.stderr
    text = " ".join(pdf_text(pdf).split())
    for item in expected:
        assert item in text
    assert "About this information" not in text and "March" not in text.split("References")[0]
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == language


def test_arabic_pdf_is_tagged_rtl_and_reads_right_to_left(arabic: Path) -> None:
    with pikepdf.open(arabic) as document:
        assert str(document.Root.Lang) == "ar"
    # pdftotext rebuilds logical order from positions: the first word of a line is rightmost.
    text = " ".join(pdf_text(arabic).split())
    for before, after in [
        ("السرطان الثانوي", "ينتشر إلى الكبد"),
        ("خذ دواء", "مرتين في اليوم"),
        ("ما هو السرطان الثانوي", "متى تطلب المساعدة"),
        ("عن هذه المعلومات", "تاريخ آخر مراجعة"),
    ]:
        assert text.index(before) < text.index(after)
    with pdfplumber.open(arabic) as document:
        words = document.pages[0].extract_words()
        first = next(w for w in words if w["text"] in ("خذ", "ذخ"))
        later = next(w for w in words if "paracetamol" in w["text"])
        assert first["x0"] > later["x1"], "the sentence starts at the right"
        width = document.pages[0].width
        heading = next(w for w in words if w["text"] in ("النقاط", "طاقنلا"))
        assert heading["x1"] > width * 0.7, "headings align to the right"


def test_mixed_left_to_right_words_stay_whole_in_arabic(arabic: Path) -> None:
    text = pdf_text(arabic)
    assert "paracetamol 500 mg" in text
    assert "https://www.nhs.uk/" in text
    assert "+44 161 496 0123" in text
    # Labels and dates in Arabic; the footer's page label too.
    flat = " ".join(text.split())
    assert "تاريخ آخر مراجعة" in flat and "مارس 2025" in flat and "صفحة" in flat


def test_arabic_footer_is_mirrored(arabic: Path) -> None:
    with pdfplumber.open(arabic) as document:
        page = document.pages[0]
        footer = [c for c in page.chars if c["top"] > page.height - 80]
        code = [c for c in footer if c["text"] in "LIV"]
        page_label = [c for c in footer if c["text"] in "فح"]  # of صفحة, not in the code line
        assert code and page_label
        assert min(c["x0"] for c in code) > page.width / 2 > max(c["x1"] for c in page_label)


def test_arabic_uses_an_arabic_font_and_no_box(arabic: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(arabic)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Naskh-Arabic" in fonts
    assert missing_glyphs(arabic.read_bytes()) == []


def test_chinese_uses_the_simplified_chinese_font_even_in_the_footer(tmp_path: Path) -> None:
    leaflet = MINIMAL_LEAFLET.replace("code: TST-001", "language: zh-Hans").replace(
        "title: Looking after your liver", "title: 肝脏继发性癌症"
    )
    result, pdf = build(tmp_path, "zh", leaflet)
    assert result.returncode == 0, result.stderr
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts and "CJK-JP" not in fonts


def test_a_character_no_font_has_is_an_error_naming_the_leaflet_and_line(tmp_path: Path) -> None:
    leaflet = MINIMAL_LEAFLET.replace("It also stores energy.", "It also stores energy \U000f0001.")
    result, pdf = build(tmp_path, "tofu", leaflet)
    assert result.returncode == 1
    assert "leaflets/tofu.yaml:11:" in result.stderr
    assert "U+F0001" in result.stderr and "empty box" in result.stderr
    assert not pdf.exists()


def test_missing_glyph_check_finds_notdef_in_a_pdf(tmp_path: Path) -> None:
    from weasyprint import HTML

    pdf = HTML(string="<p lang=en>Box \ue000 here, fine \u0107 here</p>").write_pdf()
    assert [glyph.character for glyph in missing_glyphs(pdf)] == ["\ue000"]


def test_left_to_right_runs_are_found_without_sentence_punctuation() -> None:
    def runs(text: str) -> list[str]:
        return [text[start:end] for start, end in ltr_runs(text)]

    assert runs("زر https://www.nhs.uk/. شكرا") == ["https://www.nhs.uk/"]
    assert runs("اتصل +44 161 496 0123") == ["+44 161 496 0123"]
    assert runs("(NICE) دواء paracetamol 500 mg.") == ["(NICE)", "paracetamol 500 mg"]
    assert runs("Checked by experts.") == ["Checked by experts."]
    assert runs("ش call 0300 123 4567. We read every comment.") == ["call 0300 123 4567. We read every comment"]
    assert runs("اتصل على 999 الآن") == []  # a number alone needs no isolation


def test_left_to_right_runs_get_an_ltr_span_in_the_body_only() -> None:
    html = '<html><head><title>T 1</title></head><body data-x="a b"><p>x &amp; y &lt;z&gt; ش</p></body></html>'
    out = isolate_ltr_runs_in_html(html)
    assert "<title>T 1</title>" in out and 'data-x="a b"' in out
    assert '<p><span dir="ltr">x</span> &amp; <span dir="ltr">y</span> &lt;<span dir="ltr">z</span>&gt; ش</p>' in out


def test_english_leaflets_keep_their_labels_and_page_numbers(tmp_path: Path) -> None:
    result, pdf = build(tmp_path, "en", MINIMAL_LEAFLET)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    pages = PdfReader(pdf).pages
    assert f"Page 1 of {len(pages)}" in pages[0].extract_text()


# --- Translations: linked by name, checked against the source -------------------------------------

WELSH = MINIMAL_LEAFLET.replace("title: Looking after your liver", "title: Gofalu am eich iau").replace(
    "code: TST-001", "code: TST-001-CY"
)


def test_translation_named_after_its_source_takes_its_language_and_is_checked(project: Path) -> None:
    write(project / "leaflets" / "liver.cy.yaml", WELSH)  # no language: key; the name says cy
    result = run_cli(cwd=project)
    assert result.returncode == 0, result.stderr
    with pikepdf.open(project / "output" / "liver.cy.pdf") as document:
        assert str(document.Root.Lang) == "cy"
    assert "Tudalen 1 o" in pdf_text(project / "output" / "liver.cy.pdf")


def test_translation_with_other_sections_or_references_is_an_error(project: Path) -> None:
    fewer = WELSH.replace("  - heading: When to get help\n    callout: urgent\n", "  - heading: Help\n")
    write(project / "leaflets" / "liver.cy.yaml", fewer)
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert "liver.cy.yaml:15:5: section 2 has no callout, but in liver.yaml it has callout 'urgent'" in result.stderr
    assert not (project / "output" / "liver.cy.pdf").exists()
    assert (project / "output" / "liver.pdf").exists()

    one_reference = (
        WELSH[: WELSH.index("  - key: nice-liver")].replace(" [@nice-liver]", "")
        + "review:\n  last_reviewed: 2024-03-15\n"
    )
    write(project / "leaflets" / "liver.cy.yaml", one_reference)
    result = run_cli("build", "leaflets/liver.cy.yaml", cwd=project)
    assert result.returncode == 1
    assert "1 references, but its source liver.yaml has 2" in result.stderr


def test_translation_older_than_its_source_warns(project: Path) -> None:
    write(project / "leaflets" / "liver.cy.yaml", WELSH.replace("2024-03-15", "2023-01-10"))
    result = run_cli("build", "leaflets/liver.cy.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    line = WELSH.splitlines().index("  last_reviewed: 2024-03-15") + 1
    assert (
        f"liver.cy.yaml:{line}:3: warning: this translation was last reviewed on 2023-01-10, before its source "
        "liver.yaml (2024-03-15)"
    ) in result.stderr


def test_translations_key_links_a_file_named_otherwise(project: Path) -> None:
    source = project / "leaflets" / "liver.yaml"
    source.write_text(source.read_text() + "translations: [gofal-iau.yaml]\n")
    write(
        project / "leaflets" / "gofal-iau.yaml",
        WELSH.replace("code: TST-001-CY", "language: cy").replace(
            "  - heading: When to get help\n    callout: urgent\n", "  - heading: Help\n"
        ),
    )
    result = run_cli("build", "leaflets/gofal-iau.yaml", cwd=project)
    assert result.returncode == 1
    assert "but in liver.yaml it has callout 'urgent'" in result.stderr
    source.write_text(source.read_text().replace("gofal-iau.yaml", "missing.yaml"))
    result = run_cli("build", "leaflets/liver.yaml", cwd=project)
    assert result.returncode == 1 and "translation 'missing.yaml' not found" in result.stderr


def test_file_name_and_language_must_agree(project: Path) -> None:
    write(project / "leaflets" / "liver.cy.yaml", WELSH.replace("code: TST-001-CY", "language: pl"))
    result = run_cli("build", "leaflets/liver.cy.yaml", cwd=project)
    assert result.returncode == 1
    assert "the file name says 'cy' but language is 'pl'" in result.stderr


def test_example_translations_are_checked_and_in_their_languages(examples_built: Path) -> None:
    from tests.conftest import REPO

    sources = sorted((REPO / "leaflets").glob("secondary-liver-cancer-in-brief*.yaml"))
    assert [p.name.split(".")[1] for p in sources] == ["ar", "cy", "pl", "yaml"]
    # The build of every example in every format: no warning about these four, but that a format
    # that needs what a leaflet has not (an Easy Read version, a translation) made no file.
    log = (examples_built.parent / "build.log").read_text(encoding="utf-8")
    names = tuple(f"leaflets/{p.name}:" for p in sources)
    warned = [line for line in log.splitlines() if line.startswith(names) and "warning" in line]
    assert all(re.search(r": warning: no [\w-]+ file: ", line) for line in warned), warned
    expected = {"cy": "Am yr wybodaeth hon", "pl": "Informacje o tej ulotce", "ar": "عن هذه المعلومات"}
    for tag, about in expected.items():
        pdf = examples_built / f"secondary-liver-cancer-in-brief.{tag}.pdf"
        text = " ".join(pdf_text(pdf).split())
        assert about in text
        assert "About this information" not in text
        assert missing_glyphs(pdf.read_bytes()) == []
        with pikepdf.open(pdf) as document:
            assert str(document.Root.Lang) == tag


# --- A phrase in another language ------------------------------------------------------------------


def test_a_phrase_marked_with_lang_carries_its_language_in_the_pdf_structure(tmp_path: Path) -> None:
    leaflet = MINIMAL_LEAFLET.replace(
        "Your liver cleans your blood.", "Your nurse may say [bore da]{lang=cy} or [مرحبا]{lang=ar}."
    ).replace("  - You can help it to work well.", "  - In Polish, hello is [dzień dobry]{lang=pl}.")
    result, pdf = build(tmp_path, "phrases", leaflet)
    assert result.returncode == 0, result.stderr
    assert languages_in_structure(pdf) == [("/Span", "pl"), ("/Span", "cy"), ("/Span", "ar")]
    text = " ".join(pdf_text(pdf).split())
    assert "Your nurse may say bore da or" in text and "{lang" not in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Naskh-Arabic" in fonts  # the Arabic word takes the Arabic font


def test_a_bad_language_on_a_phrase_is_an_error_at_its_line(tmp_path: Path) -> None:
    leaflet = MINIMAL_LEAFLET.replace("It also stores energy.", "It also [stores]{lang=welsh} energy.")
    result, pdf = build(tmp_path, "bad", leaflet)
    assert result.returncode == 1
    assert "leaflets/bad.yaml:11:" in result.stderr and "is not a language tag" in result.stderr
    result, pdf = build(tmp_path, "bad", MINIMAL_LEAFLET.replace("It also stores", "It [also]{.red} stores"))
    assert result.returncode == 1 and "takes only a language" in result.stderr


# --- The bilingual format ---------------------------------------------------------------------------


def test_bilingual_format_sets_welsh_and_english_side_by_side(project: Path) -> None:
    write(project / "leaflets" / "liver.cy.yaml", WELSH.replace("code: TST-001-CY", "language: cy"))
    result = run_cli("build", "leaflets/liver.yaml", "--format", "bilingual", cwd=project)
    assert result.returncode == 0, result.stderr
    pdf = project / "output" / "liver.bilingual.pdf"
    reader = PdfReader(pdf)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert width > height  # A4 landscape
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        words = page.extract_words()
        welsh = next(w for w in words if w["text"] == "Gofalu")
        english = next(w for w in words if w["text"] == "Looking")
        assert welsh["x0"] < page.width / 2 < english["x0"], "Welsh on the left, English on the right"
        assert abs(welsh["top"] - english["top"]) < 2, "each title beside its translation"
        sections = {w["text"]: w for w in words if w["text"] in ("What", "Pwyntiau", "Key")}
        assert abs(sections["Pwyntiau"]["top"] - sections["Key"]["top"]) < 2
    text = " ".join(pdf_text(pdf).split())
    assert "Tudalen 1 o" in text and "Page 1 of" in text
    assert "Am yr wybodaeth hon" in text and "About this information" in text
    languages = languages_in_structure(pdf)
    assert ("/Div", "cy") in languages and ("/Div", "en-GB") in languages
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == "cy"
        assert str(document.docinfo["/Title"]) == "Gofalu am eich iau / Looking after your liver"


def test_bilingual_skips_a_leaflet_with_no_translation(project: Path) -> None:
    result = run_cli("build", "leaflets/liver.yaml", "--format", "bilingual", "--format", "standard", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "leaflets/liver.yaml: warning: no bilingual file: it has no translation to set beside it" in result.stderr
    assert not (project / "output" / "liver.bilingual.pdf").exists()
    assert (project / "output" / "liver.pdf").exists()


def test_readability_check_uses_the_language_a_translations_name_gives(project: Path) -> None:
    import json

    write(project / "leaflets" / "liver.cy.yaml", WELSH)  # no language: key
    result = run_cli("check", "--json", "leaflets/liver.cy.yaml", "leaflets/liver.yaml", cwd=project)
    report = {Path(item["file"]).name: item for item in json.loads(result.stdout)["leaflets"]}
    assert report["liver.cy.yaml"]["language"] == "cy"
    assert set(report["liver.cy.yaml"]["scores"]) == {"lix", "rix"}  # LIX and RIX, no English formulas
    assert "Welsh" in report["liver.cy.yaml"]["formulas_note"]
    assert report["liver.yaml"]["scores"]["flesch_kincaid_grade"] is not None
