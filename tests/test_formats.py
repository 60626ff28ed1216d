"""Every output format, built by the real CLI and read back from the files it writes."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from pypdf import PdfReader

from leafpress.formats import FORMAT_NAMES, FORMATS
from leafpress.pdf.imposition import padded_order, sheet_sides
from leafpress.pdf.inspect import small_text
from tests.conftest import MINIMAL_LEAFLET, REPO, made_once, run_cli, write

MM = 72 / 25.4
ALL_FORMATS = [arg for name in FORMAT_NAMES for arg in ("--format", name)]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal leaflet built once in every format."""

    def make(root: Path) -> None:
        write(root / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
        result = run_cli(*ALL_FORMATS, cwd=root)
        assert result.returncode == 0, result.stderr

    root = made_once(tmp_path_factory, "formats", make, parallel=True)
    return root / "output"


# Formats that need something the minimal leaflet has not: a translation, an Easy Read version.
NEEDS_MORE = {"bilingual", "easy-read"}


def test_output_names_follow_the_format(outputs: Path) -> None:
    # Hidden files aside: the build manifest (.leafpress-manifest.json) lives there too.
    expected = [f"liver{fmt.suffix}" for fmt in FORMATS.values() if fmt.name not in NEEDS_MORE]
    assert {"liver.pdf", "liver.large-print.pdf", "liver.booklet.pdf", "liver.html", "liver.txt"} <= set(expected)
    assert sorted(p.name for p in outputs.iterdir() if not p.name.startswith(".")) == sorted(expected)


def test_default_formats_come_from_the_project_config(project: Path) -> None:
    write(project / "leafpress.yaml", "formats: [large-print, text]\n")
    result = run_cli(cwd=project)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (project / "output").glob("[!.]*")) == ["liver.large-print.pdf", "liver.txt"]
    # --format replaces the project's list, on `build` too.
    result = run_cli("build", "leaflets/liver.yaml", "--format", "html", "-o", "other", cwd=project)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (project / "other").glob("[!.]*")] == ["liver.html"]


def test_unknown_format_is_a_usage_error(project: Path) -> None:
    result = run_cli("--format", "morse-code", cwd=project)
    assert result.returncode == 2
    assert "large-print" in result.stderr


def test_unknown_format_in_config_names_its_line(project: Path) -> None:
    write(project / "leafpress.yaml", "language: en-GB\nformats: [standard, largeprint]\n")
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert "leafpress.yaml:2:" in result.stderr


def test_large_print_has_no_text_under_16pt(outputs: Path) -> None:
    with pdfplumber.open(outputs / "liver.large-print.pdf") as pdf:
        sizes = [char["size"] for page in pdf.pages for char in page.chars if char["text"].strip()]
        footer = [c for c in pdf.pages[0].chars if c["top"] > pdf.pages[0].height - 80]
    assert sizes and min(sizes) >= 16 - 0.01
    assert footer and min(c["size"] for c in footer) >= 16 - 0.01
    # Body text is at least 18pt.
    with pdfplumber.open(outputs / "liver.large-print.pdf") as pdf:
        found = [match for page in pdf.pages for match in page.search("Your liver cleans your blood")]
    assert found and all(char["size"] >= 18 - 0.01 for char in found[0]["chars"])


def test_standard_text_is_smaller_than_large_print(outputs: Path) -> None:
    with pdfplumber.open(outputs / "liver.pdf") as pdf:
        assert min(c["size"] for page in pdf.pages for c in page.chars) < 16


def test_booklet_is_a5_imposed_on_a4_landscape_in_saddle_stitch_order(outputs: Path) -> None:
    sheets = PdfReader(outputs / "liver.booklet.pdf").pages
    for side in sheets:
        assert (round(float(side.mediabox.width)), round(float(side.mediabox.height))) == (842, 595)
    a5_pages = len(padded_order(_booklet_page_count(outputs)))
    assert a5_pages % 4 == 0 and len(sheets) * 2 == a5_pages
    # Each printed side holds two pages: read each half and check the page numbers printed there.
    expected = [pair for pair in sheet_sides(padded_order(_booklet_page_count(outputs)))]
    with pdfplumber.open(outputs / "liver.booklet.pdf") as pdf:
        for side, (left, right) in zip(pdf.pages, expected, strict=True):
            for half, index in (
                (side.crop((0, 0, side.width / 2, side.height)), left),
                (side.crop((side.width / 2, 0, side.width, side.height)), right),
            ):
                text = half.extract_text() or ""
                if index is None:
                    assert text.strip() == ""
                else:
                    assert f"Page {index + 1} of" in text


def _booklet_page_count(outputs: Path) -> int:
    """The A5 pages before padding, from the 'Page N of M' footers of the imposed file."""
    text = " ".join(page.extract_text() for page in PdfReader(outputs / "liver.booklet.pdf").pages)
    return int(text.split("Page 1 of ")[1].split()[0])


def test_booklet_links_sit_on_their_words_and_lead_to_their_places_on_the_sheets(examples_built: Path) -> None:
    path = examples_built / "secondary-liver-cancer.booklet.pdf"
    with pikepdf.open(path) as pdf:
        sheets = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        places = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
        links = [(number, link) for number, page in enumerate(pdf.pages) for link in page.obj.get("/Annots", [])]
        assert {"/URI", "/Dest"} <= {"/Dest" if "/Dest" in link else "/URI" for _, link in links}
        with pdfplumber.open(path) as plumber:
            for number, link in links:
                x0, y0, x1, y1 = (float(value) for value in link.Rect)
                assert x0 < x1 and y0 < y1 and link.P.objgen == pdf.pages[number].obj.objgen
                side = plumber.pages[number]
                words = side.crop((x0 - 1, side.height - y1 - 1, x1 + 1, side.height - y0 + 1)).extract_text()
                assert words.strip(), f"a link on sheet side {number + 1} covers no words"
                if "/Dest" in link:
                    # A citation leads to its reference: the place is on a sheet, by the words it names.
                    page, kind, left, top = places[str(link.Dest)][:4]
                    target = plumber.pages[sheets[page.objgen]]
                    below = target.crop((float(left) - 2, target.height - float(top), target.width, target.height))
                    assert kind == "/XYZ" and (below.extract_text() or "").strip()


def test_booklet_back_cover_keeps_the_review_and_contact_details(outputs: Path) -> None:
    with pdfplumber.open(outputs / "liver.booklet.pdf") as pdf:
        first = pdf.pages[0]
        back_cover = first.crop((0, 0, first.width / 2, first.height)).extract_text()
        front_cover = first.crop((first.width / 2, 0, first.width, first.height)).extract_text()
    assert "About this information" in back_cover and "Next review due" in back_cover
    assert "Looking after your liver" in front_cover


@pytest.mark.parametrize(("count", "blanks"), [(1, 3), (4, 0), (5, 3), (6, 2), (7, 1), (8, 0), (10, 2)])
def test_booklet_padding_goes_before_the_last_page(count: int, blanks: int) -> None:
    order = padded_order(count)
    assert len(order) % 4 == 0 and order.count(None) == blanks
    if count > 1:
        assert order[-1] == count - 1
    sides = sheet_sides(order)
    assert len(sides) * 2 == len(order)
    assert sorted(p for pair in sides for p in pair if p is not None) == list(range(count))
    # The first side is the outside of the booklet: back cover on the left, front cover on the right.
    assert sides[0] == (order[-1], order[0])


def test_booklet_padding_keeps_a_two_page_back_matter_together() -> None:
    # Nine pages, the back matter on pages 8 and 9 (indexes 7 and 8): three blanks before it.
    assert padded_order(9, back_start=7) == [0, 1, 2, 3, 4, 5, 6, None, None, None, 7, 8]


def test_booklet_with_long_back_matter_keeps_it_on_the_back_cover(project: Path) -> None:
    # A long change history would make "About this information" longer than one A5 page: the
    # booklet's back cover keeps the review dates, code and contacts, and leaves the history to
    # the standard (accessible) PDF.
    changes = "".join(
        f"""  - version: "1.{n}"
    date: 20{10 + n}-01-0{n % 9 + 1}
    summary: Reviewed by the liver team; the wording of the section on tests made plainer for readers.
"""
        for n in range(1, 10)
    )
    leaflet = MINIMAL_LEAFLET.replace("review:\n", f"changes:\n{changes}review:\n", 1)
    write(project / "leaflets" / "liver.yaml", leaflet)
    result = run_cli("-f", "booklet", "-f", "standard", cwd=project)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(project / "output" / "liver.booklet.pdf") as pdf:
        halves = [
            (
                side.crop((0, 0, side.width / 2, side.height)).extract_text() or "",
                side.crop((side.width / 2, 0, side.width, side.height)).extract_text() or "",
            )
            for side in pdf.pages
        ]
    pages = [""] * (len(halves) * 2)
    for (left, right), (left_index, right_index) in zip(halves, sheet_sides(list(range(len(pages)))), strict=True):
        pages[left_index], pages[right_index] = left, right
    assert all(text.strip() for text in pages)  # no blank page
    assert "Page 1 of" in pages[0]
    back = " ".join(pages[-1].split())
    assert "About this information" in back and "Last reviewed" in back and "TST-001" in back
    assert "made plainer for readers" not in " ".join(pages)
    with pdfplumber.open(project / "output" / "liver.pdf") as pdf:
        standard = " ".join(" ".join((page.extract_text() or "") for page in pdf.pages).split())
    assert standard.count("made plainer for readers") == 9  # the whole history is in the standard PDF


def test_print_shop_crop_marks_are_not_taken_for_content_drawn_off_the_page(project: Path) -> None:
    # They sit beyond the trimmed edge by design; text or a table cut by that edge is still found.
    from leafpress.pdf.layout import measure

    result = run_cli("build", "leaflets/liver.yaml", "-f", "print-shop", cwd=project)
    assert result.returncode == 0 and "cut off" not in result.stderr, result.stderr
    layout = measure((project / "output" / "liver.print-shop.pdf").read_bytes())
    assert [problem for problem in layout.problems if problem.rule == "off-page"] == []
    assert layout.nearest_edge_mm is not None and layout.nearest_edge_mm > 0


def test_print_shop_has_3mm_bleed_box_around_the_trim_box_and_crop_marks(outputs: Path) -> None:
    with pikepdf.open(outputs / "liver.print-shop.pdf") as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.mediabox]
            assert round(trim[2] - trim[0]) == 595 and round(trim[3] - trim[1]) == 842
            gaps = [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]]
            assert all(abs(gap - 3 * MM) < 0.01 for gap in gaps), gaps
            # The crop marks sit outside the bleed, on the larger media.
            assert media[0] < bleed[0] and media[2] > bleed[2]
    with pdfplumber.open(outputs / "liver.print-shop.pdf") as pdf:
        page = pdf.pages[0]
        # Crop marks: lines wholly left or right of the trimmed page, at its corners.
        marks = [line for line in page.lines if line["x1"] <= trim[0] + 0.01 or line["x0"] >= trim[2] - 0.01]
        assert len(marks) == 8


def test_text_reads_in_order_with_headings_and_markers(outputs: Path) -> None:
    text = (outputs / "liver.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    order = [
        "Looking after your liver",
        "Key points",
        "- Your liver does many jobs.",
        "What your liver does",
        "- It makes bile [1].",
        "Get help now",
        "When to get help",
        "References",
        "1. Smith J, Jones K. Liver care for beginners",
        "About this information",
        "Last reviewed: 15 March 2024",
    ]
    positions = [next(i for i, line in enumerate(lines) if line.startswith(item)) for item in order]
    assert positions == sorted(positions)
    title = lines.index("Looking after your liver")
    assert lines[title + 1] == "=" * len("Looking after your liver")
    assert "<" not in text and "&amp;" not in text


def test_html_is_a_standalone_page(outputs: Path) -> None:
    html = (outputs / "liver.html").read_text(encoding="utf-8")
    assert '<html lang="en-GB"' in html and "<main>" in html and "<style>" in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "file:" not in html


EXAMPLES = sorted(p.stem for p in (REPO / "leaflets").glob("*.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("stem", EXAMPLES)
def test_every_format_builds_for_every_example(examples_built: Path, stem: str) -> None:
    # The build of every example in every format but DL (tests/conftest.py) exited 0.
    assert len(EXAMPLES) >= 3
    for name in ("pdf", "large-print.pdf", "booklet.pdf", "print-shop.pdf", "html", "txt", "epub", "brf", "mp3"):
        assert (examples_built / f"{stem}.{name}").stat().st_size > 500
    # Words inside the examples' images (logo, diagram) count too.
    assert small_text(examples_built / f"{stem}.large-print.pdf", 16) == []
    assert small_text(examples_built / f"{stem}.booklet.pdf", 11) == []


def test_a_back_cover_too_long_for_one_page_still_builds_with_a_warning(project: Path) -> None:
    # WeasyPrint's page maker fails an internal assertion on a block kept whole that is taller
    # than an A5 page; the booklet is laid out again with blocks allowed to split.
    reviewers = "reviewers:\n" + "".join(
        f"  - name: Reviewer Number {i}\n    role: Specialist nurse in liver care\n" for i in range(18)
    )
    authors = "authors: [" + ", ".join(f"Author {i}" for i in range(30)) + "]\n"
    write(
        project / "leaflets" / "liver.yaml", MINIMAL_LEAFLET.replace("review:\n", reviewers + authors + "review:\n", 1)
    )
    result = run_cli("build", "--format", "booklet", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    assert "blocks were allowed to split across pages" in result.stderr
    with pdfplumber.open(project / "output" / "liver.booklet.pdf") as pdf:
        text = " ".join(" ".join((page.extract_text() or "") for page in pdf.pages).split())
    assert "Reviewer Number 17" in text and "Author 29" in text
