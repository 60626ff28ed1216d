"""The braille and audio versions in the preview: a braille page view and an MP3 to listen to.

Built on request from the leaflet as it is now (the same pipeline as a build, nothing written),
so an editor can hear a new pronunciation or see how a heading falls on a braille page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leafpress.build.pipeline import render
from leafpress.core.errors import LeafpressError, LeafpressErrors, NotApplicable
from leafpress.enrich.prepare import prepare
from leafpress.formats import get_format
from leafpress.source.project import open_project

# Braille ASCII (as in .brf files) in the order of the Unicode braille patterns U+2800 to U+283F.
BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="


@dataclass(frozen=True)
class Alternative:
    data: bytes | None
    problem: str | None = None  # why there is no file: "no braille table for xx", an error in the leaflet


def build_alternative(root: Path, source: Path, format_name: str) -> Alternative:
    """``source`` rendered in ``format_name`` (braille or audio), in memory."""
    project = open_project(root)
    try:
        data, _ = render(prepare(source, project), source, project, get_format(format_name))
    except NotApplicable as exc:
        return Alternative(None, str(exc))
    except LeafpressErrors as exc:
        return Alternative(None, "; ".join(str(error) for error in exc.errors))
    except LeafpressError as exc:
        return Alternative(None, str(exc))
    return Alternative(data)


def braille_pages(brf: bytes) -> list[list[tuple[str, str]]]:
    """Each page of a .brf as lines of (Unicode braille dots, braille ASCII), for sighted proofreaders."""
    pages = []
    for page in brf.decode("ascii", errors="replace").split("\f"):
        lines = page.removesuffix("\r\n").split("\r\n")
        pages.append([("".join(_dots(char) for char in line), line) for line in lines])
    return pages


def _dots(char: str) -> str:
    index = BRAILLE_ASCII.find(char.upper())
    return chr(0x2800 + index) if index >= 0 else char
