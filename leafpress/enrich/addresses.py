"""Email and web addresses in plain text, laid out so a line never breaks at a hyphen inside them.

A line may break after a hyphen (Unicode line breaking), so ``help-desk@north-way.example`` could
print as ``help-desk@north-`` / ``way.example``, which a reader would copy or type wrongly. Each part
of an address between its ``@``, ``.`` and ``/`` is kept on one line, and a break is offered only
after those separators, where readers expect one.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>\"]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PART = re.compile(r"[^@./]+[@./]*|[@./]+")


def _address(address: str) -> Markup:
    trailing = ""
    while address and address[-1] in ".,;:)":  # sentence punctuation after the address
        address, trailing = address[:-1], address[-1] + trailing
    parts = [
        Markup('<span class="address-part">{}</span>').format(part) if "-" in part else escape(part)
        for part in _PART.findall(address)
    ]
    # "<wbr></wbr>": the EPUB's HTML-to-XHTML step does not know <wbr> is empty and would wrap what follows.
    # An address reads left to right in any language: in right-to-left text its parts, each in a
    # text of its own, would otherwise be set right to left ("example.north-way@help-desk").
    opening = Markup('<span class="address" dir="ltr">')
    return opening + Markup("<wbr></wbr>").join(parts) + Markup("</span>") + escape(trailing)


def keep_addresses(text: object) -> Markup:
    """``text`` escaped, with every email and web address in it kept whole at its hyphens."""
    value = str(text)
    pieces: list[Markup] = []
    position = 0
    for match in _ADDRESS.finditer(value):
        pieces.append(escape(value[position : match.start()]))
        pieces.append(_address(match.group()))
        position = match.end()
    pieces.append(escape(value[position:]))
    return Markup("").join(pieces)
