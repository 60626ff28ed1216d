"""What a leaflet's stylesheets say, read with tinycss2: rules, CSS variables, colours, sizes.

The accessibility checks need the colours and type sizes a leaflet is built with, and the
place (file and line) that sets each, so a problem can be fixed where it starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import tinycss2
import tinycss2.color3
from tinycss2.ast import Declaration, FunctionBlock, IdentToken, Node

from leafpress.core.errors import Location

# Type sizes in points; rem and em are taken against the browser default of 12pt (16px)
# unless the stylesheets set the root size.
_UNITS_IN_PT = {"pt": 1.0, "px": 0.75, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pc": 12.0, "q": 18 / 25.4}
_KEYWORDS_IN_PT = {
    "xx-small": 7.0,
    "x-small": 7.5,
    "small": 10.0,
    "medium": 12.0,
    "large": 13.5,
    "x-large": 18.0,
    "xx-large": 24.0,
    "xxx-large": 36.0,
}
_ROOT_SELECTORS = {":root", "html"}


@dataclass(frozen=True)
class Setting:
    """One declaration: the rule's selector, the property, its tokens, and where it is."""

    selector: str
    name: str
    value: list[Node]
    location: Location

    @property
    def text(self) -> str:
        return tinycss2.serialize(self.value).strip()


@dataclass
class Theme:
    """Every declaration of the stylesheets in cascade order, with the variables' final values."""

    settings: list[Setting] = field(default_factory=list)
    variables: dict[str, Setting] = field(default_factory=dict)

    def resolve(self, setting: Setting, depth: int = 0) -> tuple[list[Node], Location]:
        """``setting``'s tokens with ``var()`` replaced, and the place the final value comes from."""
        tokens: list[Node] = []
        origin = setting.location
        for token in setting.value:
            if isinstance(token, FunctionBlock) and token.lower_name == "var" and depth < 10:
                name, fallback = _var_parts(token)
                variable = self.variables.get(name)
                if variable is not None:
                    resolved, origin = self.resolve(variable, depth + 1)
                    tokens.extend(resolved)
                else:
                    tokens.extend(fallback)
            else:
                tokens.append(token)
        return tokens, origin


def _var_parts(function: FunctionBlock) -> tuple[str, list[Node]]:
    arguments = [t for t in function.arguments if t.type not in ("whitespace", "comment")]
    name = arguments[0].value if arguments and isinstance(arguments[0], IdentToken) else ""
    fallback: list[Node] = []
    if any(t.type == "literal" and t.value == "," for t in function.arguments):
        after = False
        for token in function.arguments:
            if after:
                fallback.append(token)
            after = after or (token.type == "literal" and token.value == ",")
    return name, fallback


def _declarations(content: list[Node] | None, selector: str, path: Path) -> list[Setting]:
    found: list[Setting] = []
    for item in tinycss2.parse_blocks_contents(content or [], skip_comments=True, skip_whitespace=True):
        if isinstance(item, Declaration):
            name = item.name if item.name.startswith("--") else item.lower_name
            found.append(
                Setting(selector, name, list(item.value), Location(path, item.source_line, item.source_column))
            )
        elif item.type == "at-rule":  # margin boxes inside @page
            found.extend(_declarations(item.content, f"{selector} @{item.lower_at_keyword}", path))
    return found


def _rules(nodes: list[Node], path: Path) -> list[Setting]:
    found: list[Setting] = []
    for rule in nodes:
        if rule.type == "qualified-rule":
            selector = " ".join(tinycss2.serialize(rule.prelude).split())
            found.extend(_declarations(rule.content, selector, path))
        elif rule.type == "at-rule" and rule.lower_at_keyword == "page":
            page = " ".join(["@page", tinycss2.serialize(rule.prelude).strip()]).strip()
            found.extend(_declarations(rule.content, page, path))
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            if "screen" in tinycss2.serialize(rule.prelude) and "print" not in tinycss2.serialize(rule.prelude):
                continue  # a screen-only rule never reaches the PDF
            found.extend(_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), path))
    return found


def read_theme(stylesheets: list[Path]) -> Theme:
    """The declarations of ``stylesheets``, in order; a later variable overrides an earlier one."""
    theme = Theme()
    for path in stylesheets:
        # Name a project's own files from where the user is, as they would type them.
        shown = path.relative_to(Path.cwd()) if path.is_absolute() and path.is_relative_to(Path.cwd()) else path
        rules = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True)
        theme.settings.extend(_rules(rules, shown))
    for setting in theme.settings:
        if setting.name.startswith("--") and setting.selector in _ROOT_SELECTORS:
            theme.variables[setting.name] = setting
    return theme


Colour = tuple[float, float, float, float]


def colour_of(tokens: list[Node]) -> Colour | None:
    """The first colour in ``tokens`` (a ``background`` shorthand may hold more than a colour)."""
    for token in tokens:
        if token.type in ("whitespace", "comment"):
            continue
        parsed = tinycss2.color3.parse_color(token)
        if parsed is not None and parsed != "currentColor":
            return tuple(parsed)
    return None


def hex_colour(colour: Colour) -> str:
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in colour[:3])


def size_in_pt(tokens: list[Node], root_pt: float = 12.0) -> float | None:
    """A font size in points, or None for what cannot be known from the CSS alone."""
    values = [t for t in tokens if t.type not in ("whitespace", "comment")]
    if len(values) != 1:
        return None
    token = values[0]
    if token.type == "dimension":
        unit = token.lower_unit
        if unit in _UNITS_IN_PT:
            return token.value * _UNITS_IN_PT[unit]
        if unit in ("rem", "em"):
            return token.value * root_pt
    if token.type == "percentage":
        return token.value / 100 * root_pt
    if token.type == "ident":
        return _KEYWORDS_IN_PT.get(token.lower_value)
    return None
