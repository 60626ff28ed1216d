"""QR codes for a leaflet's links: a vector SVG (segno) and the short address printed beside it.

People who cannot scan the code type the address, so the address is the short, readable form
of the link: no ``https://``, no trailing slash.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit


@dataclass(frozen=True)
class LinkData:
    url: str
    label: str
    address: str  # what is printed for people to type
    qr: str  # the QR code as an SVG data URL


def short_address(url: str) -> str:
    """``url`` as people would type it: without the scheme and a trailing slash."""
    parts = urlsplit(url)
    address = parts.netloc + parts.path.rstrip("/")
    if parts.query:
        address += "?" + parts.query
    return address


# A batch or a preview draws the same few links (the organisation's site) again and again.
@lru_cache(maxsize=256)
def qr_svg(url: str) -> str:
    """A QR code for ``url`` as an SVG ``data:`` URL that scales to any size (it has a viewBox)."""
    # Medium error correction survives a crease or a smudge on a printed leaflet.
    import segno  # loaded when a leaflet has a link, not for every run of the command

    code = segno.make(url, error="m", micro=False)
    return code.svg_data_uri(border=4, omitsize=True, xmldecl=False, nl=False, dark="#000", light="#fff")


def link_data(url: str, label: str) -> LinkData:
    return LinkData(url=url, label=label, address=short_address(url), qr=qr_svg(url))
