"""The Easy Read version of a leaflet: rows of a picture and a short text, ready to lay out.

Pictures are a project's own images (checked like every image) or OpenMoji pictures named
``openmoji:telephone`` (by name) or ``openmoji:1F4DE`` (by code), read from the ``openmoji``
npm package the set-up installs. OpenMoji is CC BY-SA 4.0: a leaflet that uses it credits it.
"""

from __future__ import annotations

import base64
import difflib
import json
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from markupsafe import Markup

from leafpress.core.errors import LeafpressError
from leafpress.core.model import EasyRead
from leafpress.enrich.images import ImagePolicy, ImageProblem, check_alt, check_image_file, image_url
from leafpress.enrich.markdown import render_markdown
from leafpress.source.load import Key, Loaded

OPENMOJI_PREFIX = "openmoji:"
# An OpenMoji SVG is a few kilobytes; anything bigger is not one of theirs.
MAX_OPENMOJI_BYTES = 200_000


class OpenMojiMissing(ImageProblem):
    """The OpenMoji package is not installed: only the Easy Read format needs it."""


@dataclass(frozen=True)
class EasyReadRowData:
    heading: str | None
    picture_url: str | None
    alt: str | None
    html: Markup | None
    line: int


@dataclass(frozen=True)
class EasyReadWordData:
    word: str
    meaning: Markup
    picture_url: str | None
    alt: str | None


@dataclass
class EasyReadData:
    title: str
    rows: list[EasyReadRowData]
    words: list[EasyReadWordData]
    # OpenMoji's licence (CC BY-SA 4.0) asks for a credit wherever its pictures are used.
    uses_openmoji: bool = False
    # Pictures that cannot be drawn on this machine (OpenMoji not installed): an error for the
    # Easy Read format only, so the leaflet's other formats still build.
    errors: list[LeafpressError] = field(default_factory=list)


def openmoji_folder(project_root: Path | None) -> Path | None:
    """The installed ``openmoji`` npm package: the project's own, else the one beside leafpress."""
    candidates = [project_root / "node_modules" / "openmoji"] if project_root else []
    candidates.append(Path(__file__).resolve().parents[2] / "node_modules" / "openmoji")
    # A virtual environment made inside a checkout (make's .venv) has the checkout's packages beside it.
    candidates.append(Path(sys.prefix).resolve().parent / "node_modules" / "openmoji")
    return next((folder for folder in candidates if (folder / "data" / "openmoji.json").is_file()), None)


@cache
def _openmoji_index(folder: Path) -> dict[str, str]:
    """Lower-case names and codes → hexcode, from the package's own list."""
    index: dict[str, str] = {}
    for entry in json.loads((folder / "data" / "openmoji.json").read_text(encoding="utf-8")):
        code = str(entry.get("hexcode", ""))
        if not code:
            continue
        index.setdefault(code.lower(), code)
        name = " ".join(str(entry.get("annotation", "")).lower().replace("-", " ").replace("_", " ").split())
        if name:
            index.setdefault(name, code)
    return index


def openmoji_file(name: str, project_root: Path | None) -> Path:
    """The colour SVG of the OpenMoji picture ``name`` (a name such as "telephone", or a code)."""
    folder = openmoji_folder(project_root)
    if folder is None:
        raise OpenMojiMissing(
            "OpenMoji pictures are not installed",
            "run the set-up (make leaflets) or `npm install openmoji` in the project folder",
        )
    index = _openmoji_index(folder)
    wanted = " ".join(name.lower().replace("-", " ").replace("_", " ").split())
    code = index.get(wanted)
    if code is None:
        near = difflib.get_close_matches(wanted, [key for key in index if " " in key or key.isalpha()], n=3)
        hint = f"did you mean {', '.join(repr(n) for n in near)}?" if near else "see the names at openmoji.org"
        raise ImageProblem(f"no OpenMoji picture called '{name}'", hint)
    path = (folder / "color" / "svg" / f"{code}.svg").resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise ImageProblem(f"the OpenMoji picture '{name}' ({code}) is missing from the package", "reinstall openmoji")
    return path


def picture_url(src: str, policy: ImagePolicy, project_root: Path | None) -> tuple[str, bool]:
    """A URL for an Easy Read picture, and whether it is an OpenMoji one (which needs a credit)."""
    if src.lower().startswith(OPENMOJI_PREFIX):
        path = openmoji_file(src[len(OPENMOJI_PREFIX) :].strip(), project_root)
        if path.stat().st_size > MAX_OPENMOJI_BYTES:
            raise ImageProblem(f"the OpenMoji picture '{src}' is unexpectedly large", "reinstall openmoji")
        check_image_file(path, src, policy)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"data:image/svg+xml;base64,{data}", True
    return image_url(src, policy), False


def easy_read_data(
    loaded: Loaded, easy_read: EasyRead, title: str, policy: ImagePolicy, project_root: Path | None
) -> EasyReadData:
    """The laid-out data of the Easy Read version; a bad picture or alt text is an error at its line."""
    uses_openmoji = False
    unavailable: list[LeafpressError] = []

    def picture(key: Key, src: str | None, alt: str | None) -> str | None:
        nonlocal uses_openmoji
        if src is None:
            return None
        try:
            check_alt(alt or "", src)
            url, from_openmoji = picture_url(src, policy, project_root)
        except OpenMojiMissing as problem:
            unavailable.append(LeafpressError(loaded.location((*key, "picture")), problem.message, problem.hint))
            return None
        except ImageProblem as problem:
            raise LeafpressError(loaded.location((*key, "picture")), problem.message, problem.hint) from None
        uses_openmoji = uses_openmoji or from_openmoji
        return url

    rows = []
    for index, row in enumerate(easy_read.rows):
        key: Key = ("easy_read", "rows", index)
        rows.append(
            EasyReadRowData(
                heading=row.heading,
                picture_url=picture(key, row.picture, row.alt),
                alt=row.alt,
                html=render_markdown(loaded, (*key, "text"), row.text, inline=True) if row.text else None,
                line=loaded.location(key).line,
            )
        )
    words = []
    for index, word in enumerate(easy_read.words):
        key = ("easy_read", "words", index)
        words.append(
            EasyReadWordData(
                word=word.word,
                meaning=render_markdown(loaded, (*key, "meaning"), word.meaning, inline=True),
                picture_url=picture(key, word.picture, word.alt),
                alt=word.alt,
            )
        )
    return EasyReadData(
        title=easy_read.title or title,
        rows=rows,
        words=words,
        uses_openmoji=uses_openmoji,
        errors=unavailable,
    )
