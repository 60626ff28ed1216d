"""The editable word files: ``word: value`` per line, shipped in ``leafpress/data/`` and
overridable by a project's ``words/`` folder (a value of ``~`` removes a shipped entry)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from leafpress.core.errors import LeafpressError
from leafpress.source.load import load_yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
PROJECT_WORDS_DIR = "words"
# An entry is matched as whole words: one with no letter or digit could never match.
_WORD_CHARACTER = re.compile(r"\w")


def load_word_file(path: Path, value_type: type) -> dict[str, Any]:
    """``{lower-case word: value}`` from one word file, each value checked against ``value_type``."""
    loaded = load_yaml(path, what="word list")
    if not isinstance(loaded.data, dict):
        raise LeafpressError(
            loaded.location(()), "a word list is a set of 'word: value' lines", "write one 'word: value' per line"
        )
    table: dict[str, Any] = {}
    for word, value in loaded.data.items():
        if value is not None and (not isinstance(value, value_type) or isinstance(value, bool)):
            wanted = "a whole number" if value_type is int else "text"
            raise LeafpressError(
                loaded.location((word,)),
                f"the value for '{word}' should be {wanted}",
                "write 'word: value', or 'word: ~' to drop a shipped entry",
            )
        entry = " ".join(str(word).lower().split())
        if not _WORD_CHARACTER.search(entry):
            raise LeafpressError(
                loaded.location((word,)),
                f"the entry '{word}' holds no letter or digit, so it can never match a word",
                "write a word or phrase, or remove the line",
            )
        table[entry] = value
    return table


@cache
def merged_word_file(name: str, value_type: type, project_root: Path | None) -> dict[str, Any]:
    """The shipped ``name`` overlaid with the project's ``words/name``; ``~`` entries removed."""
    table = load_word_file(DATA_DIR / name, value_type)
    own = project_root / PROJECT_WORDS_DIR / name if project_root is not None else None
    if own is not None and own.is_file():
        table.update(load_word_file(own, value_type))
    return {word: value for word, value in table.items() if value is not None}
