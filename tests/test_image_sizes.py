"""A picture is drawn no larger than its own size times the format's image scale, and never wider
than the text column: built as PDFs and measured on the page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from leafpress.pdf.layout import measure
from tests.conftest import REPO, made_once, run_cli

LAYOUT = REPO / "tests" / "data" / "layout"
PX = 0.75  # PDF points in a CSS pixel
# What each format may draw a picture at, times its own size (theme/styles: --image-scale).
SCALES = {".pdf": 1.0, ".large-print.pdf": 1.3}
# A colour nothing else on the page has, to find the icon's square among the drawn shapes.
ICON_FILL = "#7a1f5c"
ICON = (
    f'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">'
    f'<rect width="120" height="120" fill="{ICON_FILL}"/></svg>'
)
# An SVG with only a viewBox has no size of its own: it is as wide as the text in large print.
UNSIZED = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><rect width="300" height="100" fill="#ccc"/></svg>'
)
LEAFLET = """title: Checking your wound at home
code: TLY-161
version: "1.0"
language: en-GB
summary:
  - Look at your wound every day.
sections:
  - heading: A small drawing as the section's picture
    image:
      src: images/icon.svg
      alt: A purple square, the size of an icon.
    body: |
      The square above is an icon, 120 pixels across.

      ![A small photo of a pink ring.](images/small.png)
  - heading: A wide photo in the text
    body: |
      This photo is 900 pixels across, wider than the column.

      ![A wide photo of a blue frame.](images/wide.png)

      ![A grey band with no size of its own.](images/band.svg)
authors: [Test Team]
approved_by:
  name: Dr Priya Nair
  role: Clinical Lead
  date: 2025-04-10
review:
  last_reviewed: 2025-04-01
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def make(root: Path) -> None:
        shutil.copytree(LAYOUT / "assets", root / "assets")
        shutil.copy(LAYOUT / "leafpress.yaml", root / "leafpress.yaml")
        images = root / "leaflets" / "images"
        images.mkdir(parents=True)
        (images / "icon.svg").write_text(ICON)
        (images / "band.svg").write_text(UNSIZED)
        Image.new("RGB", (200, 100), "#fdf2f3").save(images / "small.png")
        Image.new("RGB", (900, 300), "#e9f1f8").save(images / "wide.png")
        (root / "leaflets" / "icons.yaml").write_text(LEAFLET)
        formats = ("standard", "large-print", "booklet", "html")
        result = run_cli(*(arg for name in formats for arg in ("--format", name)), cwd=root)
        assert result.returncode == 0, result.stderr

    return made_once(tmp_path_factory, "image-sizes", make) / "output"


def _drawn(pdf: Path) -> tuple[dict[tuple[int, int], float], float, float]:
    """The width (points) each raster image is drawn at, by its pixel size; the icon's square's
    width; and the text column's width (the page's width less its side margins, from the footer)."""
    rasters: dict[tuple[int, int], float] = {}
    icon = 0.0
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for image in page.images:
                rasters[tuple(image["srcsize"])] = float(image["x1"] - image["x0"])  # type: ignore[index]
            for rect in page.rects:
                colour = rect.get("non_stroking_color")
                if colour and len(colour) == 3 and "#" + "".join(f"{round(c * 255):02x}" for c in colour) == ICON_FILL:
                    icon = max(icon, float(rect["x1"] - rect["x0"]))
        first = document.pages[0]
        footer = [word for word in first.extract_words() if word["top"] > float(first.height) * 0.9]
        column = max(word["x1"] for word in footer) - min(word["x0"] for word in footer)
    return rasters, icon, float(column)


@pytest.mark.parametrize("suffix", list(SCALES))
def test_a_picture_is_never_drawn_larger_than_its_own_size_times_the_formats_scale(built: Path, suffix: str) -> None:
    rasters, icon, column = _drawn(built / f"icons{suffix}")
    scale = SCALES[suffix]
    assert icon == pytest.approx(120 * PX * scale, abs=0.5), "the 120 px icon is not icon-sized"
    assert rasters[(200, 100)] == pytest.approx(200 * PX * scale, abs=0.5)
    # 900 px is wider than the column at any scale: it is scaled down to the column, no further.
    assert rasters[(900, 300)] <= column + 0.5 and rasters[(900, 300)] >= 0.8 * column, (rasters, column)


def test_large_print_enlarges_a_small_picture_but_no_more_than_its_scale(built: Path) -> None:
    standard, _, _ = _drawn(built / "icons.pdf")
    large, _, _ = _drawn(built / "icons.large-print.pdf")
    assert large[(200, 100)] / standard[(200, 100)] == pytest.approx(1.3, abs=0.01)


@pytest.mark.parametrize("suffix", [*SCALES, ".booklet.pdf"])
def test_no_picture_is_drawn_outside_the_margins(built: Path, suffix: str) -> None:
    layout = measure((built / f"icons{suffix}").read_bytes())
    least = 8 if suffix == ".booklet.pdf" else 10
    assert layout.nearest_edge_mm is not None and layout.nearest_edge_mm >= least, layout.to_json()
    assert not [p for p in layout.problems if p.rule in ("off-page", "edge")], layout.to_json()


def test_the_web_page_gives_each_picture_its_own_size(built: Path) -> None:
    page = (built / "icons.html").read_text()
    assert page.count('class="sized" style="--natural-width: 120.0px"') == 1
    assert page.count('class="sized" style="--natural-width: 900.0px"') == 1
    assert 'alt="A grey band with no size of its own." class="sized"' not in page


def test_a_photo_larger_than_print_needs_is_kept_at_300_dpi(tmp_path: Path) -> None:
    # A phone photo: 4,000 pixels across, printed about 15 cm wide, is about 680 dpi.
    import pikepdf

    from tests.conftest import MINIMAL_LEAFLET, write

    photo = tmp_path / "leaflets" / "images" / "ward.jpg"
    photo.parent.mkdir(parents=True)
    gradient = Image.linear_gradient("L").resize((4000, 2800))
    Image.merge("RGB", (gradient, gradient.rotate(90, expand=False), gradient)).save(photo, quality=90)
    section = "  - heading: The ward\n    image:\n      src: images/ward.jpg\n      alt: The ward, with six beds\n"
    write(
        tmp_path / "leaflets" / "liver.yaml",
        MINIMAL_LEAFLET.replace("  - heading: When", section + "  - heading: When"),
    )
    result = run_cli("build", "leaflets/liver.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with (
        pikepdf.open(tmp_path / "output" / "liver.pdf") as pdf,
        pdfplumber.open(tmp_path / "output" / "liver.pdf") as pages,
    ):
        (image,) = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image" and int(obj.get("/Width", 0)) > 1000
        ]
        (drawn,) = [i for page in pages.pages for i in page.images if i["width"] > 200]
    inches = drawn["width"] / 72
    assert 280 <= int(image.Width) / inches <= 310  # was the photo's own 4,000 pixels
