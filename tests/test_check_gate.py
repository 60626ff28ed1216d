"""`check` is a gate: it judges the PDFs a build would write now, and an independent validator agrees."""

from __future__ import annotations

import json
import re
from pathlib import Path

import page
import pikepdf
import pytest

from tests.conftest import MINIMAL_LEAFLET, run_cli, write

FORMATS_CONFIG = "language: en-GB\nformats: [standard, large-print]\n"
LANGUAGE_CONFIG = "language: en-GB\n"


def check_json(project: Path, *args: str) -> tuple[int, dict]:
    result = run_cli("check", "--json", *args, cwd=project)
    return result.returncode, json.loads(result.stdout)


def pdf_records(report: dict) -> list[dict]:
    return [pdf for leaflet in report["leaflets"] for pdf in leaflet["accessibility"]["pdfs"]]


@pytest.fixture
def two_leaflets(project: Path) -> Path:
    write(project / "leafpress.yaml", FORMATS_CONFIG)
    write(project / "leaflets" / "kidney.yaml", MINIMAL_LEAFLET.replace("your liver", "your kidneys"))
    return project


def test_a_never_built_project_gets_every_pdf_built_and_validated(two_leaflets: Path) -> None:
    code, report = check_json(two_leaflets)
    assert code == 0, report
    for leaflet in report["leaflets"]:
        accessibility = leaflet["accessibility"]
        assert accessibility["pdfs_not_built"] == []
        assert sorted(pdf["format"] for pdf in accessibility["pdfs"]) == ["large-print", "standard"]
        for pdf in accessibility["pdfs"]:
            assert pdf["fresh"] is False  # built now: nothing was in output/
            assert pdf["pdfua1"]["validator"] == "page-validation 0.11.0"
            assert pdf["pdfua1"]["compliant"] is True and pdf["pdfua1"]["failures"] == []
            assert pdf["text_fidelity"] >= 0.99 and pdf["words_lost"] == []
            assert pdf["layout"]["pages"] == len(pdf["layout"]["fill"]) >= 1
    # The user's own outputs are not touched: only the readability proofs and accessibility reports.
    assert not list((two_leaflets / "output").glob("*.pdf"))
    assert (two_leaflets / "output" / "liver.accessibility.html").is_file()


def test_compliant_agrees_with_the_validator_run_on_its_own(two_leaflets: Path) -> None:
    assert run_cli(cwd=two_leaflets).returncode == 0
    _, report = check_json(two_leaflets)
    records = pdf_records(report)
    assert len(records) == 4 and all(record["fresh"] for record in records)
    for record in records:
        alone = page.validate_pdf(two_leaflets / record["file"], profile="ua1")
        assert record["pdfua1"]["compliant"] == alone.is_compliant
        assert sorted(f["rule"] for f in record["pdfua1"]["failures"]) == sorted(f.rule_id for f in alone.failures)


def test_after_a_style_change_check_judges_the_new_output_not_the_old(two_leaflets: Path) -> None:
    assert run_cli(cwd=two_leaflets).returncode == 0
    assert all(record["fresh"] for record in pdf_records(check_json(two_leaflets)[1]))
    write(two_leaflets / "styles" / "brand.css", "h1 { color: #0b4f8a; }\n")
    records = pdf_records(check_json(two_leaflets)[1])
    assert not any(record["fresh"] for record in records)
    assert all(record["file"].startswith("output/.leafpress-check/") for record in records)


def test_an_image_pushed_past_the_page_edge_fails_with_its_page_named(project: Path) -> None:
    write(project / "leafpress.yaml", FORMATS_CONFIG)
    write(
        project / "leaflets" / "images" / "wide.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100"><rect width="400" height="100" '
        'fill="#0b4f8a"/></svg>',
    )
    leaflet = project / "leaflets" / "liver.yaml"
    write(
        leaflet,
        MINIMAL_LEAFLET.replace(
            "It also stores energy.", "It also stores energy.\n\n      ![A blue bar](images/wide.svg)"
        ),
    )
    write(project / "styles" / "brand.css", "main img { width: 260mm; max-width: none; }\n")
    code, report = check_json(project)
    assert code == 1
    problems = [p for record in pdf_records(report) for p in record["layout"]["problems"]]
    assert any(p["rule"] == "off-page" and p["page"] == 1 for p in problems), problems
    printed = run_cli("check", cwd=project).stdout.replace("\n", " ")
    assert "page 1: a box is drawn off the page" in " ".join(printed.split())


def test_a_leaflet_whose_text_layer_loses_words_fails_with_the_words_named(project: Path) -> None:
    write(project / "styles" / "brand.css", "#section-2 { display: none; }\n")
    code, report = check_json(project)
    assert code == 1
    record = pdf_records(report)[0]
    assert record["text_fidelity"] < 0.99
    lost = {item["word"] for item in record["words_lost"]}
    assert {"yellow", "unwell"} <= lost
    line = next(i for i, text in enumerate(MINIMAL_LEAFLET.splitlines(), 1) if "yellow" in text)
    assert {"word": "yellow", "line": line} in record["words_lost"]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("[@nice-liver]", "[@nice-livr]"), "unknown reference key 'nice-livr'"),
        (("  date: 2024-03-20\n", "  date: 2024-03-20\nstatus: approved\n"), None),
        (("It also stores energy.", "It also stores energy. ![A liver](images/missing.png)"), "missing.png"),
        (
            ("last_reviewed: 2024-03-15", "last_reviewed: 9999-12-31"),
            "too far in the future to be the date of a review",
        ),
    ],
)
def test_a_leaflet_the_build_refuses_fails_check_with_the_same_message(
    project: Path, change: tuple[str, str], says: str | None
) -> None:
    leaflet = project / "leaflets" / "liver.yaml"
    text = MINIMAL_LEAFLET.replace(*change)
    if says is None:  # approved, but with no approver: remove approved_by
        text = text.replace(
            "approved_by:\n  name: Dr Ann Lee\n  role: Consultant Hepatologist\n  date: 2024-03-20\n", ""
        )
    write(leaflet, text)
    built = run_cli("build", "leaflets/liver.yaml", cwd=project)
    assert built.returncode == 1
    first_error = next(line for line in built.stderr.splitlines() if line.startswith("leaflets/liver.yaml:"))
    if says:
        assert says in first_error
    checked = run_cli("check", "leaflets/liver.yaml", cwd=project)
    assert checked.returncode == 1
    assert first_error in checked.stderr


def test_check_looks_in_the_output_folder_it_is_given(project: Path) -> None:
    assert run_cli("build", "leaflets/liver.yaml", "--output", "dist", cwd=project).returncode == 0
    _, report = check_json(project, "--output", "dist")
    (record,) = pdf_records(report)
    assert record["fresh"] is True and record["file"] == "dist/liver.pdf"
    _, elsewhere = check_json(project)
    assert pdf_records(elsewhere)[0]["fresh"] is False


def test_a_decorative_picture_is_accepted_by_build_and_check_alike(project: Path) -> None:
    write(project / "leafpress.yaml", LANGUAGE_CONFIG)
    write(
        project / "leaflets" / "rule.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="4"><rect width="100" height="4"/></svg>',
    )
    write(
        project / "leaflets" / "liver.yaml",
        MINIMAL_LEAFLET.replace("It also stores energy.", 'It also stores energy.\n\n      ![](rule.svg "decorative")'),
    )
    assert run_cli("build", "leaflets/liver.yaml", cwd=project).returncode == 0
    code, report = check_json(project)
    assert code == 0, report["leaflets"][0]["accessibility"]


def test_the_accessibility_report_lists_every_check_with_its_figures(project: Path) -> None:
    write(project / "leafpress.yaml", LANGUAGE_CONFIG)
    assert run_cli("check", cwd=project).returncode == 0
    html = (project / "output" / "liver.accessibility.html").read_text(encoding="utf-8")
    for words in (
        "PDF/UA-1 (page-validation 0.11.0)",
        "compliant",
        "Words that come back out of the text layer",
        "How full each page is",
        "Nearest approach to the paper",
    ):
        assert words in html


def test_the_html_page_is_checked_with_axe_and_for_reflow_at_320px(project: Path) -> None:
    write(project / "leafpress.yaml", "language: en-GB\nformats: [standard, html]\n")
    code, report = check_json(project)
    assert code == 0, report["leaflets"][0]["accessibility"]
    (page,) = report["leaflets"][0]["accessibility"]["html"]
    assert page["checked"] is True and page["axe"]["violations"] == []
    assert page["reflow_320"] == {"width": 320, "passed": True}
    # A stylesheet that makes the page wider than a phone held at 400% zoom fails it.
    write(project / "styles" / "brand.css", "main { min-width: 600px; }\n")
    code, report = check_json(project)
    assert code == 1
    (page,) = report["leaflets"][0]["accessibility"]["html"]
    assert page["reflow_320"]["passed"] is False
    assert any("scrolls sideways" in line for line in page["problems"])


def test_a_picture_wider_than_the_column_is_scaled_to_it_and_stays_on_the_page(project: Path) -> None:
    write(project / "leafpress.yaml", FORMATS_CONFIG)
    write(
        project / "leaflets" / "images" / "wide.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="200"><rect width="1200" height="200" '
        'fill="#0b4f8a"/></svg>',
    )
    write(
        project / "leaflets" / "liver.yaml",
        MINIMAL_LEAFLET.replace(
            "It also stores energy.", "It also stores energy.\n\n      ![A blue bar](images/wide.svg)"
        ),
    )
    code, report = check_json(project)
    for record in pdf_records(report):
        assert record["layout"]["nearest_edge_mm"] >= 10, record["layout"]
        assert not [p for p in record["layout"]["problems"] if p["rule"] in ("off-page", "edge")]


def test_after_changing_only_the_logo_check_judges_the_new_output(project: Path) -> None:
    logo = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="{}"/>'
    logo += "</svg>"
    write(project / "assets" / "logo.svg", logo.format("#0b4f8a"))
    write(
        project / "leafpress.yaml",
        "language: en-GB\norganisation:\n  name: Northway Liver Trust\n  logo: assets/logo.svg\n",
    )
    assert run_cli(cwd=project).returncode == 0
    assert all(record["fresh"] for record in pdf_records(check_json(project)[1]))
    write(project / "assets" / "logo.svg", logo.format("#7a1f5c"))
    code, report = check_json(project)
    assert code == 0
    (record,) = pdf_records(report)
    assert record["fresh"] is False and record["file"].startswith("output/.leafpress-check/")


def _map_letter_to_nothing(pdf_path: Path, letter: str) -> None:
    """Break the PDF's text layer the way the Indic bug did: the letter's glyph maps to no text."""
    code = f"<{ord(letter):04x}>"
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        broken = 0
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and "/ToUnicode" in obj:
                cmap = obj.ToUnicode.read_bytes().decode("latin-1")
                changed = re.sub(rf"(<[0-9a-fA-F]{{4}}>) {code}", r"\1 <>", cmap)
                broken += changed != cmap
                obj.ToUnicode = pikepdf.Stream(pdf, changed.encode("latin-1"))
        assert broken, "no font maps the letter: the test would prove nothing"
        pdf.save(pdf_path)


def test_a_built_pdf_whose_unicode_map_drops_a_letter_fails_check(project: Path) -> None:
    write(project / "leafpress.yaml", LANGUAGE_CONFIG)
    assert run_cli(cwd=project).returncode == 0
    _map_letter_to_nothing(project / "output" / "liver.pdf", "y")
    code, report = check_json(project)
    assert code == 1
    (record,) = pdf_records(report)
    assert record["fresh"] is True  # the build's own output, read as it is on disk now
    assert record["text_fidelity"] < 0.99
    assert {"yellow", "energy"} <= {item["word"] for item in record["words_lost"]}
    alone = page.validate_pdf(project / "output" / "liver.pdf", profile="ua1")
    assert record["pdfua1"]["compliant"] is alone.is_compliant is False
    assert "PDFUA1-FONT-UNICODE-MAPPING-001" in {failure["rule"] for failure in record["pdfua1"]["failures"]}


def test_a_review_date_at_the_end_of_the_calendar_is_a_located_error_in_status_too(project: Path) -> None:
    write(project / "leaflets" / "liver.yaml", MINIMAL_LEAFLET.replace("2024-03-15", "9999-12-31"))
    line = next(i for i, text in enumerate(MINIMAL_LEAFLET.splitlines(), 1) if "last_reviewed" in text)
    result = run_cli("status", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"leaflets/liver.yaml:{line}:3: last_reviewed (9999-12-31) is too far in the future" in result.stderr


def test_a_passing_check_says_what_it_looked_at_and_which_formats_it_did_not_judge(project: Path) -> None:
    write(project / "leafpress.yaml", "language: en-GB\nformats: [standard, braille, epub, booklet]\n")
    code, report = check_json(project)
    assert code == 0, report
    accessibility = report["leaflets"][0]["accessibility"]
    assert accessibility["passed"] is True
    # The booklet is print-only; braille and EPUB have tests of their own, not a check of check's.
    assert accessibility["formats_not_judged"] == ["braille", "epub", "booklet"]
    (pdf,) = pdf_records(report)
    assert pdf["format"] == "standard" and pdf["pdfua1"]["compliant"] is True
    human = " ".join(run_cli("check", cwd=project).stdout.split())
    assert (
        "Accessibility: passed — looked at the leaflet file, the standard PDF (PDF/UA-1 validator, text layer, "
        "fonts, layout); not judged by check: braille, epub, booklet"
    ) in human
