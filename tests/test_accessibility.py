"""Accessibility checks on real leaflet files, stylesheets and built PDFs."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest

from leafpress.checks.accessibility import check_leaflet, check_theme, contrast_ratio
from leafpress.formats import FORMATS, get_format, stylesheets_for
from leafpress.pdf.inspect import check_pdf
from leafpress.source.project import open_project
from tests.conftest import MINIMAL_LEAFLET, build_once, made_once, run_cli, write

WITH_LANGUAGE = MINIMAL_LEAFLET.replace('version: "1.2"\n', 'version: "1.2"\nlanguage: en-GB\n')


def messages(problems: list) -> list[str]:
    return [str(problem) for problem in problems]


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio((0, 0, 0, 1), (1, 1, 1, 1)) == pytest.approx(21.0)
    grey = (0x77 / 255,) * 3 + (1.0,)
    assert contrast_ratio(grey, (1, 1, 1, 1)) == pytest.approx(4.48, abs=0.01)


def test_built_in_theme_passes_in_every_format(project: Path) -> None:
    opened = open_project(project)
    for fmt in FORMATS.values():
        if fmt.kind != "text":
            assert check_theme(stylesheets_for(fmt, opened), fmt) == [], fmt.name


def test_low_contrast_theme_is_reported_where_the_colour_is_set(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    write(
        project / "styles" / "pale.css",
        """\
        /* A washed-out brand */
        :root {
          --muted: #9a9a9a;
          --ink: #595959;
        }
        .key-points { background: #dddddd; }
        """,
    )
    found = messages(check_leaflet(Path("leaflets/liver.yaml"), open_project(project), build_pdf=False))
    muted = [m for m in found if m.startswith("styles/pale.css:3:3: text colour #9a9a9a on #ffffff")]
    assert muted and "2.81:1, below WCAG AA 4.5:1" in muted[0] and ".subtitle" in muted[0]
    # Body text needs AAA (7:1): #595959 is 7:1 on white but not on the grey box.
    body = [m for m in found if m.startswith("styles/pale.css:4:3: text colour #595959 on #dddddd")]
    assert len(body) == 1 and "AAA for body text 7:1 (in body text in .key-points)" in body[0]
    assert not any(m.startswith("styles/pale.css:4:3: text colour #595959 on #ffffff") for m in found)


def test_missing_and_placeholder_alt_text_are_reported_with_their_lines(project: Path) -> None:
    source = write(
        project / "leaflets" / "pics.yaml",
        WITH_LANGUAGE.replace(
            """sections:
""",
            """sections:
  - heading: Pictures
    image:
      src: liver.png
    body: |
      Some text.

      ![](decoration.svg)
  - heading: More
    image:
      src: scan.png
      alt: Image
    body: Text.
""",
        ),
    )
    found = messages(check_leaflet(source, open_project(project), build_pdf=False))
    assert any(m.startswith(f"{source}:11:5: image 'liver.png' has no alt text") for m in found), found
    # The same words as the build's, from the same rule.
    assert any(m.startswith(f"{source}:16:1: image 'decoration.svg' has no alt text") for m in found), found
    assert any(
        m.startswith(f"{source}:20:7: the alt text 'Image' does not say what image 'scan.png' shows") for m in found
    )


def test_language_must_be_set_and_known(project: Path) -> None:
    opened = open_project(project)
    found = messages(check_leaflet(project / "leaflets" / "liver.yaml", opened, build_pdf=False))
    assert any("no language is set" in m for m in found)
    source = write(project / "leaflets" / "xx.yaml", WITH_LANGUAGE.replace("language: en-GB", "language: qq-ZZ"))
    found = messages(check_leaflet(source, opened, build_pdf=False))
    assert any(m.startswith(f"{source}:5:1: language 'qq-ZZ' is not a known language tag") for m in found)
    source = write(project / "leaflets" / "ok.yaml", WITH_LANGUAGE)
    assert not any("language" in m for m in messages(check_leaflet(source, opened, build_pdf=False)))


def test_skipped_heading_level_is_reported_at_its_line(project: Path) -> None:
    source = write(
        project / "leaflets" / "h.yaml",
        WITH_LANGUAGE.replace(
            "      Your liver cleans your blood. It also stores energy.\n",
            "      Your liver cleans your blood. It also stores energy.\n\n      ### Too deep\n\n      # Fine\n",
        ),
    )
    found = messages(check_leaflet(source, open_project(project), build_pdf=False))
    skips = [m for m in found if "skips a level" in m]
    assert skips == [
        f"{source}:14:1: heading skips a level (h2 to h5) — use '#' here: one '#' more than the heading above it"
    ]


def test_type_below_the_formats_minimum_is_reported(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    write(project / "styles" / "small.css", ".references { font-size: 12pt; }\n")
    opened = open_project(project)
    large = messages(check_theme(stylesheets_for(get_format("large-print"), opened), get_format("large-print")))
    assert large == [
        "styles/small.css:1:15: font size 12pt (.references) is below the large-print minimum of "
        "16pt — use 16pt or more"
    ]
    assert check_theme(stylesheets_for(get_format("standard"), opened), get_format("standard")) == []


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:

    def make(root: Path) -> None:
        build_once(root, WITH_LANGUAGE, "-f", "standard", "-f", "large-print", "-f", "booklet")
        # The build reads each PDF back too, and would have warned.
        assert "warning" not in run_cli("-f", "standard", cwd=root).stderr

    return made_once(tmp_path_factory, "pdfcheck", make) / "output"


def test_built_pdfs_pass_the_pdf_checks(pdfs: Path) -> None:
    assert check_pdf(pdfs / "liver.pdf") == []
    assert check_pdf(pdfs / "liver.large-print.pdf") == []


def test_pdf_checks_find_what_is_missing(pdfs: Path, tmp_path: Path) -> None:
    booklet = messages(check_pdf(pdfs / "liver.booklet.pdf"))
    assert any("not tagged (no StructTreeRoot)" in m for m in booklet)
    assert any("no PDF/UA identifier" in m for m in booklet)
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(pdfs / "liver.pdf") as pdf:
        del pdf.Root.Lang
        del pdf.pages[0].obj.Tabs
        pdf.Root.ViewerPreferences.DisplayDocTitle = False
        figure = pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Figure, Pg=pdf.pages[1].obj, P=pdf.Root.StructTreeRoot.K[0]
        )
        pdf.Root.StructTreeRoot.K[0].K.append(pdf.make_indirect(figure))
        pdf.save(broken)
    found = messages(check_pdf(broken))
    assert any("no language (/Lang)" in m for m in found)
    assert any("page 1 has no structure tab order" in m for m in found)
    assert any("does not show its title" in m for m in found)
    assert any("a figure on page 2 has no alternate text" in m for m in found)


def test_type_below_the_minimum_is_measured_in_the_built_pdf(pdfs: Path) -> None:
    assert check_pdf(pdfs / "liver.large-print.pdf", min_font_pt=16) == []
    found = messages(check_pdf(pdfs / "liver.pdf", min_font_pt=16))
    # The standard references are 11.5pt: too small for a large-print reader.
    assert any("is 11.5pt, below the minimum of 16pt" in m and "Smith J" in m for m in found), found


def test_check_command_reports_low_contrast_and_missing_alt_text(project: Path) -> None:
    write(project / "styles" / "pale.css", ":root {\n  --muted: #9a9a9a;\n}\n")
    write(
        project / "leaflets" / "liver.yaml",
        WITH_LANGUAGE.replace(
            """sections:
""",
            """sections:
  - heading: A picture
    image:
      src: liver.png
    body: Text.
""",
        ),
    )
    result = run_cli("check", "--json", cwd=project)
    assert result.returncode == 1
    record = json.loads(result.stdout)["leaflets"][0]
    problems = record["accessibility"]["problems"]
    assert record["accessibility"]["passed"] is False and record["passed"] is False
    contrast = next(p for p in problems if p["rule"] == "contrast")
    assert (contrast["file"], contrast["line"], contrast["column"]) == ("styles/pale.css", 2, 3)
    assert "#9a9a9a on #ffffff has contrast 2.81:1, below WCAG AA 4.5:1" in contrast["message"]
    alt = next(p for p in problems if p["rule"] == "alt-text")
    assert (alt["file"], alt["line"]) == ("leaflets/liver.yaml", 11)
    assert alt["message"] == "image 'liver.png' has no alt text"
    text = run_cli("check", cwd=project)
    assert "Accessibility: problems found" in text.stdout
    assert "leaflets/liver.yaml:11:5: image 'liver.png' has no alt text" in " ".join(text.stdout.split())


def test_check_command_passes_a_clean_leaflet(project: Path) -> None:
    write(project / "leaflets" / "liver.yaml", WITH_LANGUAGE)
    result = run_cli("check", "--json", cwd=project)
    record = json.loads(result.stdout)["leaflets"][0]
    report = record["accessibility"]
    assert (report["passed"], report["formats"], report["problems"]) == (True, ["standard"], [])
    # Not built yet: `check` builds the PDF for itself (beside the outputs, not among them) and judges it.
    assert report["pdfs_not_built"] == [] and report["pdfs_checked"] == ["output/.leafpress-check/liver.pdf"]
    assert not (project / "output" / "liver.pdf").exists()


def test_check_reads_the_pdf_built_from_the_current_source(project: Path) -> None:
    write(project / "leaflets" / "liver.yaml", WITH_LANGUAGE)
    assert run_cli("build", cwd=project).returncode == 0
    report = json.loads(run_cli("check", "--json", cwd=project).stdout)["leaflets"][0]["accessibility"]
    assert report["pdfs_checked"] == ["output/liver.pdf"] and report["passed"]
    # Once the source changes, the old PDF no longer speaks for it: the check builds the new one.
    write(project / "leaflets" / "liver.yaml", WITH_LANGUAGE.replace("Your liver", "The liver"))
    report = json.loads(run_cli("check", "--json", cwd=project).stdout)["leaflets"][0]["accessibility"]
    assert report["pdfs_not_built"] == [] and report["pdfs_checked"] == ["output/.leafpress-check/liver.pdf"]
    assert [pdf["fresh"] for pdf in report["pdfs"]] == [False]
