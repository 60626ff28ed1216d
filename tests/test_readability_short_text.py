"""Very short text: no grade below 0 is shown, and a formula without enough text says "too short to score"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textstat.textstat import textstatistics

from tests.conftest import run_cli, write

ORDERS = "Call 999 now. Do not wait. Sit down. Stay calm."
SHORT = f"""\
title: Chest pain
sections:
  - heading: What to do
    body: |
      {ORDERS}
  - heading: Help
    body: Ring us.
review:
  last_reviewed: 2025-01-10
"""
# Two sentences: enough words for a grade, too few sentences for SMOG.
TWO_SENTENCES = """\
title: Your appointment
sections:
  - heading: Before you come
    body: Bring a list of the medicines you take. Ask a friend to come with you.
review:
  last_reviewed: 2025-01-10
"""
GRADES = ("flesch_kincaid_grade", "smog_index", "gunning_fog", "coleman_liau_index")


def _check(root: Path, text: str) -> tuple[dict, str]:
    write(root / "leaflets" / "short.yaml", text)
    result = run_cli("check", "--json", "leaflets/short.yaml", cwd=root)
    assert result.stdout, result.stderr
    table = run_cli("check", "leaflets/short.yaml", cwd=root).stdout
    return json.loads(result.stdout)["leaflets"][0], table


def test_short_plain_orders_are_never_below_grade_0(tmp_path: Path) -> None:
    record, table = _check(tmp_path, SHORT)
    textstat = textstatistics()  # after the check, which points textstat at the installed dictionary
    textstat.set_lang("en_GB")
    assert textstat.flesch_kincaid_grade(ORDERS) < 0  # what an editor was shown before
    assert record["scores"]["flesch_kincaid_grade"] == 0.0
    for name in GRADES:
        assert record["scores"][name] >= 0, name
        assert record["reading_ages"][name] >= 5, name
    for section in record["sections"]:
        assert all(section["scores"][name] >= 0 for name in GRADES if name in section["scores"]), section
    assert all(s["grade"] is None or s["grade"] >= 0 for s in record["hard_sentences"])
    assert "-" not in "".join(line.split("│")[1] for line in table.splitlines() if line.count("│") >= 4)


def test_a_section_of_two_words_is_too_short_to_score(tmp_path: Path) -> None:
    record, _ = _check(tmp_path, SHORT)
    help_section = next(s for s in record["sections"] if s["heading"] == "Help")
    assert help_section["scores"] == {}
    assert help_section["too_short_to_score"] == [
        "flesch_reading_ease",
        "flesch_kincaid_grade",
        "smog_index",
        "gunning_fog",
        "coleman_liau_index",
    ]
    # A sentence under five words has no grade of its own.
    assert [s["grade"] for s in record["hard_sentences"] if s["words"] < 5] == [None] * 5
    proof = (tmp_path / "output" / "short.readability.html").read_text(encoding="utf-8")
    assert "too short to score" in proof


def test_smog_on_two_sentences_is_too_short_to_score_everywhere(tmp_path: Path) -> None:
    record, table = _check(tmp_path, TWO_SENTENCES)
    assert "smog_index" not in record["scores"] and record["too_short_to_score"] == ["smog_index"]
    smog = next(t for t in record["targets"] if t["name"] == "smog_index")
    assert smog == {
        "name": "smog_index",
        "target": 9,
        "comparison": "<=",
        "value": None,
        "met": None,
        "too_short": True,
    }
    assert record["meets_targets"] is True  # too little text to judge is not a failure
    [row] = [line for line in table.splitlines() if line.startswith("SMOG")]
    assert "too short to score" in row and "MISS" not in row
    assert record["scores"]["flesch_kincaid_grade"] == pytest.approx(record["targets"][0]["value"], abs=0.01)
    build = run_cli("build", "--format", "text", "leaflets/short.yaml", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    assert "SMOG too short to score" in build.stderr
