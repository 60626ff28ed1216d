"""Links for the phone: a vector QR code with the short address beside it, in every format."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pdfplumber
import pikepdf
import pytest
import segno

from leafpress.enrich.qr import short_address
from leafpress.pdf.inspect import structure_elements
from tests.conftest import MINIMAL_LEAFLET, build_once, run_cli, write

SECTION_URL = "https://www.example.org/videos/liver-care"
LEAFLET_URL = "https://www.example.org/leaflets/tst-001/"

LINKED = MINIMAL_LEAFLET.replace(
    """      - It fights infection.
""",
    f"""      - It fights infection.
    link:
      url: {SECTION_URL}
      label: Watch a short film about your liver
""",
).replace(
    "review:\n",
    f"""link:
  url: {LEAFLET_URL}
  label: Read this leaflet online
review:
""",
    1,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_once(tmp_path_factory.mktemp("links"), LINKED, "-f", "standard", "-f", "html", "-f", "text")


def test_short_address_drops_the_scheme_and_trailing_slash() -> None:
    assert short_address("https://www.example.org/leaflets/tst-001/") == "www.example.org/leaflets/tst-001"
    assert short_address("http://example.org") == "example.org"
    assert short_address("https://example.org/a?b=1") == "example.org/a?b=1"


def test_pdf_prints_label_and_address_beside_a_vector_qr_code(built: Path) -> None:
    with pdfplumber.open(built / "liver.pdf") as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
        assert "Watch a short film about your liver" in text
        assert "www.example.org/videos/liver-care" in text
        assert "Read this leaflet online" in text and "www.example.org/leaflets/tst-001" in text
        assert "https://www.example.org/videos" not in text  # the short form, not the URL again
        page = next(p for p in pdf.pages if "liver-care" in (p.extract_text() or ""))
        # Vector: no raster image on the page, but many filled modules beside the address.
        assert page.images == []
        address = page.search("www.example.org/videos/liver-care")[0]
        # segno draws each row of dark modules as stroked line segments.
        modules = [
            line
            for line in page.lines
            if line["x1"] <= address["x0"] and abs((line["top"] + line["bottom"]) / 2 - address["top"]) < 60
        ]
        assert len(modules) >= 50


def test_qr_code_is_decorative_in_the_structure_tree(built: Path) -> None:
    with pikepdf.open(built / "liver.pdf") as pdf:
        figures = [e for e in structure_elements(pdf.Root.StructTreeRoot) if e.S == "/Figure"]
        # The address in words says what the QR code says: no Figure without alt, no empty figure.
        assert all(str(figure.get("/Alt", "")).strip() for figure in figures)


def test_html_embeds_the_same_qr_code_and_a_real_link(built: Path) -> None:
    html = (built / "liver.html").read_text(encoding="utf-8")
    assert f'<a href="{SECTION_URL}">www.example.org/videos/liver-care</a>' in html
    sources = re.findall(r'<img class="qr" src="([^"]+)" alt="">', html)
    assert len(sources) == 2
    expected = segno.make(SECTION_URL, error="m", micro=False).svg_data_uri(
        border=4, omitsize=True, xmldecl=False, nl=False, dark="#000", light="#fff"
    )
    assert unquote(sources[0].replace("&amp;", "&")) == unquote(expected)


def test_text_has_label_and_address_but_no_scanning_hint(built: Path) -> None:
    text = (built / "liver.txt").read_text(encoding="utf-8")
    assert "Watch a short film about your liver: www.example.org/videos/liver-care" in text
    assert "Scan the code" not in text


def test_a_link_must_be_a_web_address(project: Path) -> None:
    write(project / "leaflets" / "liver.yaml", LINKED.replace(SECTION_URL, "javascript:alert(1)"))
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert "leaflets/liver.yaml:16:7: 'sections[1].link.url' has an unusable value" in result.stderr
    assert not (project / "output" / "liver.pdf").exists()
