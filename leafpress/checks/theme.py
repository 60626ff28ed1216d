"""The theme's accessibility: colour contrast (WCAG AA, AAA for body text) and type sizes per format."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from leafpress.checks.css_theme import Colour, Setting, Theme, colour_of, hex_colour, read_theme, size_in_pt
from leafpress.core.errors import Location
from leafpress.formats import Format
from leafpress.pdf.inspect import Problem

AA = 4.5
AAA_BODY = 7.0
WHITE: Colour = (1.0, 1.0, 1.0, 1.0)


def _luminance(colour: Colour) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _over(colour: Colour, background: Colour) -> Colour:
    alpha = colour[3]
    mixed = tuple(alpha * c + (1 - alpha) * b for c, b in zip(colour[:3], background[:3], strict=True))
    return (*mixed, 1.0)  # type: ignore[return-value]


def contrast_ratio(text: Colour, background: Colour) -> float:
    """The WCAG 2 contrast ratio of ``text`` on ``background`` (both composited over white)."""
    background = _over(background, WHITE)
    lighter, darker = sorted((_luminance(_over(text, background)), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _selectors(setting: Setting) -> list[str]:
    return [part.strip() for part in setting.selector.split(",")]


def _inside(selector: str, container: str) -> bool:
    """Whether ``selector`` styles something inside (or on) what ``container`` matches, by its text."""
    if container in ("html", "body", ":root"):
        return True
    return selector == container or selector.startswith(container + " ") or selector.startswith(container + ":")


def check_theme(stylesheets: list[Path], fmt: Format) -> list[Problem]:
    """Contrast of the theme's text and background pairs, and type sizes against ``fmt``'s minimum."""
    # Every leaflet of a project shares its theme: check it once per version of the files.
    versions = tuple((path, path.stat().st_mtime_ns, path.stat().st_size) for path in stylesheets)
    return list(_check_theme_files(versions, fmt))


@lru_cache(maxsize=32)
def _check_theme_files(versions: tuple[tuple[Path, int, int], ...], fmt: Format) -> tuple[Problem, ...]:
    theme = read_theme([path for path, _, _ in versions])
    return tuple(_contrast_problems(theme) + _size_problems(theme, fmt))


def _colours(theme: Theme, names: Iterable[str]) -> list[tuple[Setting, Colour, Location]]:
    found = []
    for setting in theme.settings:
        if setting.name in names:
            tokens, origin = theme.resolve(setting)
            colour = colour_of(tokens)
            if colour is not None and colour[3] > 0:
                found.append((setting, colour, origin))
    return found


_PAGE_SELECTORS = {"html", "body", ":root"}
# (where the colour is set, text colour, background, ratio needed) -> the rules that use the pair
_Pairs = dict[tuple[Location, str, str, float], list[str]]


def _contrast_problems(theme: Theme) -> list[Problem]:
    texts = _colours(theme, ("color",))
    backgrounds = _colours(theme, ("background", "background-color"))
    page = next((c for s, c, _ in reversed(backgrounds) if set(_selectors(s)) & _PAGE_SELECTORS), WHITE)
    boxes = [(s, c, o) for s, c, o in backgrounds if not set(_selectors(s)) & _PAGE_SELECTORS]
    body = [(s, c, o) for s, c, o in texts if set(_selectors(s)) & _PAGE_SELECTORS]
    pairs: _Pairs = {}
    for text_setting, text, origin in texts:
        needed = AAA_BODY if any(t is text_setting for t, _, _ in body) else AA
        # The rule's own background; else the page and the backgrounds of what holds it.
        own = [(c, s.selector) for s, c, _ in backgrounds if s.selector == text_setting.selector]
        grounds = [c for c, _ in own[-1:]] or [page]
        for ground_setting, ground, _ in [] if own else boxes:
            for selector in _selectors(text_setting):
                if any(_inside(selector, container) for container in _selectors(ground_setting)):
                    grounds.append(ground)
        for ground in grounds:
            _pair(pairs, "body text" if needed == AAA_BODY else text_setting.selector, text, origin, ground, needed)
    # Body text and headings sit on every tinted box too, unless the box sets its own text colour.
    inherited = body + [
        (s, c, o)
        for s, c, o in texts
        if all(re.fullmatch(r"h[1-6]|a|strong|b|p|li|dt|dd", sel) for sel in _selectors(s))
    ]
    coloured = {s.selector for s, _, _ in texts}
    for ground_setting, ground, _ in boxes:
        if ground_setting.selector in coloured:
            continue
        for text_setting, text, origin in inherited:
            needed = AAA_BODY if any(t is text_setting for t, _, _ in body) else AA
            name = "body text" if needed == AAA_BODY else text_setting.selector
            _pair(pairs, f"{name} in {ground_setting.selector}", text, origin, ground, needed)
    problems = []
    for (origin, text_hex, ground_hex, needed), users in pairs.items():
        ratio = contrast_ratio(_hex(text_hex), _hex(ground_hex))
        level = "AAA for body text" if needed == AAA_BODY else "AA"
        problems.append(
            Problem(
                origin,
                f"text colour {text_hex} on {ground_hex} has contrast {ratio:.2f}:1, "
                f"below WCAG {level} {needed:g}:1 (in {', '.join(users)})",
                "choose a darker text colour or a lighter background",
                "contrast",
            )
        )
    return problems


def _hex(text: str) -> Colour:
    return (int(text[1:3], 16) / 255, int(text[3:5], 16) / 255, int(text[5:7], 16) / 255, 1.0)


def _pair(pairs: _Pairs, user: str, text: Colour, origin: Location, ground: Colour, needed: float) -> None:
    ground = _over(ground, WHITE)
    text = _over(text, ground)
    if contrast_ratio(text, ground) + 1e-9 < needed:
        users = pairs.setdefault((origin, hex_colour(text), hex_colour(ground), needed), [])
        if user not in users:
            users.append(user)


def _size_problems(theme: Theme, fmt: Format) -> list[Problem]:
    problems = []
    for setting in theme.settings:
        if setting.name != "font-size":
            continue
        tokens, origin = theme.resolve(setting)
        size = size_in_pt(tokens)
        if size is not None and size < fmt.min_font_pt - 0.01:
            problems.append(
                Problem(
                    origin,
                    f"font size {size:g}pt ({setting.selector}) is below the {fmt.name} "
                    f"minimum of {fmt.min_font_pt:g}pt",
                    f"use {fmt.min_font_pt:g}pt or more",
                    "font-size",
                )
            )
    return problems
