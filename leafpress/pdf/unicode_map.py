"""Every drawn glyph reads back as the text it was drawn for, in Bengali, Hindi, Tamil and the like.

A PDF maps each character code of a font to text once (its ToUnicode map). WeasyPrint writes
the glyph number as the code, so a glyph has one text everywhere. In Indic scripts that cannot
be right: "ফো" is drawn as three glyphs (the vowel sign's left part, ফ, its right part), and
the left part belongs to "ফো" here and to "কে" there. WeasyPrint maps the cluster's whole text
to one glyph and nothing to the others, so screen readers, search and copy lose letters.

Given the clusters of each line as drawn (:func:`leafpress.compat.recording_glyph_clusters`),
each use of a glyph whose cluster would not read back gets a code of its own: a new character
code drawing the same glyph (CIDToGIDMap), with the same width, mapped to its share of the
cluster's text. Shares follow drawing order, so the codes of a line read, left to right, as its
text in logical order (decomposed, which extractors and comparisons normalise back). Both
pdftotext and pdf.js read the ToUnicode map; neither needs ``/ActualText``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from io import BytesIO

import pikepdf

from leafpress.compat import Cluster, GlyphClusters
from leafpress.pdf.glyphs import read_to_unicode

_SHOW_TEXT = {"Tj", "TJ", "'", '"'}
# A cluster drawn with more glyphs than it has characters (an Urdu letter and its dots drawn
# apart): the extra glyphs read as a zero-width non-joiner, which is not a letter, since a code
# mapped to no text at all is not allowed (PDF/UA's Unicode mapping rule).
_FILLER = "\u200c"
_MAX_CODE = 0xFFFF


_JOINERS = "\u200c\u200d"
# pdf.js takes any glyph whose text holds a nonspacing mark (Unicode category Mn) for a zero-width
# diacritic and does not advance past it: after a conjunct or a consonant with its vowel sign
# drawn as one glyph, it sees a gap and reads a space into the word ("দূ সরে"). Such a glyph
# reads as the letters before the mark, and an empty zero-width glyph drawn after it reads as
# the rest, so every extractor gets the whole syllable.
_MARK = "Mn"
_VIRAMA_CLASS = 9


def _joins(previous: str, following: str) -> bool:
    """Whether two of Pango's clusters are one syllable (Pango may part a vowel sign from its consonant)."""
    first, last = following[:1], previous[-1:]
    return bool(first and last) and (
        unicodedata.category(first).startswith("M")
        or first in _JOINERS
        or last in _JOINERS
        or unicodedata.combining(last) == _VIRAMA_CLASS
    )


def syllables(clusters: list[Cluster]) -> list[Cluster]:
    """Pango's clusters joined into syllables: a consonant with its vowel signs, conjuncts whole."""
    joined: list[Cluster] = []
    # A joiner drawn as no glyph (the Persian "می‌شود") goes with the letter read before it, so
    # it stays in the text layer. Right to left, that letter is drawn after it.
    pending = ""
    for cluster in clusters:
        if not cluster.glyphs and cluster.text and all(char in _JOINERS for char in cluster.text):
            if cluster.rtl:
                pending = cluster.text + pending
            elif joined:
                joined[-1] = Cluster(joined[-1].text + cluster.text, joined[-1].glyphs, joined[-1].rtl)
            continue
        if pending and cluster.rtl and cluster.glyphs:
            cluster, pending = Cluster(pending + cluster.text, cluster.glyphs, cluster.rtl), ""
        if joined and not cluster.rtl and not joined[-1].rtl and _joins(joined[-1].text, cluster.text):
            joined[-1] = Cluster(joined[-1].text + cluster.text, joined[-1].glyphs + cluster.glyphs)
        else:
            joined.append(cluster)
    return joined


def _shares(cluster: Cluster) -> list[str]:
    """The cluster's text split over its glyphs in reading order: one character each, the rest on the last.

    Right to left, reading order is the reverse of drawing order.
    """
    count = len(cluster.glyphs)
    if count == 1:
        return [cluster.text]
    chars = list(unicodedata.normalize("NFD", cluster.text))
    shares = [chars[i] if i < len(chars) else _FILLER for i in range(count - 1)] + [
        "".join(chars[count - 1 :]) or _FILLER
    ]
    return shares[::-1] if cluster.rtl else shares


class FontCodes:
    """One Identity-H TrueType font's codes: the existing map, and the new codes given out."""

    def __init__(self, font: pikepdf.Dictionary) -> None:
        self.font = font
        self.cid_font = font.DescendantFonts[0]
        self.to_unicode = read_to_unicode(font.ToUnicode.read_bytes().decode("latin-1"))
        widths = self.cid_font.get("/W")
        self.widths = _read_widths(widths if isinstance(widths, pikepdf.Array) else pikepdf.Array())
        self.next_code = max([*self.to_unicode, *self.widths, 0]) + 1
        self.new: dict[tuple[int, str], int] = {}  # (glyph, text) → code
        # Codes given out by an earlier pass keep their glyphs (a font with no map draws code = glyph).
        existing = self.cid_font.get("/CIDToGIDMap")
        self.cid_to_gid = existing.read_bytes() if isinstance(existing, pikepdf.Stream) else b""
        self._empty_glyph: int | None | bool = False  # not looked for yet

    def empty_glyph(self) -> int | None:
        """A glyph of the embedded font with no outline and no advance (a subset keeps such
        placeholders), to carry text without drawing anything; None if there is none."""
        if self._empty_glyph is False:
            self._empty_glyph = _find_empty_glyph(self.cid_font)
        return self._empty_glyph if isinstance(self._empty_glyph, int) else None

    def codes_for(self, glyph: int, text: str) -> list[int] | None:
        """The codes that draw ``glyph`` and read as ``text``: one, or two where a mark must ride
        on an empty glyph of its own (see ``_MARK``)."""
        split = _split_at_mark(text) if self.widths.get(glyph, 0) > 0 else None
        empty = self.empty_glyph() if split else None
        if split and empty is not None:
            first, mark = self.code_for(glyph, split[0]), self.code_for(empty, split[1])
            if first is not None and mark is not None:
                return [first, mark]
        code = self.code_for(glyph, text)
        return None if code is None else [code]

    def glyph_of(self, code: int) -> int:
        """The glyph that ``code`` draws."""
        if 2 * code + 2 <= len(self.cid_to_gid):
            return int.from_bytes(self.cid_to_gid[2 * code : 2 * code + 2], "big")
        return code

    def code_for(self, glyph: int, text: str) -> int | None:
        if self.to_unicode.get(glyph) == text:
            return glyph
        if (glyph, text) not in self.new:
            if self.next_code > _MAX_CODE:
                return None
            self.new[(glyph, text)] = self.next_code
            self.next_code += 1
        return self.new[(glyph, text)]

    def write(self, pdf: pikepdf.Pdf) -> None:
        if not self.new:
            return
        glyph_of = {code: glyph for (glyph, _), code in self.new.items()}
        top = max(*glyph_of, len(self.cid_to_gid) // 2 - 1)
        cid_to_gid = bytearray()
        for code in range(top + 1):
            cid_to_gid += glyph_of.get(code, self.glyph_of(code)).to_bytes(2, "big")
        self.cid_font.CIDToGIDMap = pikepdf.Stream(pdf, bytes(cid_to_gid))
        for (glyph, _), code in self.new.items():
            self.widths[code] = self.widths.get(glyph, 0)
        self.cid_font.W = _write_widths(self.widths)
        mapping = {code: text for code, text in self.to_unicode.items() if text}
        mapping.update({code: text for (_, text), code in self.new.items()})
        self.font.ToUnicode = pikepdf.Stream(pdf, _to_unicode_cmap(mapping))
        descriptor = self.cid_font.get("/FontDescriptor")
        if descriptor is not None and "/CIDSet" in descriptor:
            del descriptor["/CIDSet"]  # optional in PDF/UA; it would no longer list every code


def _split_at_mark(text: str) -> tuple[str, str] | None:
    """``text`` parted before its first nonspacing mark, when letters come before it."""
    for index, char in enumerate(text):
        if unicodedata.category(char) == _MARK:
            return (text[:index], text[index:]) if index else None
    return None


def _find_empty_glyph(cid_font: pikepdf.Object) -> int | None:
    # WeasyPrint's own dependency, loaded only when needed.
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    descriptor = cid_font.get("/FontDescriptor")
    program = descriptor.get("/FontFile2") if isinstance(descriptor, pikepdf.Dictionary) else None
    if not isinstance(program, pikepdf.Stream):
        return None
    try:
        font = TTFont(BytesIO(program.read_bytes()), lazy=True)
        glyphs, metrics, order = font["glyf"], font["hmtx"], font.getGlyphOrder()
        for gid, name in enumerate(order[1:64], start=1):  # never .notdef
            glyph = glyphs[name]
            if glyph.numberOfContours == 0 and metrics[name][0] == 0:
                return gid
    except Exception:  # a font program fontTools cannot read: leave its text as it is
        return None
    return None


def _read_widths(array: pikepdf.Array) -> dict[int, float]:
    widths: dict[int, float] = {}
    items = list(array)
    index = 0
    while index < len(items):
        first = int(items[index])
        following = items[index + 1]
        if isinstance(following, pikepdf.Array):
            for offset, width in enumerate(following):
                widths[first + offset] = float(width)
            index += 2
        else:
            for code in range(first, int(following) + 1):
                widths[code] = float(items[index + 2])
            index += 3
    return widths


def _write_widths(widths: dict[int, float]) -> pikepdf.Array:
    return pikepdf.Array([item for code in sorted(widths) for item in (code, pikepdf.Array([widths[code]]))])


def _to_unicode_cmap(mapping: dict[int, str]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode() for code, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _right_to_left(text: str) -> bool:
    # pdftotext lays an actual text out left to right and then reverses right-to-left lines,
    # which would read them backwards: those keep their glyphs' own text.
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def remappable(font: pikepdf.Object) -> bool:
    if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") != "/Type0":
        return False
    descendants = font.get("/DescendantFonts")
    return (
        font.get("/Encoding") == "/Identity-H"
        and "/ToUnicode" in font
        and descendants is not None
        and descendants[0].get("/Subtype") == "/CIDFontType2"
    )


def codes_of(operands: list[pikepdf.Object]) -> list[int]:
    data = b"".join(
        bytes(item)
        for operand in operands
        for item in (operand if isinstance(operand, pikepdf.Array) else [operand])
        if isinstance(item, pikepdf.String)
    )
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]


def recode(operands: list[pikepdf.Object], codes: list[list[int]]) -> list[pikepdf.Object]:
    """``operands`` with each of their strings' two-byte codes replaced, in order, by its ``codes``."""
    remaining = iter(codes)

    def recoded(string: pikepdf.String) -> pikepdf.String:
        count = len(bytes(string)) // 2
        return pikepdf.String(b"".join(code.to_bytes(2, "big") for _ in range(count) for code in next(remaining)))

    result: list[pikepdf.Object] = []
    for operand in operands:
        if isinstance(operand, pikepdf.Array):
            result.append(pikepdf.Array([recoded(i) if isinstance(i, pikepdf.String) else i for i in operand]))
        elif isinstance(operand, pikepdf.String):
            result.append(recoded(operand))
        else:
            result.append(operand)
    return result


def fix_text_layer(data: bytes, clusters: GlyphClusters) -> bytes:
    """``data`` with every recorded line's glyphs given codes that read back as the line's text."""
    if not clusters.spans:
        return data
    with pikepdf.open(BytesIO(data)) as pdf:
        fonts: dict[tuple[int, int], FontCodes] = {}
        changed = False
        for number, page in enumerate(pdf.pages):
            wanted = {mcid: spans for (page_number, mcid), spans in clusters.spans.items() if page_number == number}
            texts = {
                mcid: text
                for (page_number, mcid), text in clusters.texts.items()
                if page_number == number and not _right_to_left(text)
            }
            if wanted and _fix_page(pdf, page, wanted, texts, fonts):
                changed = True
        return saved_with_codes(pdf, fonts.values()) if changed else data


def saved_with_codes(pdf: pikepdf.Pdf, fonts: Iterable[FontCodes]) -> bytes:
    """``pdf`` saved, with the new codes of ``fonts`` written into them."""
    for codes in fonts:
        codes.write(pdf)
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def _fix_page(
    pdf: pikepdf.Pdf,
    page: pikepdf.Page,
    wanted: dict[int, list[Cluster]],
    texts: dict[int, str],
    fonts: dict[tuple[int, int], FontCodes],
) -> bool:
    resources = page.obj.get("/Resources")
    font_resources = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(font_resources, pikepdf.Dictionary):
        return False
    instructions = [
        item for item in pikepdf.parse_content_stream(page) if isinstance(item, pikepdf.ContentStreamInstruction)
    ]
    # Per marked-content id: the indexes of its text-showing instructions, and the font of each.
    shown: dict[int, list[tuple[int, FontCodes | None]]] = {}
    changed = False
    mcids: list[int | None] = []
    font: FontCodes | None = None
    for index, instruction in enumerate(instructions):
        operands, name = instruction.operands, str(instruction.operator)
        if name == "BDC":
            properties = operands[1] if len(operands) > 1 else None
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            mcids.append(int(mcid) if isinstance(mcid, int) else (mcids[-1] if mcids else None))
            if isinstance(mcid, int) and int(mcid) in texts and operands[0] == "/Span":
                # Where glyphs are placed so that extractors part them (a vowel sign drawn raised
                # or lowered is a run of its own), the span's own text is its actual text.
                instructions[index] = pikepdf.ContentStreamInstruction(
                    [operands[0], pikepdf.Dictionary(MCID=int(mcid), ActualText=pikepdf.String(texts[int(mcid)]))],
                    instruction.operator,
                )
                changed = True
        elif name == "BMC":
            mcids.append(mcids[-1] if mcids else None)
        elif name == "EMC" and mcids:
            mcids.pop()
        elif name == "Tf":
            resource = font_resources.get(str(operands[0]))
            if isinstance(resource, pikepdf.Dictionary) and remappable(resource):
                if resource.objgen not in fonts:
                    fonts[resource.objgen] = FontCodes(resource)
                font = fonts[resource.objgen]
            else:
                font = None
        elif name in _SHOW_TEXT and mcids and mcids[-1] in wanted:
            shown.setdefault(mcids[-1], []).append((index, font))
    for span, places in shown.items():
        changed |= _fix_span(instructions, places, wanted[span])
    if changed:
        page.obj.Contents = pikepdf.Stream(pdf, pikepdf.unparse_content_stream(instructions))
    return changed


def _fix_span(
    instructions: list[pikepdf.ContentStreamInstruction],
    places: list[tuple[int, FontCodes | None]],
    clusters: list[Cluster],
) -> bool:
    drawn = [code for index, _ in places for code in codes_of(list(instructions[index].operands))]
    planned = [
        (glyph, share)
        for cluster in syllables(clusters)
        for glyph, share in zip(cluster.glyphs, _shares(cluster), strict=False)
    ]
    if drawn != [glyph for glyph, _ in planned] or any(font is None for _, font in places):
        return False  # not the line recorded (or not a font that can be recoded): leave it as written
    position = 0
    changed = False
    for index, font in places:
        instruction = instructions[index]
        count = len(codes_of(list(instruction.operands)))
        codes: list[list[int]] = []
        for glyph, share in planned[position : position + count]:
            found = font.codes_for(glyph, share) if font else None
            codes.append(found or [glyph])
        position += count
        if codes != [[glyph] for glyph, _ in planned[position - count : position]]:
            instructions[index] = pikepdf.ContentStreamInstruction(
                recode(list(instruction.operands), codes), instruction.operator
            )
            changed = True
    return changed
