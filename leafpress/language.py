"""A leaflet's language: its locale, writing direction, script and end-matter labels.

Everything that changes with a leaflet's ``language`` (a BCP 47 tag such as en-GB, cy,
ar or zh-Hans) is worked out here from the tag, with Babel's copy of the Unicode CLDR,
so the rest of the pipeline never has a table of languages of its own.

Labels come from YAML catalogues, one per language, keyed like ``enrich.LABELS``:
``leafpress/data/labels/<tag>.yaml`` is built in, and a project's own
``labels/<tag>.yaml`` overrides it key by key. A label no catalogue translates is
shown in English with a warning, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.core import get_global

from leafpress.errors import LeafpressError, Location
from leafpress.load import load_yaml

BUILT_IN_LABELS = Path(__file__).resolve().parent / "data" / "labels"
PROJECT_LABELS = "labels"
FALLBACK_LOCALE = "en_GB"


@dataclass(frozen=True)
class Language:
    """What a BCP 47 tag means for laying a leaflet out."""

    tag: str
    locale: str      # Babel's locale id, e.g. "cy", "zh_Hans"
    direction: str   # "ltr" or "rtl", the value of <html dir>
    script: str      # ISO 15924 code, e.g. "Latn", "Arab", "Hans"
    known: bool      # False when Babel (CLDR) does not know the language

    @property
    def primary(self) -> str:
        """The language without region or script: "cy" for "cy-GB"."""
        return self.tag.split("-")[0].lower()


def describe(tag: str) -> Language:
    """The locale, direction and script of ``tag``; English rules when CLDR does not know it."""
    try:
        locale = Locale.parse(tag, sep="-")
    except (ValueError, LookupError):
        return Language(tag, FALLBACK_LOCALE, "ltr", _likely_script(tag) or "Latn", known=False)
    direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    script = locale.script or _likely_script(str(locale)) or "Latn"
    return Language(tag, str(locale), direction, script, known=True)


def _likely_script(locale_id: str) -> str | None:
    """CLDR's likely script for a locale id such as "ar" or "zh_TW" ("Arab", "Hant")."""
    likely = get_global("likely_subtags")
    parts = locale_id.replace("-", "_").split("_")
    for size in range(len(parts), 0, -1):
        found = likely.get("_".join(parts[:size]))
        if found:
            return found.split("_")[1]
    return None


def catalogue_names(language: Language) -> list[str]:
    """Catalogue file stems to look for, most specific first: zh-Hans-CN, zh-Hans, zh."""
    names = [language.tag]
    if language.known:
        parts = language.locale.split("_")
        names += ["-".join(parts[:size]) for size in range(len(parts), 0, -1)]
    names.append(language.primary)
    unique: list[str] = []
    for name in names:
        if name.lower() not in (u.lower() for u in unique):
            unique.append(name)
    return unique


def load_labels(language: Language, english: dict[str, str],
                project_root: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """The end-matter labels for ``language`` and any warnings about English left in.

    ``english`` gives every key and the text used when no catalogue translates it.
    """
    labels = dict(english)
    translated: set[str] = set()
    found_any = False
    # Least specific first, so "cy-GB" entries win over "cy" ones, and the project's over leafpress's.
    for folder in (BUILT_IN_LABELS, project_root / PROJECT_LABELS if project_root else None):
        if folder is None:
            continue
        for name in reversed(catalogue_names(language)):
            path = _catalogue_path(folder, name)
            if path is None:
                continue
            found_any = True
            entries = read_catalogue(path, english)
            labels.update(entries)
            translated.update(entries)
    if language.primary == "en":
        return labels, []
    if not found_any:
        return labels, [f"no labels catalogue for language '{language.tag}': the end matter is in English — "
                        f"add {PROJECT_LABELS}/{language.primary}.yaml (see docs/languages.md)"]
    missing = sorted(set(english) - translated)
    if missing:
        return labels, [f"labels not translated into '{language.tag}', shown in English: {', '.join(missing)} — "
                        f"add them to {PROJECT_LABELS}/{language.primary}.yaml"]
    return labels, []


def _catalogue_path(folder: Path, name: str) -> Path | None:
    if not folder.is_dir():
        return None
    for path in folder.glob("*.y*ml"):
        if path.stem.lower() == name.lower() and path.suffix in (".yaml", ".yml"):
            return path
    return None


def read_catalogue(path: Path, english: dict[str, str]) -> dict[str, str]:
    """One catalogue's labels; an unknown key or a value that is not text is an error at its line."""
    loaded = load_yaml(path, what="labels catalogue")
    if not isinstance(loaded.data, dict):
        raise LeafpressError(Location(path), "a labels catalogue holds keys and texts", "write 'key: text' lines")
    entries: dict[str, str] = {}
    for key, value in loaded.data.items():
        where = loaded.location((key,))
        if key not in english:
            raise LeafpressError(where, f"unknown label '{key}'",
                                 "labels are: " + ", ".join(sorted(english)))
        if not isinstance(value, str) or not value.strip():
            raise LeafpressError(where, f"label '{key}' should be text", "write the translated words after the colon")
        wanted = _placeholders(english[key])
        if set(wanted) != set(_placeholders(value)):
            raise LeafpressError(where, f"label '{key}' must contain {' and '.join(wanted)}",
                                 f"keep the placeholders as in English: '{english[key]}'")
        entries[key] = value.strip()
    return entries


def _placeholders(text: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"\{[a-z_]+\}", text)))
