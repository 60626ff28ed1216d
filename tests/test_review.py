"""The review cycle: `status` lists every leaflet's state; overdue builds follow the project's policy."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import MINIMAL_LEAFLET, run_cli, write

TODAY = "2026-07-24"
OVERDUE_MARK = "Review overdue – check for a newer version"


def leaflet_reviewed(last: str, next_due: str | None = None, code: str = "TST-001", title: str = "") -> str:
    text = MINIMAL_LEAFLET.replace("code: TST-001", f"code: {code}")
    if title:
        text = text.replace("title: Looking after your liver", f"title: {title}")
    review = f"  last_reviewed: {last}" + (f"\n  next_review: {next_due}" if next_due else "")
    text = text.replace("  last_reviewed: 2024-03-15", review)
    return text.replace("date: 2024-03-20", f"date: {last}")


@pytest.fixture
def three_states(tmp_path: Path) -> Path:
    """Three leaflets on 24 July 2026: current, due within the 90-day window, and overdue."""
    write(tmp_path / "leafpress.yaml", "review:\n  interval_years: 3\n  warning_days: 90\n")
    write(tmp_path / "leaflets" / "current.yaml", leaflet_reviewed("2025-01-10", code="CUR-1", title="Current one"))
    # No next_review: due three years after the last review, 30 days from "today".
    write(tmp_path / "leaflets" / "soon.yaml", leaflet_reviewed("2023-08-23", code="SOON-1", title="Soon one"))
    write(
        tmp_path / "leaflets" / "late.yaml",
        leaflet_reviewed("2023-01-01", "2026-01-01", code="LATE-1", title="Late [old] one"),
    )
    return tmp_path


def test_status_json_gives_each_state_sorted_by_due_date(three_states: Path) -> None:
    result = run_cli("status", "--json", "--today", TODAY, cwd=three_states)
    assert result.returncode == 1, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["code"], r["state"], r["days_left"]) for r in rows] == [
        ("LATE-1", "overdue", -204),
        ("SOON-1", "due-soon", 30),
        ("CUR-1", "current", 535),
    ]
    late = rows[0]
    assert late["file"] == "leaflets/late.yaml"
    assert late["title"] == "Late [old] one"
    assert late["version"] == "1.2"
    assert late["last_reviewed"] == "2023-01-01"
    assert late["next_review"] == "2026-01-01"
    assert late["status"] == "approved"
    assert rows[1]["next_review"] == "2026-08-23"


def test_status_exits_0_when_nothing_is_overdue(three_states: Path) -> None:
    result = run_cli(
        "status", "--json", "--today", TODAY, "leaflets/current.yaml", "leaflets/soon.yaml", cwd=three_states
    )
    assert result.returncode == 0, result.stderr
    assert [r["state"] for r in json.loads(result.stdout)] == ["due-soon", "current"]


def test_status_only_looks_at_the_files_named(three_states: Path) -> None:
    result = run_cli("status", "--json", "--today", TODAY, "leaflets/late.yaml", cwd=three_states)
    assert result.returncode == 1
    assert [r["code"] for r in json.loads(result.stdout)] == ["LATE-1"]


def test_status_csv_for_spreadsheets(three_states: Path) -> None:
    result = run_cli("status", "--csv", "--today", TODAY, cwd=three_states)
    assert result.returncode == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["state"] for r in rows] == ["overdue", "due-soon", "current"]
    assert rows[0]["title"] == "Late [old] one" and rows[0]["days_left"] == "-204"


def test_status_table_for_people(three_states: Path) -> None:
    result = run_cli("status", "--today", TODAY, cwd=three_states)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    late, soon, current = (
        next(i for i, line in enumerate(lines) if code in line) for code in ("LATE-1", "SOON-1", "CUR-1")
    )
    assert late < soon < current
    assert "overdue" in lines[late] and "due-soon" in lines[soon] and "current" in lines[current]
    assert "Late [old] one" in result.stdout
    assert "1 leaflet(s) overdue" in result.stderr


def test_status_lists_drafts(three_states: Path) -> None:
    draft = leaflet_reviewed("2025-01-10", code="DRF-1").replace("approved_by:", "status: draft\napproved_by:")
    write(three_states / "leaflets" / "draft.yaml", draft)
    rows = json.loads(run_cli("status", "--json", "--today", TODAY, cwd=three_states).stdout)
    assert {r["code"]: r["status"] for r in rows}["DRF-1"] == "draft"
    assert {r["code"]: r["status"] for r in rows}["CUR-1"] == "approved"


def test_status_reports_a_broken_leaflet_and_lists_the_rest(three_states: Path) -> None:
    write(three_states / "leaflets" / "broken.yaml", "title: [oops\n")
    result = run_cli("status", "--json", "--today", "2025-06-01", cwd=three_states)
    assert result.returncode == 1
    assert "leaflets/broken.yaml:" in result.stderr
    assert len(json.loads(result.stdout)) == 3


def test_status_today_must_be_a_date(three_states: Path) -> None:
    result = run_cli("status", "--today", "24/07/2026", cwd=three_states)
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr


def build_overdue(project: Path, policy: str | None) -> tuple[int, str, Path]:
    config = "review:\n  warning_days: 90\n" + (f"  overdue_policy: {policy}\n" if policy else "")
    write(project / "leafpress.yaml", config)
    long_body = "\n\n".join(["Your liver cleans your blood and stores energy for later."] * 40)
    text = leaflet_reviewed("2023-01-01", "2026-01-01").replace(
        "  - heading: When to get help",
        "  - heading: More about the liver\n    body: |\n"
        + "\n".join("      " + line for line in long_body.splitlines())
        + "\n  - heading: When to get help",
    )
    write(project / "leaflets" / "liver.yaml", text)
    result = run_cli("build", "leaflets/liver.yaml", cwd=project, env={"LEAFPRESS_TODAY": TODAY})
    return result.returncode, result.stderr, project / "output" / "liver.pdf"


def test_overdue_policy_warn_builds_with_a_warning(tmp_path: Path) -> None:
    code, stderr, pdf = build_overdue(tmp_path, None)
    assert code == 0, stderr
    assert "warning: review overdue: the next review was due on 2026-01-01" in stderr
    assert all(OVERDUE_MARK not in page.extract_text() for page in PdfReader(pdf).pages)


def test_overdue_policy_watermark_marks_every_page(tmp_path: Path) -> None:
    code, stderr, pdf = build_overdue(tmp_path, "watermark")
    assert code == 0, stderr
    pages = PdfReader(pdf).pages
    assert len(pages) >= 3
    for page in pages:
        assert OVERDUE_MARK in page.extract_text()


def test_overdue_policy_refuse_writes_no_pdf(tmp_path: Path) -> None:
    code, stderr, pdf = build_overdue(tmp_path, "refuse")
    assert code == 1
    assert "leaflets/liver.yaml:" in stderr and "review overdue" in stderr and "'refuse'" in stderr
    assert not pdf.exists()


def test_a_leaflet_not_yet_due_is_not_marked_under_any_policy(tmp_path: Path) -> None:
    write(tmp_path / "leafpress.yaml", "review:\n  overdue_policy: refuse\n")
    write(tmp_path / "leaflets" / "liver.yaml", leaflet_reviewed("2025-01-10"))
    result = run_cli("build", cwd=tmp_path, env={"LEAFPRESS_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    assert "overdue" not in result.stderr


def test_unknown_overdue_policy_is_an_error_with_its_line(tmp_path: Path) -> None:
    write(tmp_path / "leafpress.yaml", "review:\n  overdue_policy: shout\n")
    write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "leafpress.yaml:2:" in result.stderr and "overdue_policy" in result.stderr
