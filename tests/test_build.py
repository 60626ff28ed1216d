"""End to end: real leaflets built by the real CLI into real PDFs, read back."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from tests.conftest import MINIMAL_LEAFLET, REPO, run_cli, run_process, write

A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal leaflet built once, by ``python generate.py`` in a project with no config of its own."""
    root = tmp_path_factory.mktemp("project")
    write(root / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    result = run_process(cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "output" / "liver.pdf"


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_text_is_in_reading_order(built: Path) -> None:
    text = " ".join(page.extract_text() for page in PdfReader(built).pages)
    order = [
        "Looking after your liver",
        "Key points",
        "What your liver does",
        "It makes bile",
        "Get help now",
        "When to get help",
        "References",
        "About this information",
    ]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)


def test_references_are_numbered_vancouver(built: Path) -> None:
    # A web address breaks only after a "/" or "." (never at a hyphen); join its lines back.
    text = " ".join(pdf_text(built).split())
    while (joined := re.sub(r"(https?://\S*[/.]) (?=[a-z0-9])", r"\1", text)) != text:
        text = joined
    assert "1. Smith J, Jones K. Liver care for beginners. Example Press; 2021." in text
    assert "[Accessed 1 July 2023]" in text
    assert "Available from: https://www.nice.org.uk/guidance/example" in text


def test_review_dates_are_appended_and_computed(built: Path) -> None:
    text = " ".join(pdf_text(built).split())
    assert "Last reviewed 15 March 2024" in text
    # Not given in the file: last review + the default 3-year interval.
    assert "Next review due 15 March 2027" in text
    assert "2024-03-15" not in text


def test_footer_on_every_page(built: Path) -> None:
    pages = PdfReader(built).pages
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert "TST-001 · Version 1.2" in text
        assert f"Page {number} of {len(pages)}" in text


def test_pdf_is_tagged_with_language_title_and_metadata(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert root.MarkInfo.Marked
        assert str(root.Lang) == "en-GB"
        assert root.ViewerPreferences.DisplayDocTitle
        assert str(pdf.docinfo["/Title"]) == "Looking after your liver"
        assert str(pdf.docinfo["/Subject"]) == "A short guide"
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
    info = subprocess.run(["pdfinfo", str(built)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info


def test_headings_become_bookmarks(built: Path) -> None:
    titles = [item.title for item in PdfReader(built).outline if not isinstance(item, list)]
    assert "Looking after your liver" in titles or any("Looking" in t for t in titles)
    flat = str(PdfReader(built).outline)
    assert "What your liver does" in flat and "References" in flat


def test_fonts_are_embedded_and_page_is_a4(built: Path) -> None:
    reader = PdfReader(built)
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == (595.3, 841.9)
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()
            descriptor = (
                descendant["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in descendant
                else descendant["/FontDescriptor"]
            )
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_provenance_is_in_the_metadata(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        assert str(pdf.docinfo["/LeafletCode"]) == "TST-001"
        assert str(pdf.docinfo["/NextReviewDue"]) == "2027-03-15"
        assert len(str(pdf.docinfo["/SourceSHA256"])) == 64


def test_broken_leaflet_fails_alone_with_one_line_and_no_pdf(project: Path) -> None:
    write(project / "leaflets" / "broken.yaml", MINIMAL_LEAFLET.replace("sections:", "sectons:"))
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "leaflets/broken.yaml:8:1: unknown key 'sectons' — did you mean 'sections'?" in result.stderr
    assert not (project / "output" / "broken.pdf").exists()
    assert (project / "output" / "liver.pdf").exists()


def test_build_named_files_from_any_folder(tmp_path: Path) -> None:
    source = write(tmp_path / "some" / "where" / "x.yaml", MINIMAL_LEAFLET)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    result = run_cli("build", source, "--output", "out", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "out" / "x.pdf").stat().st_size > 5000


def test_failed_rebuild_keeps_the_previous_good_pdf(project: Path) -> None:
    assert run_cli(cwd=project).returncode == 0
    good = (project / "output" / "liver.pdf").read_bytes()
    write(project / "leaflets" / "liver.yaml", "title: [broken\n")
    assert run_cli(cwd=project).returncode == 1
    assert (project / "output" / "liver.pdf").read_bytes() == good
    assert not list((project / "output").glob(".*.part"))


def test_usage_error_exits_2(project: Path) -> None:
    assert run_cli("--no-such-option", cwd=project).returncode == 2


def test_project_templates_override_the_built_in_ones(project: Path) -> None:
    write(project / "templates" / "end_matter.html.j2", "<p>Custom end {{ leaflet.code }}</p>")
    assert run_cli(cwd=project).returncode == 0
    text = pdf_text(project / "output" / "liver.pdf")
    assert "Custom end TST-001" in text and "About this information" not in text


def test_undefined_template_variable_is_an_error_with_its_line(project: Path) -> None:
    write(project / "templates" / "end_matter.html.j2", "<p>ok</p>\n<p>{{ leaflet.no_such_thing }}</p>")
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert "end_matter.html.j2:2:1: template error" in result.stderr
    assert not (project / "output" / "liver.pdf").exists()


def figures(path: Path) -> list[pikepdf.Dictionary]:
    """Every Figure element in the PDF's structure tree."""
    found: list[pikepdf.Dictionary] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure":
                found.append(node)
            if "/K" in node:
                walk(node.K)

    with pikepdf.open(path) as pdf:
        walk(pdf.Root.StructTreeRoot)
        return [dict(f.items()) for f in found]


def test_image_keeps_its_alt_text_and_caption(project: Path) -> None:
    (project / "leaflets" / "images").mkdir()
    (project / "leaflets" / "images" / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="15"/></svg>'
    )
    text = MINIMAL_LEAFLET.replace(
        "  - heading: What your liver does\n",
        "  - heading: What your liver does\n    image:\n      src: images/dot.svg\n"
        "      alt: A dark circle standing for the liver\n      caption: The liver, drawn simply.\n",
    )
    write(project / "leaflets" / "liver.yaml", text)
    result = run_cli(cwd=project)
    assert result.returncode == 0, result.stderr
    alts = [str(f.get("/Alt")) for f in figures(project / "output" / "liver.pdf")]
    assert "A dark circle standing for the liver" in alts
    assert "The liver, drawn simply." in pdf_text(project / "output" / "liver.pdf")


def test_missing_image_is_an_error_at_its_line(project: Path) -> None:
    text = MINIMAL_LEAFLET.replace(
        "  - heading: What your liver does\n",
        "  - heading: What your liver does\n    image:\n      src: images/none.png\n      alt: Nothing\n",
    )
    write(project / "leaflets" / "liver.yaml", text)
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert "leaflets/liver.yaml:11:7: image 'images/none.png' not found" in result.stderr


def test_weasyprint_error_fails_the_build(project: Path) -> None:
    # An <img> without alt text makes WeasyPrint log an error for PDF/UA but still write a file.
    write(
        project / "templates" / "end_matter.html.j2",
        '<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">',
    )
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert "leaflets/liver.yaml:1:1: the PDF would be flawed" in result.stderr
    assert not (project / "output" / "liver.pdf").exists()


def test_contact_block_and_organisation_details(project: Path) -> None:
    write(
        project / "leafpress.yaml",
        """\
        organisation:
          name: Example Health Trust
          phone: 0300 000 0000
          feedback: Email us at feedback@example.org.
        """,
    )
    text = MINIMAL_LEAFLET.replace("references:", "contact:\n  name: Liver nurses\n  phone: 0161 496 0000\nreferences:")
    write(project / "leaflets" / "liver.yaml", text)
    assert run_cli(cwd=project).returncode == 0
    out = " ".join(pdf_text(project / "output" / "liver.pdf").split())
    assert "Who to contact" in out and "Liver nurses" in out and "0161 496 0000" in out
    assert "Example Health Trust" in out and "Email us at feedback@example.org." in out


def test_template_without_a_title_fails_the_build(project: Path) -> None:
    template = (REPO / "leafpress" / "theme" / "templates" / "leaflet.html.j2").read_text()
    write(project / "templates" / "leaflet.html.j2", template.replace("<title>{{ doc.title }}</title>", ""))
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert "the PDF would have no title" in result.stderr
    assert not (project / "output" / "liver.pdf").exists()


def test_two_leaflets_with_one_output_name_are_refused_not_overwritten(project: Path) -> None:
    write(project / "leaflets" / "liver.yml", MINIMAL_LEAFLET.replace("Looking after your liver", "Other"))
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert "leaflets/liver.yml:1:1: leaflets/liver.yaml already writes liver.pdf — rename one" in result.stderr
    assert "Looking after your liver" in pdf_text(project / "output" / "liver.pdf")
