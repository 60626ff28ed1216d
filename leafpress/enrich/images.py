"""Images a leaflet uses: only real, readable image files inside the project, of sensible size.

Checked while enriching, so a bad image is reported at the line that names it rather than as
a broken picture (or a leaked file) in the PDF. The URL fetcher checks again when rendering.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree
from PIL import Image, UnidentifiedImageError

from leafpress.core.files import FileTooLarge, NotRegularFile, read_regular
from leafpress.enrich.svg import svg_fault

# What WeasyPrint draws and PDF viewers show everywhere; named by the bytes that start the file.
RASTER_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF", b"GIF89a": "GIF"}
UNSUPPORTED_SIGNATURES = {
    b"BM": "a BMP image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (a Word or Office file?)",
    b"\xd0\xcf\x11\xe0": "an old Office document",
    b"\x00\x00\x01\x00": "an icon file",
}
SUPPORTED = "PNG, JPEG, GIF, WebP or SVG"
# Alt text that says nothing about what the picture shows.
_EMPTY_ALT = re.compile(
    r"^(image|picture|photo|photograph|diagram|figure|graphic|icon|img|logo|chart|illustration"
    r"|alt|alt text|todo|tbc|tbd|placeholder)\s*\d*\.?$",
    re.IGNORECASE,
)

# A file name, or a camera's or phone's name for a picture, is not a description either.
_FILE_NAME_ALT = re.compile(
    r"^(\S+\.(png|jpe?g|gif|webp|svg|bmp|tiff?|heic)|(img|dsc|dscn|dcim|pxl|screenshot|scan)[\s_-]*[\d_-]+)$",
    re.IGNORECASE,
)


class ImageProblem(ValueError):
    """Why an image cannot be used, and how to fix it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class ImagePolicy:
    """Where a leaflet's images may come from and how big they may be."""

    base_dir: Path
    roots: tuple[Path, ...]
    max_bytes: int = 5_000_000
    max_pixels: int = 25_000_000
    allowed_hosts: tuple[str, ...] = field(default=())


def check_alt(alt: str, src: str) -> None:
    """Refuse alt text that tells a screen-reader user nothing."""
    text = alt.strip()
    if not text:
        raise ImageProblem(
            f"image '{src}' has no alt text",
            "say what the picture shows, for readers who cannot see it (a picture that is only "
            'decoration: ![](file "decorative"))',
        )
    if (
        _EMPTY_ALT.match(text)
        or text.lower() in (src.lower(), Path(src).name.lower())
        or _FILE_NAME_ALT.match(text)
        or not any(character.isalpha() for character in text)  # ".", "-", "1": no word at all
    ):
        raise ImageProblem(
            f"the alt text '{text}' does not say what image '{src}' shows",
            "describe the picture in a short sentence, as you would on the phone",
        )


def image_url(src: str, policy: ImagePolicy) -> str:
    """The URL to render ``src`` from, after checking it is an image the leaflet may use."""
    parts = urlsplit(src)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if (parts.hostname or "").lower() in policy.allowed_hosts:
            return src
        raise ImageProblem(
            f"image '{src}' is on the web, and leafpress does not use the network",
            "save the image in the project and give its path, or list its host under allowed_hosts in leafpress.yaml",
        )
    if scheme or src.startswith(("/", "\\", "~")):
        raise ImageProblem(
            f"image '{src}' is not a file inside the project",
            "give its path from the leaflet's folder, for example images/diagram.png",
        )
    if any(ord(character) < 32 or ord(character) == 127 for character in src):
        # "%00" in Markdown decodes to a NUL, which no file name can hold.
        raise ImageProblem(
            f"image {src!r} holds a control character (such as %00), which no file name can hold",
            "give the image's real file name",
        )
    path = (policy.base_dir / src).resolve()
    if not any(path.is_relative_to(root) for root in policy.roots):
        raise ImageProblem(
            f"image '{src}' is outside the project folder",
            "copy it into the project, for example beside the leaflet, and give that path",
        )
    check_image_file(path, src, policy)
    return path.as_uri()


def check_image_file(path: Path, src: str, policy: ImagePolicy) -> str:
    """The image's type, after checking ``path`` is a readable image within the limits."""
    try:
        data = read_regular(path, policy.max_bytes)
    except FileTooLarge as exc:
        raise ImageProblem(
            f"image '{src}' is too large: {exc.size:,} bytes, over the limit of {policy.max_bytes:,}",
            "save it smaller (2000 pixels across is plenty for print), "
            "or raise limits.max_image_bytes in leafpress.yaml",
        ) from None
    except (NotRegularFile, IsADirectoryError):
        raise ImageProblem(f"image '{src}' is not an image file", f"give the path of a {SUPPORTED} file") from None
    except (OSError, ValueError):  # ValueError: a NUL byte in the path
        raise ImageProblem(
            f"image '{src}' not found", f"put the image beside the leaflet or give its path from {policy.base_dir}"
        ) from None
    head = data[:512]
    if head.lstrip().startswith((b"<?xml", b"<svg", b"<!DOCTYPE svg", b"<!--")) and b"<svg" in head:
        if (fault := svg_fault(data)) is not None:
            raise ImageProblem(f"image '{src}' {fault[0]}", fault[1])
        return "SVG"
    kind = next((name for magic, name in RASTER_SIGNATURES.items() if head.startswith(magic)), None)
    if kind is None and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "WebP"
    if kind is None:
        found = next(
            (name for magic, name in UNSUPPORTED_SIGNATURES.items() if head.startswith(magic)),
            "not an image leafpress can use",
        )
        raise ImageProblem(f"image '{src}' is {found}", f"save it as {SUPPORTED}")
    _check_raster(path, src, kind, policy)
    return kind


def _check_raster(path: Path, src: str, kind: str, policy: ImagePolicy) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of "decompression bombs"; the limit below decides
            with Image.open(path) as image:
                width, height = image.size
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageProblem(
            f"image '{src}' cannot be read: the {kind} file is damaged", "open it in an image editor and save it again"
        ) from None
    if width * height > policy.max_pixels:
        raise ImageProblem(
            f"image '{src}' is too large: {width} × {height} pixels, over the limit of {policy.max_pixels:,} pixels",
            "resize it (2000 pixels across is plenty for print), or raise limits.max_image_pixels in leafpress.yaml",
        )


# An image the stylesheet sizes from its own width (see sized_image).
SIZED_CLASS = "sized"
# CSS pixels in one of each absolute unit an SVG's width may be given in.
_SVG_UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
_SVG_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([a-z]*)\s*")


def natural_width(url: str) -> float | None:
    """The width in CSS pixels an image checked by :func:`image_url` has of its own: a raster
    image's pixels, an SVG's ``width`` in an absolute unit. None when it has none (an SVG sized
    only by its viewBox, or in %) or is not a project file."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    path = Path(unquote(parts.path))
    try:
        head = path.open("rb").read(512)
        if b"<svg" in head:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
            width = etree.parse(str(path), parser).getroot().get("width") or ""
            found = _SVG_LENGTH.fullmatch(width.lower())
            if found is None or found.group(2) not in _SVG_UNITS:
                return None
            return float(found.group(1)) * _SVG_UNITS[found.group(2)] or None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                return float(image.size[0]) or None
    except (OSError, ValueError, etree.XMLSyntaxError, Image.DecompressionBombError):
        return None


def sized_image(width: float) -> dict[str, str]:
    """The attributes that let the stylesheet draw an image no larger than its own ``width`` (CSS
    pixels) times the format's ``--image-scale`` (and never wider than the column)."""
    return {"class": SIZED_CLASS, "style": f"--natural-width: {width:.1f}px"}


def leaflet_roots(source: Path, project_root: Path | None) -> tuple[Path, ...]:
    """The folders a leaflet may use files from: its project and its own folder, never a whole disk."""
    roots = [source.resolve().parent, *([project_root.resolve()] if project_root else [])]
    return tuple(root for root in roots if root != Path(root.anchor))
