"""Safe rendering: nothing typed into a leaflet, template or stylesheet can run, leak or hang.

Every route to /etc/passwd is tried with the real CLI and real PDFs read back: the build
must refuse and say why, naming the leaflet and the address, and write nothing.
"""

from __future__ import annotations

import http.server
import os
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from leafpress.render.fetcher import ProjectFetcher, RefusedFetch
from tests.conftest import MINIMAL_LEAFLET, run_cli, write

PASSWD_MARK = b"root:"
REFUSED_PASSWD = "refused to read file:///etc/passwd: it is outside the project folder"


def pdf_bytes_everywhere(path: Path) -> bytes:
    """Every stream of the PDF decompressed, so nothing can hide in a compressed stream."""
    chunks = [path.read_bytes()]
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    chunks.append(obj.read_bytes())
                except pikepdf.PdfError:
                    chunks.append(obj.read_raw_bytes())
    return b"\n".join(chunks)


def assert_nothing_embedded(path: Path) -> None:
    with pikepdf.open(path) as pdf:
        names = pdf.Root.get("/Names", {})
        assert "/EmbeddedFiles" not in names and "/JavaScript" not in names
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                assert annot.get("/Subtype") != "/FileAttachment"
                action = annot.get("/A", {})
                assert action.get("/S") in (None, "/URI", "/GoTo")
    assert PASSWD_MARK not in pdf_bytes_everywhere(path)


def assert_refused(project: Path, *, where: str = "leaflets/liver.yaml", says: str = REFUSED_PASSWD) -> str:
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if says in line]
    assert lines, result.stderr
    assert lines[0].startswith(f"{where}:") and " — " in lines[0]
    assert not (project / "output" / "liver.pdf").exists()
    return lines[0]


class Elements(HTMLParser):
    """The real elements and attributes of an HTML page (not text that looks like them)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)
        self.values.extend(value or "" for _, value in attrs)


# --- What a leaflet types never becomes markup -----------------------------------------------

HOSTILE = (
    MINIMAL_LEAFLET.replace(
        "title: Looking after your liver",
        "title: Looking after <script>alert(1)</script> your liver",
    )
    .replace(
        "  - heading: When to get help\n",
        '  - heading: When <iframe src="https://evil.example"></iframe> to get help\n',
    )
    .replace(
        "references:",
        'terms:\n  - term: <object data="file:///etc/passwd"></object>\n'
        '    meaning: <img src=x onerror="alert(1)"> a word\n'
        'contact:\n  name: <a href="javascript:alert(1)" onclick="steal()">Nurses</a>\nreferences:',
    )
)


def test_html_in_plain_fields_is_shown_as_text_never_markup(project: Path) -> None:
    write(project / "leaflets" / "liver.yaml", HOSTILE)
    result = run_cli("--format", "standard", "--format", "html", cwd=project)
    assert result.returncode == 0, result.stderr
    html = (project / "output" / "liver.html").read_text(encoding="utf-8")
    elements = Elements()
    elements.feed(html)
    assert not {"script", "iframe", "object", "embed"} & elements.tags
    assert not [name for name in elements.attributes if name.startswith("on")]
    assert not [value for value in elements.values if value.strip().lower().startswith("javascript:")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    pdf = project / "output" / "liver.pdf"
    assert_nothing_embedded(pdf)
    with pikepdf.open(pdf) as doc:
        assert "<script>" in str(doc.docinfo["/Title"])  # shown as the words typed, not run


# --- /etc/passwd by every route ------------------------------------------------------------


def test_css_url_in_a_project_stylesheet_is_refused(project: Path) -> None:
    write(project / "styles" / "brand.css", "body { background: url(file:///etc/passwd); }\n")
    assert_refused(project)


def test_css_relative_escape_and_import_are_refused(project: Path) -> None:
    # Enough "../" to reach the root from any temporary folder (parallel test workers nest deeper).
    up = "../" * 30
    write(project / "styles" / "brand.css", f'@import url("{up}etc/passwd");\nh1 {{ color: navy; }}\n')
    assert_refused(project, where="styles/brand.css", says=REFUSED_PASSWD)
    write(project / "styles" / "brand.css", f"h1 {{ color: navy; }}\nh2 {{ background: url({up}etc/passwd) }}\n")
    assert_refused(project)


def test_font_face_from_outside_is_refused(project: Path) -> None:
    write(
        project / "styles" / "brand.css",
        '@font-face { font-family: X; src: url("/etc/passwd"); }\nbody { font-family: X; }\n',
    )
    assert_refused(project, where="styles/brand.css")


def test_attachment_link_in_a_project_template_is_refused(project: Path) -> None:
    write(
        project / "templates" / "end_matter.html.j2",
        '<p>End</p><link rel="attachment" href="file:///etc/passwd"><a rel="attachment" '
        'href="/etc/passwd">passwords</a>',
    )
    assert_refused(project)


def test_img_and_object_in_a_project_template_are_refused(project: Path) -> None:
    write(project / "templates" / "end_matter.html.j2", '<img src="/etc/passwd" alt="Secrets">')
    assert_refused(project)
    write(project / "templates" / "end_matter.html.j2", '<object data="file:///etc/passwd">x</object>')
    assert_refused(project)


def test_symlink_inside_the_project_leading_out_is_refused(project: Path) -> None:
    (project / "styles").mkdir()
    (project / "styles" / "paper.png").symlink_to("/etc/passwd")
    write(project / "styles" / "brand.css", "body { background: url(paper.png); }\n")
    assert_refused(project, says="it leads outside the project, to /etc/passwd")


def test_template_or_stylesheet_linked_from_outside_is_refused(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "end_matter.html.j2").symlink_to("/etc/passwd")
    assert_refused(
        project,
        where="templates/end_matter.html.j2",
        says="template 'end_matter.html.j2' leads outside its folder, to /etc/passwd",
    )
    (project / "templates" / "end_matter.html.j2").unlink()
    (project / "styles").mkdir()
    (project / "styles" / "brand.css").symlink_to("/etc/passwd")
    assert_refused(project, where="styles/brand.css", says="this stylesheet is not a regular file inside its folder")
    # The web page copies its CSS in: the same check keeps the file out of it.
    result = run_cli("--format", "html", cwd=project)
    assert result.returncode == 1 and "this stylesheet is not a regular file inside its folder" in result.stderr
    assert not (project / "output" / "liver.html").exists()


def test_svg_that_reaches_for_a_file_is_refused(project: Path) -> None:
    images = project / "leaflets" / "images"
    write(
        images / "sneaky.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="40" height="40"><image xlink:href="file:///etc/passwd" width="40" height="40"/></svg>',
    )
    write(
        images / "entity.svg",
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    )
    figure = "  - heading: What your liver does\n    image:\n      src: images/{}\n      alt: A drawing of a liver\n"
    write(
        project / "leaflets" / "liver.yaml",
        MINIMAL_LEAFLET.replace("  - heading: What your liver does\n", figure.format("sneaky.svg")),
    )
    assert_refused(project)
    write(
        project / "leaflets" / "liver.yaml",
        MINIMAL_LEAFLET.replace("  - heading: What your liver does\n", figure.format("entity.svg")),
    )
    assert_refused(project, says="is an SVG with a DOCTYPE or entities")


def test_web_links_stay_links_and_embed_nothing(project: Path) -> None:
    text = MINIMAL_LEAFLET.replace(
        "Your liver cleans your blood.",
        "Your liver cleans your blood. Read [more](https://example.org/etc/passwd) "
        "or [email us](mailto:nurses@example.org).",
    )
    write(project / "leaflets" / "liver.yaml", text)
    result = run_cli(cwd=project)
    assert result.returncode == 0, result.stderr
    pdf = project / "output" / "liver.pdf"
    assert_nothing_embedded(pdf)
    with pikepdf.open(pdf) as doc:
        uris = {str(a.A.URI) for page in doc.pages for a in page.get("/Annots", []) if "/A" in a and "/URI" in a.A}
    assert "https://example.org/etc/passwd" in uris
    assert not any(uri.startswith("file:") for uri in uris)


# --- Devices, pipes and the network ------------------------------------------------------------


def test_devices_and_pipes_never_hang_the_build(project: Path) -> None:
    os.mkfifo(project / "leaflets" / "pipe.png")
    write(project / "styles" / "brand.css", "body { background: url(../leaflets/pipe.png); }\n")
    started = time.monotonic()
    assert_refused(project, says="it is not a regular file")
    write(project / "styles" / "brand.css", "body { background: url(file:///dev/urandom); }\n")
    assert_refused(project, says="refused to read file:///dev/urandom")
    os.mkfifo(project / "leaflets" / "fifo.yaml")
    result = run_cli("build", "leaflets/fifo.yaml", cwd=project)
    assert result.returncode == 1 and "leaflets/fifo.yaml: this is not a regular file" in result.stderr
    assert time.monotonic() - started < 60


def test_network_is_refused_unless_the_host_is_allowed(project: Path) -> None:
    write(project / "templates" / "end_matter.html.j2", '<img src="http://169.254.169.254/latest" alt="Metadata">')
    assert_refused(project, says="refused to fetch http://169.254.169.254/latest: leafpress does not use the network")


@pytest.fixture
def local_server(tmp_path: Path) -> Iterator[str]:
    """A web server on the loopback address only, serving one PNG and one redirect."""
    Image.new("RGB", (20, 20), "teal").save(tmp_path / "dot.png")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(tmp_path), **kwargs)  # type: ignore[arg-type]

        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            if self.path == "/away":
                self.send_response(302)
                self.send_header("Location", "http://localhost.invalid/secret")
                self.end_headers()
                return
            super().do_GET()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_allowed_host_is_fetched_and_its_redirects_are_checked(local_server: str, tmp_path: Path) -> None:
    fetcher = ProjectFetcher([tmp_path], allowed_hosts=("127.0.0.1",))
    response = fetcher.fetch(f"{local_server}/dot.png")
    assert response.read().startswith(b"\x89PNG")
    with pytest.raises(RefusedFetch, match="that host is not allowed"):
        fetcher.fetch(f"{local_server}/away")
    with pytest.raises(RefusedFetch, match="does not use the network"):
        ProjectFetcher([tmp_path]).fetch(f"{local_server}/dot.png")


def test_allowed_hosts_in_the_project_config_let_a_leaflet_image_through(local_server: str, project: Path) -> None:
    write(project / "leafpress.yaml", "allowed_hosts:\n  - 127.0.0.1\n")
    figure = (
        f"  - heading: What your liver does\n    image:\n      src: {local_server}/dot.png\n      alt: A teal square\n"
    )
    write(project / "leaflets" / "liver.yaml", MINIMAL_LEAFLET.replace("  - heading: What your liver does\n", figure))
    result = run_cli(cwd=project)
    assert result.returncode == 0, result.stderr
    with pikepdf.open(project / "output" / "liver.pdf") as pdf:
        assert any("/XObject" in page.Resources and len(page.Resources.XObject) for page in pdf.pages)


# --- Limits -------------------------------------------------------------------------------------


def sections(count: int) -> str:
    body = "".join(f"  - heading: Part number {i}\n    body: Some words for part {i}.\n" for i in range(1, count + 1))
    return f"title: Many parts\nsections:\n{body}review:\n  last_reviewed: 2024-03-15\n"


def test_too_many_sections_are_refused_quickly_by_the_documented_limit(project: Path) -> None:
    # Within the file's byte and line limits, so the section limit decides.
    write(project / "leaflets" / "liver.yaml", sections(250))
    started = time.monotonic()
    result = run_cli(cwd=project)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert (
        "leaflets/liver.yaml:2:1: 'sections' has 250 entries, more than 100 — a leaflet this long is hard "
        "to take in: split it into several leaflets"
    ) in result.stderr
    assert "more than 100" in (Path(__file__).parents[1] / "docs" / "security.md").read_text()


def test_a_leaflet_at_the_section_limit_builds(project: Path) -> None:
    write(project / "leaflets" / "liver.yaml", sections(100))
    result = run_cli(cwd=project)
    assert result.returncode == 0, result.stderr


def test_the_file_size_limit_is_configurable(project: Path) -> None:
    write(project / "leafpress.yaml", "limits:\n  max_file_bytes: 2000\n")
    long = write(project / "leaflets" / "long.yaml", MINIMAL_LEAFLET + "# " + "x" * 2000 + "\n")
    result = run_cli(cwd=project)
    assert result.returncode == 1
    size = long.stat().st_size
    assert f"leaflets/long.yaml:1:1: the file is {size:,} bytes, over the limit of 2,000" in result.stderr
    assert (project / "output" / "liver.pdf").exists()


# --- Output stays in the output folder ---------------------------------------------------------


def all_files(root: Path) -> set[Path]:
    return {path.relative_to(root) for path in root.rglob("*")}


def test_odd_leaflet_names_give_safe_output_names(project: Path) -> None:
    odd = ["My leaflet (v2) ;rm -rf ~.yaml", "-x.yaml", ".hidden.yaml", "Taflen gymraeg ŵ.yaml", "نشرة.yaml"]
    for name in odd:
        write(project / "leaflets" / name, MINIMAL_LEAFLET)
    before = all_files(project)
    result = run_cli(cwd=project)
    assert result.returncode == 0, result.stderr
    made = sorted(str(path) for path in all_files(project) - before if not path.name.startswith("."))
    assert made == sorted(
        [
            "output",
            "output/liver.pdf",
            "output/My-leaflet-v2-rm-rf.pdf",
            "output/x.pdf",
            "output/hidden.pdf",
            "output/Taflen-gymraeg-ŵ.pdf",
            "output/نشرة.pdf",
        ]
    )


def test_a_symlink_in_the_output_folder_is_replaced_not_followed(project: Path) -> None:
    victim = write(project / "victim.txt", "keep me\n")
    (project / "output").mkdir()
    (project / "output" / "liver.pdf").symlink_to(victim)
    assert run_cli(cwd=project).returncode == 0
    assert victim.read_text() == "keep me\n"
    target = project / "output" / "liver.pdf"
    assert not target.is_symlink() and target.read_bytes().startswith(b"%PDF")


def test_an_unwritable_output_is_a_clear_error(project: Path) -> None:
    write(project / "not-a-folder", "x")
    result = run_cli("--output", "not-a-folder/pdfs", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "not-a-folder/pdfs:1:1: cannot write to the output folder" in result.stderr


# --- A failure late in the build keeps the last good PDF ------------------------------------------


def test_failure_at_the_pdf_stage_keeps_the_previous_good_pdf(project: Path) -> None:
    assert run_cli(cwd=project).returncode == 0
    good = (project / "output" / "liver.pdf").read_bytes()
    # Valid YAML, valid template: it fails only when WeasyPrint fetches the stylesheet's image.
    write(project / "styles" / "brand.css", "body { background: url(file:///etc/passwd); }\n")
    result = run_cli(cwd=project)
    assert result.returncode == 1 and REFUSED_PASSWD in result.stderr
    assert (project / "output" / "liver.pdf").read_bytes() == good
    assert not list((project / "output").glob(".*.part"))
