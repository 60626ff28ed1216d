"""The printed pages as PNG images, drawn from the real PDF with PDFium.

Drawing from the PDF (never from the HTML) means what the editor sees is what prints.
An edit usually changes a page or two, so each page is known by a digest of its pixels:
a page that looks the same as before keeps its PNG (and its URL, so the browser keeps its
copy too), and only changed pages are compressed, several at once (Pillow's PNG encoder
runs outside the GIL). PDFium itself is not thread-safe: call this from one thread only.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image

# 1.5 × 72 dpi: a page 893 pixels wide, sharp at the size the preview shows it.
SCALE = 1.5
_encoders = ThreadPoolExecutor(max_workers=2, thread_name_prefix="leafpress-png")


@dataclass(frozen=True)
class PageImage:
    digest: str  # of the pixels: equal digests, equal pictures
    png: bytes
    width: int
    height: int


def _encode(picture: Image.Image, digest: str) -> PageImage:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", compress_level=1)  # fast: the images live for one edit
    return PageImage(digest, buffer.getvalue(), picture.width, picture.height)


def page_images(pdf: bytes, previous: Iterable[PageImage] = (), scale: float = SCALE) -> list[PageImage]:
    """Every page of ``pdf`` as a PNG, reusing the ``previous`` images of pages that did not change."""
    known = {image.digest: image for image in previous}
    pages: list[PageImage | Future[PageImage]] = []
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                bitmap = page.render(scale=scale, may_draw_forms=True)
            finally:
                page.close()
            # SHA-256 runs on the processor's own instructions: a page's 3 MB of pixels in 2 ms, not 4.
            digest = hashlib.sha256(bitmap.buffer).hexdigest()[:32]
            pages.append(known.get(digest) or _encoders.submit(_encode, bitmap.to_pil(), digest))
    finally:
        document.close()
    return [page if isinstance(page, PageImage) else page.result() for page in pages]
