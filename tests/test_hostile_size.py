"""The largest leaflets within the documented limits build and check in bounded memory (issue 13, item 10).

A leaflet just under the byte or line limit, full of hard line breaks (the issue's case), is
built and then checked by the real CLI, each in a fresh process whose peak memory is read from
the kernel (wait4). Times are recorded by ``bench/large_leaflets.py``, not asserted here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leafpress.core.config import MAX_FILE_BYTES, MAX_FILE_LINES
from tests.conftest import MINIMAL_LEAFLET, write
from tests.large_leaflets import hard_line_breaks, list_items, run_measured

MAX_RSS_BYTES = 500 * 1024 * 1024


@pytest.mark.slow
def test_the_largest_leaflet_within_the_limits_builds_and_checks_in_under_500_mb(tmp_path: Path) -> None:
    text = hard_line_breaks()
    assert MAX_FILE_LINES - 40 < len(text.splitlines()) <= MAX_FILE_LINES
    assert len(text.encode()) <= MAX_FILE_BYTES
    write(tmp_path / "leaflets" / "long.yaml", text)
    build = run_measured("build", "--jobs", "1", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr
    assert build.peak_bytes < MAX_RSS_BYTES, f"build peaked at {build.peak_bytes / 2**20:.0f} MB"
    pdf = tmp_path / "output" / "long.pdf"
    assert pdf.is_file()
    import pypdf

    reader = pypdf.PdfReader(pdf)
    # Every hard line break is a line of its own: the last line of the last section is printed.
    last_line = text.rstrip().splitlines()[-1].strip().rstrip("\\")
    assert last_line in "".join(page.extract_text() for page in reader.pages[-3:])
    check = run_measured("check", "--jobs", "1", cwd=tmp_path)
    assert "Traceback" not in check.stderr and "internal error" not in check.stderr, check.stderr
    assert check.peak_bytes < MAX_RSS_BYTES, f"check peaked at {check.peak_bytes / 2**20:.0f} MB"


def test_a_leaflet_one_line_over_the_limit_is_refused_at_that_line_and_the_others_build(tmp_path: Path) -> None:
    write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    long = list_items(max_lines=MAX_FILE_LINES + 200)
    assert len(long.splitlines()) > MAX_FILE_LINES
    write(tmp_path / "leaflets" / "long.yaml", long)
    run = run_measured("build", "--jobs", "1", cwd=tmp_path)
    assert run.returncode == 1
    assert f"leaflets/long.yaml:{MAX_FILE_LINES + 1}:1: the file is " in run.stderr, run.stderr
    assert f"lines long, over the limit of {MAX_FILE_LINES:,}" in run.stderr
    assert (tmp_path / "output" / "liver.pdf").is_file()
    assert not (tmp_path / "output" / "long.pdf").exists()


def test_the_project_may_raise_the_limits_only_to_their_fixed_maximum(tmp_path: Path) -> None:
    write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    write(tmp_path / "leafpress.yaml", "limits:\n  max_file_bytes: 1000000\n  max_file_lines: 100000\n")
    run = run_measured("build", "--jobs", "1", cwd=tmp_path)
    assert run.returncode == 1
    assert "leafpress.yaml:2:3: 'limits.max_file_bytes' is out of range" in run.stderr, run.stderr
    assert "leafpress.yaml:3:3: 'limits.max_file_lines' is out of range" in run.stderr, run.stderr


def test_raised_limits_hold_for_a_translations_source_too(tmp_path: Path) -> None:
    # A source longer than the default line limit, in a project that raised it: its translation
    # is checked against it (a different callout is found), not skipped as "source has errors".
    write(tmp_path / "leafpress.yaml", f"limits:\n  max_file_lines: {MAX_FILE_LINES + 300}\n")
    notes = "".join(f"# editorial note {number}\n" for number in range(MAX_FILE_LINES + 50))
    write(tmp_path / "leaflets" / "liver.yaml", notes + MINIMAL_LEAFLET)
    welsh = MINIMAL_LEAFLET.replace("title: Looking after your liver", "title: Gofalu am eich iau")
    welsh = welsh.replace("code: TST-001", "code: TST-001-CY").replace("    callout: urgent\n", "")
    write(tmp_path / "leaflets" / "liver.cy.yaml", welsh)
    run = run_measured("build", "leaflets/liver.cy.yaml", "--jobs", "1", cwd=tmp_path)
    assert "cannot check this translation" not in run.stderr, run.stderr
    assert run.returncode == 1
    assert "section 2 has no callout, but in liver.yaml it has callout 'urgent'" in run.stderr
