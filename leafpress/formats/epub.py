"""The epub format: an EPUB 3 reflowable book of the leaflet, for e-readers and reading apps.

One XHTML content document holds the same semantic HTML the PDF and web page are made from
(headings, lists, landmarks, ``lang``, alt text); the navigation document lists its headings;
the package carries the language and the schema.org accessibility metadata that reading
systems and shops show (EPUB Accessibility 1.1, WCAG 2.2 AA). Images, including QR codes,
are packaged as files. Checked by ``epubcheck`` in the tests.
"""

from __future__ import annotations

import base64
import io
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes, urljoin, urlsplit

from leafpress.core.errors import LeafpressError, Location
from leafpress.formats.base import Format, RenderContext

if TYPE_CHECKING:
    from leafpress.enrich.document import Document

XHTML = "http://www.w3.org/1999/xhtml"
# Image types EPUB reading systems must support (core media types).
IMAGE_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/svg+xml": ".svg",
    "image/webp": ".webp",
}
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""


def _image_bytes(src: str, context: RenderContext) -> tuple[bytes, str]:
    """The bytes and media type of an image the leaflet's HTML names (a project file or a data: URL)."""
    if src.startswith("data:"):
        header, _, payload = src[5:].partition(",")
        kind = header.split(";")[0] or "text/plain"
        body = base64.b64decode(payload) if header.endswith(";base64") else unquote_to_bytes(payload)
        return body, kind
    from leafpress.render.fetcher import RefusedFetch

    url = urljoin(context.source.resolve().parent.as_uri() + "/", src)
    try:
        response = context.fetcher.fetch(url)
    except RefusedFetch as exc:
        raise LeafpressError(Location(context.source), str(exc), "use only files inside the project") from None
    import mimetypes  # here: listing the formats stays quick

    kind = mimetypes.guess_type(urlsplit(response.url).path)[0] or "application/octet-stream"
    return response.read(), kind


def content_document(
    html: str, context: RenderContext
) -> tuple[str, dict[str, tuple[bytes, str]], list[tuple[str, str]]]:
    """The leaflet as XHTML, its image files by name, and its headings (id, text) for the navigation."""
    import lxml.html
    from lxml import etree

    root = lxml.html.document_fromstring(html)
    for element in root.xpath("//script|//style|//link[@rel='stylesheet']|//meta[@name='viewport']"):
        element.getparent().remove(element)
    images: dict[str, tuple[bytes, str]] = {}
    for number, img in enumerate(root.iter("img"), start=1):
        body, kind = _image_bytes(img.get("src", ""), context)
        if kind not in IMAGE_TYPES:
            raise LeafpressError(
                Location(context.source), f"an image of type {kind} cannot go in an EPUB", "use PNG, JPEG or SVG"
            )
        name = f"images/image-{number}{IMAGE_TYPES[kind]}"
        images[name] = (body, kind)
        img.set("src", name)
    headings: list[tuple[str, str]] = []
    for number, heading in enumerate(root.xpath("//h1|//h2"), start=1):
        if not heading.get("id"):
            heading.set("id", f"heading-{number}")
        headings.append((heading.get("id"), " ".join(heading.text_content().split())))
    head = root.find("head")
    if head is not None:
        etree.SubElement(head, "link", rel="stylesheet", type="text/css", href="style.css")
    language = context.document.language
    root.set("lang", language)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    lxml.html.html_to_xhtml(root)
    body = etree.tostring(root, method="xml", encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n' + body, images, headings


def navigation(document: Document, headings: list[tuple[str, str]]) -> str:
    from xml.sax.saxutils import escape, quoteattr  # here: it loads urllib.request, which listing formats need not

    items = "\n".join(
        f'      <li><a href="leaflet.xhtml#{escape(anchor)}">{escape(text)}</a></li>' for anchor, text in headings
    )
    language = quoteattr(document.language)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="{XHTML}" xmlns:epub="http://www.idpf.org/2007/ops" lang={language} xml:lang={language}>
<head><meta charset="utf-8"/><title>{escape(document.title)}</title></head>
<body>
  <nav epub:type="toc" id="toc" role="doc-toc">
    <h1>{escape(document.title)}</h1>
    <ol>
{items}
    </ol>
  </nav>
</body>
</html>
"""


def package(document: Document, images: dict[str, tuple[bytes, str]]) -> str:
    from xml.sax.saxutils import escape, quoteattr

    leaflet = document.leaflet
    key = f"{leaflet.code or document.source_path.stem}|{leaflet.version}|{document.language}|{document.source_sha256}"
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, "leafpress:" + key)
    # The date the content last changed as far as readers are concerned: its review.
    modified = f"{document.last_reviewed.isoformat()}T00:00:00Z"
    creators = leaflet.authors or [document.organisation.name]
    meta: list[tuple[str, str]] = [("schema:accessMode", "textual")]
    if images:
        meta.append(("schema:accessMode", "visual"))
    meta += [
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "displayTransformability"),
    ]
    if images:
        meta.append(("schema:accessibilityFeature", "alternativeText"))
    meta += [
        ("schema:accessibilityHazard", "none"),
        (
            "schema:accessibilitySummary",
            "Headings mark every section and the contents list links to them; every picture has a text "
            "description or is marked as decorative; text reflows and can be resized; the language is set; "
            "there is no sound, video or flashing content.",
        ),
        ("dcterms:conformsTo", CONFORMS_TO),
        ("a11y:certifiedBy", document.organisation.name),
    ]
    metadata = "\n".join(f"    <meta property={quoteattr(name)}>{escape(value)}</meta>" for name, value in meta)
    manifest = "\n".join(
        f'    <item id="image-{number}" href={quoteattr(name)} media-type={quoteattr(kind)}/>'
        for number, (name, (_, kind)) in enumerate(images.items(), start=1)
    )
    language = quoteattr(document.language)
    people = "\n".join(f"    <dc:creator>{escape(name)}</dc:creator>" for name in creators)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id" xml:lang={language}>
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:{identifier}</dc:identifier>
    <dc:title>{escape(document.title)}</dc:title>
    <dc:language>{escape(document.language)}</dc:language>
{people}
    <dc:publisher>{escape(document.organisation.name)}</dc:publisher>
    <dc:date>{document.last_reviewed.isoformat()}</dc:date>
    <meta property="dcterms:modified">{modified}</meta>
    <meta property="schema:version">{escape(leaflet.version)}</meta>
{metadata}
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="leaflet" href="leaflet.xhtml" media-type="application/xhtml+xml"/>
    <item id="style" href="style.css" media-type="text/css"/>
{manifest}
  </manifest>
  <spine>
    <itemref idref="leaflet"/>
  </spine>
</package>
"""


def screen_css(stylesheets: list[Path]) -> str:
    """The stylesheets without their ``@page`` rules (a reflowable book has no printed page) and
    without the rules for print that use ``:where()``, which EPUB checkers cannot parse."""
    import tinycss2

    kept = []
    for path in stylesheets:
        rules = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"))
        kept += [
            rule
            for rule in rules
            if not (rule.type == "at-rule" and rule.lower_at_keyword == "page")
            and not (rule.type == "qualified-rule" and ":where(" in tinycss2.serialize(rule.prelude))
        ]
    return tinycss2.serialize(kept)


def _zip(files: dict[str, bytes]) -> bytes:
    """An EPUB container: ``mimetype`` first and stored, the rest compressed, with fixed dates."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", (1980, 1, 1, 0, 0, 0)), b"application/epub+zip")
        for name, data in files.items():
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    from leafpress.render.pdf import load_stylesheets

    load_stylesheets(context.stylesheets, context.fetcher)  # the same checks as for a PDF
    document = context.document
    xhtml, images, headings = content_document(html, context)
    css = screen_css(context.stylesheets)
    files: dict[str, Any] = {
        "META-INF/container.xml": CONTAINER.encode(),
        "EPUB/package.opf": package(document, images).encode("utf-8"),
        "EPUB/nav.xhtml": navigation(document, headings).encode("utf-8"),
        "EPUB/leaflet.xhtml": xhtml.encode("utf-8"),
        "EPUB/style.css": css.encode("utf-8"),
    }
    files.update({f"EPUB/{name}": body for name, (body, _) in images.items()})
    return _zip(files), []


FORMAT = Format(
    "epub",
    "EPUB 3 reflowable book with accessibility metadata, for e-readers and reading apps.",
    render,
    suffix=".epub",
    kind="epub",
    stylesheets=("web.css",),
    order=65,
)
