"""No empty boxes: every character in a PDF must be drawn with a real glyph.

When no installed font has a character, Pango falls back to a font without it and
WeasyPrint draws that font's glyph 0, the empty ".notdef" box: a reader sees a blank
square where a word should be. This check reads the finished PDF back: for every
embedded font it follows the font's character maps (the encoding CMap from codes to
glyphs, and the ToUnicode map from codes to text) and reports each character whose code
lands on glyph 0, at the first place the character appears in the leaflet file.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from babel import Locale, UnknownLocaleError

from leafpress.core.errors import LeafpressError, LeafpressErrors, Location, location_of

# Characters that never need a glyph: invisible format controls (joiners, bidi isolates,
# soft hyphens) and variation selectors.
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zl", "Zp"}
MAX_REPORTED = 10

_HEX = r"<([0-9A-Fa-f]+)>"
_BFCHAR = re.compile(rf"{_HEX}\s*{_HEX}")
_BFRANGE = re.compile(rf"{_HEX}\s*{_HEX}\s*(?:{_HEX}|\[((?:\s*<[0-9A-Fa-f]+>)*)\s*\])")
_SECTION = re.compile(r"begin(bfchar|bfrange)(.*?)end\1", re.DOTALL)
_CID_SECTION = re.compile(r"begin(cidchar|cidrange)(.*?)end\1", re.DOTALL)


@dataclass(frozen=True)
class MissingGlyph:
    character: str
    font: str

    @property
    def description(self) -> str:
        code = f"U+{ord(self.character):04X}"
        name = unicodedata.name(self.character, "")
        return f"'{self.character}' ({code}{' ' + name if name else ''})"


def missing_glyphs(pdf: bytes) -> list[MissingGlyph]:
    """Characters the PDF draws as a font's empty .notdef glyph, in order of first use."""
    found: dict[str, MissingGlyph] = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for font in _fonts(document):
            to_unicode = font.get("/ToUnicode")
            if not isinstance(to_unicode, pikepdf.Stream):
                continue
            glyph_of = _glyph_map(font)
            name = str(font.get("/BaseFont", "?")).lstrip("/").split("+")[-1]
            for code, text in read_to_unicode(to_unicode.read_bytes().decode("latin-1")).items():
                if glyph_of(code) != 0:
                    continue
                for character in text:
                    if not _invisible(character) and character not in found:
                        found[character] = MissingGlyph(character, name)
    return list(found.values())


def check_glyphs(pdf: bytes, source: Path, source_text: str | None = None, language: str = "") -> None:
    """Raise an error for each character the PDF would print as an empty box; ``language``, the
    leaflet's language tag, is named so that a language with no font at all says so."""
    missing = missing_glyphs(pdf)
    if not missing:
        return
    text = source_text if source_text is not None else _read(source)
    errors = [_error(glyph, source, text, language) for glyph in missing[:MAX_REPORTED]]
    if len(missing) > MAX_REPORTED:
        errors[-1].message += f" (and {len(missing) - MAX_REPORTED} more characters)"
    if len(errors) == 1:
        raise errors[0]
    raise LeafpressErrors(errors)


def _error(glyph: MissingGlyph, source: Path, text: str, language: str) -> LeafpressError:
    where = location_of(source, text, glyph.character)
    origin = (
        ""
        if where
        else (
            " (not found as typed in the leaflet file: it may come from an escape, a template, "
            "a label or the project config)"
        )
    )
    return LeafpressError(
        where or Location(source),
        f"no installed font has a glyph for {glyph.description}{origin}{_in_language(language)}: "
        "it would print as an empty box",
        "install a font that covers it (add its Debian package, such as a fonts-noto one, to "
        "scripts/setup-system.sh), name it for the language in styles/languages.css, or remove the character",
    )


def _in_language(tag: str) -> str:
    """ " in a leaflet in Albanian (Vithkuqi) (sq-Vith)", or nothing without a tag."""
    if not tag:
        return ""
    try:
        name = Locale.parse(tag, sep="-").get_display_name("en")
    except (ValueError, TypeError, UnknownLocaleError):
        name = None
    return f" in a leaflet in {name} ({tag})" if name else f" in a leaflet in language {tag}"


def _read(source: Path) -> str:
    try:
        return source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def _invisible(character: str) -> bool:
    code = ord(character)
    return (
        unicodedata.category(character) in _INVISIBLE_CATEGORIES
        or character.isspace()
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def _fonts(document: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every font used on the pages, including inside form XObjects, each once."""
    fonts: dict[tuple[int, int], pikepdf.Object] = {}
    seen: set[tuple[int, int]] = set()

    def visit(resources: pikepdf.Object | None) -> None:
        if not isinstance(resources, pikepdf.Dictionary):
            return
        for font in (resources.get("/Font") or {}).values():
            fonts.setdefault(font.objgen, font)
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.objgen not in seen and xobject.get("/Subtype") == "/Form":
                seen.add(xobject.objgen)
                visit(xobject.get("/Resources"))

    for page in document.pages:
        visit(page.obj.get("/Resources"))
    return list(fonts.values())


def _glyph_map(font: pikepdf.Object) -> Callable[[int], int]:
    """For a font, a function from a character code in the content to the glyph drawn."""
    encoding = font.get("/Encoding")
    cids = _cid_map(encoding.read_bytes().decode("latin-1")) if isinstance(encoding, pikepdf.Stream) else None
    descendants = font.get("/DescendantFonts")
    to_gid = descendants[0].get("/CIDToGIDMap") if descendants is not None else None
    gids = to_gid.read_bytes() if isinstance(to_gid, pikepdf.Stream) else None

    def glyph(code: int) -> int:
        cid = code if cids is None else cids.get(code, code)
        if gids is not None:
            return int.from_bytes(gids[2 * cid : 2 * cid + 2], "big") if 2 * cid + 2 <= len(gids) else 0
        return cid

    return glyph


def _cid_map(cmap: str) -> dict[int, int]:
    """Codes to CIDs from an encoding CMap's cidchar and cidrange sections."""
    cids: dict[int, int] = {}
    for kind, body in _CID_SECTION.findall(cmap):
        if kind == "cidchar":
            for code, cid in re.findall(rf"{_HEX}\s+(\d+)", body):
                cids[int(code, 16)] = int(cid)
        else:
            for low, high, cid in re.findall(rf"{_HEX}\s*{_HEX}\s+(\d+)", body):
                for offset in range(int(high, 16) - int(low, 16) + 1):
                    cids[int(low, 16) + offset] = int(cid) + offset
    return cids


def read_to_unicode(cmap: str) -> dict[int, str]:
    """Character codes to Unicode text from a ToUnicode CMap (bfchar and bfrange)."""
    texts: dict[int, str] = {}
    for kind, body in _SECTION.findall(cmap):
        if kind == "bfchar":
            texts.update((int(code, 16), _utf16(target)) for code, target in _BFCHAR.findall(body))
            continue
        for low, high, start, array in _BFRANGE.findall(body):
            first_code = int(low, 16)
            if array:
                texts.update((first_code + i, _utf16(item)) for i, item in enumerate(re.findall(_HEX, array)))
                continue
            first = _utf16(start)
            for offset in range(int(high, 16) - first_code + 1):
                texts[first_code + offset] = first[:-1] + chr(ord(first[-1]) + offset) if first else ""
    return texts


def _utf16(hex_text: str) -> str:
    try:
        return bytes.fromhex(hex_text).decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        return ""
