"""The end matter's labels in the leaflet's language, from the built-in and the project's catalogues."""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

from leafpress.core.errors import LeafpressError, Location
from leafpress.core.language import BUILT_IN_LABELS, PROJECT_LABELS, Language, catalogue_names
from leafpress.enrich.organisation import language_attribute
from leafpress.source.load import load_yaml

ENGLISH = "en-GB"  # the language of the built-in labels


def load_labels(
    language: Language, english: dict[str, str], project_root: Path | None = None
) -> tuple[dict[str, str], list[str]]:
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
        return labels, [
            f"no labels catalogue for language '{language.tag}': the end matter is in English — "
            f"add {PROJECT_LABELS}/{language.primary}.yaml (see docs/languages.md)"
        ]
    missing = sorted(set(english) - translated)
    if missing:
        return labels, [
            f"labels not translated into '{language.tag}', shown in English: {', '.join(missing)} — "
            f"add them to {PROJECT_LABELS}/{language.primary}.yaml"
        ]
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
            raise LeafpressError(where, f"unknown label '{key}'", "labels are: " + ", ".join(sorted(english)))
        if not isinstance(value, str) or not value.strip():
            raise LeafpressError(where, f"label '{key}' should be text", "write the translated words after the colon")
        wanted = _placeholders(english[key])
        if set(wanted) != set(_placeholders(value)):
            raise LeafpressError(
                where,
                f"label '{key}' must contain {' and '.join(wanted)}",
                f"keep the placeholders as in English: '{english[key]}'",
            )
        entries[key] = value.strip()
    return entries


def _placeholders(text: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"\{[a-z_]+\}", text)))


def label_languages(labels: dict[str, str], english: dict[str, str], language: Language) -> dict[str, Markup]:
    """For each label, ``' lang="en-GB" dir="ltr"'`` where it is still in English in a leaflet in
    another language (no catalogue translates it), else empty: a Welsh or Arabic voice must not
    read the English words."""
    in_english = language.primary != "en"
    return {
        key: language_attribute(ENGLISH) if in_english and text == english.get(key) else Markup("")
        for key, text in labels.items()
    }
