"""Compiled templates are kept in the user's cache: an edited template is compiled again, and a
cache that cannot be written never stops a build."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.conftest import MINIMAL_LEAFLET, run_process, write


def _title_block(project: Path, words: str) -> None:
    write(
        project / "templates" / "leaflet.html.j2",
        '{% extends "theme/leaflet.html.j2" %}\n{% block title %}<h1>' + words + "</h1>{% endblock %}\n",
    )


def _built_text(project: Path, cache: Path) -> str:
    result = run_process("build", "--format", "html", "--force", cwd=project, env={"XDG_CACHE_HOME": str(cache)})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return (project / "output" / "liver.html").read_text(encoding="utf-8")


def test_templates_are_compiled_once_and_again_when_edited(tmp_path: Path) -> None:
    project, cache = tmp_path / "project", tmp_path / "cache"
    write(project / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    _title_block(project, "First words of the title")
    assert "First words of the title" in _built_text(project, cache)
    compiled = sorted((cache / "leafpress").glob("templates-*/*"))
    assert len(compiled) >= 2  # the project's template and the theme's it extends
    # What another checkout compiled a month ago (a CI runner makes many) goes when a template is
    # compiled next; what this one uses stays.
    stale = compiled[0].with_name("__jinja2_" + "0" * 40 + ".cache")
    stale.write_bytes(b"compiled by another checkout")
    month_ago = time.time() - 31 * 86_400
    for path in [stale, *compiled]:
        os.utime(path, (month_ago, month_ago))
    _title_block(project, "Second words of the title")
    text = _built_text(project, cache)
    assert "Second words of the title" in text and "First words" not in text
    assert not stale.exists()
    assert all(path.exists() for path in compiled)


def test_a_cache_that_cannot_be_written_never_stops_a_build(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write(project / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    _title_block(project, "Words of the title")
    blocked = write(tmp_path / "not-a-folder", "a file where the cache folder would be")
    assert "Words of the title" in _built_text(project, blocked)
    read_only = tmp_path / "read-only"
    (read_only / "leafpress").mkdir(parents=True)
    (read_only / "leafpress").chmod(0o500)
    try:
        assert "Words of the title" in _built_text(project, read_only)
    finally:
        (read_only / "leafpress").chmod(0o700)
