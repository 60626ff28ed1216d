"""Easy Read: built from the leaflet's easy_read rows, pictures left of their text, checked by the rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml

from tests.conftest import MINIMAL_LEAFLET, REPO, made_once, run_cli, write

MM = 72 / 25.4
EXAMPLES = ["secondary-liver-cancer-in-brief", "secondary-liver-cancer-in-brief.cy"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two example Easy Read leaflets (English and Welsh), built as a user would."""

    def make(root: Path) -> None:
        shutil.copytree(REPO / "leaflets", root / "leaflets")
        shutil.copytree(REPO / "assets", root / "assets")
        shutil.copy(REPO / "leafpress.yaml", root / "leafpress.yaml")
        result = run_cli("build", *(f"leaflets/{name}.yaml" for name in EXAMPLES), "--format", "easy-read", cwd=root)
        assert result.returncode == 0, result.stderr

    root = made_once(tmp_path_factory, "easy-read", make)
    return root / "output"


def picture_rows(page: pdfplumber.page.Page) -> list[tuple[dict[str, float], list[dict[str, float]]]]:
    """Each row picture on the page (the vector drawing on the left), with the words level with it."""
    left_column = [s for s in page.curves + page.rects if s["x1"] < 62 * MM and s["bottom"] - s["top"] < 60 * MM]
    shapes = sorted(left_column, key=lambda s: s["top"])
    bands: list[dict[str, float]] = []
    for shape in shapes:
        # One picture's strokes can have gaps; two pictures are rows apart (9 mm or more).
        if bands and shape["top"] <= bands[-1]["bottom"] + 5 * MM:
            band = bands[-1]
            band["bottom"] = max(band["bottom"], shape["bottom"])
            band["x0"], band["x1"] = min(band["x0"], shape["x0"]), max(band["x1"], shape["x1"])
        else:
            bands.append({key: shape[key] for key in ("x0", "x1", "top", "bottom")})
    rows = []
    for band in bands:
        if band["bottom"] - band["top"] < 12 * MM or (page.page_number == 1 and band["top"] < 45 * MM):
            continue  # the logo in the masthead, a rule or a bullet: not a row's picture
        words = [w for w in page.extract_words() if band["top"] <= (w["top"] + w["bottom"]) / 2 <= band["bottom"]]
        rows.append((band, words))
    return rows


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_row_picture_sits_left_of_its_text(built: Path, name: str) -> None:
    rows = []
    with pdfplumber.open(built / f"{name}.easy-read.pdf") as pdf:
        for page in pdf.pages:
            rows += picture_rows(page)
    # The quality mark in the end matter is a picture beside its statement too, but not a row.
    statement = yaml.safe_load((REPO / "leafpress.yaml").read_text(encoding="utf-8"))["organisation"]["quality_mark"]
    opening = " ".join(statement["statement"].split()[:4])
    rows = [(image, words) for image, words in rows if not " ".join(w["text"] for w in words).startswith(opening)]
    assert len(rows) == 8  # every row of the example with a picture
    for image, words in rows:
        assert words, "a row picture with no text beside it"
        assert all(word["x0"] > image["x1"] + 5 * MM for word in words)


@pytest.mark.parametrize("name", EXAMPLES)
def test_easy_read_text_is_never_under_16pt_and_carries_the_leaflets_dates(built: Path, name: str) -> None:
    with pdfplumber.open(built / f"{name}.easy-read.pdf") as pdf:
        sizes = [char["size"] for page in pdf.pages for char in page.chars if char["text"].strip()]
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
        assert len(pdf.pages) <= 20
    assert min(sizes) >= 15.9
    assert "LIV-010" in text and "1.0" in text
    assert ("12 March 2028" in text) or ("12 Mawrth 2028" in text)
    with pikepdf.open(built / f"{name}.easy-read.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == ("cy" if name.endswith(".cy") else "en-GB")


def test_openmoji_pictures_are_credited(built: Path) -> None:
    with pdfplumber.open(built / "secondary-liver-cancer-in-brief.easy-read.pdf") as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert "OpenMoji" in text and "CC BY-SA 4.0" in text


EASY_READ = """
easy_read:
  rows:
    - heading: About this leaflet
    - picture: openmoji:telephone
      alt: A telephone
      text: Call us if you feel ill.
    - text: Call your nurse.
    - picture: openmoji:hospital
      alt: A hospital
      text: If you feel very unwell and you cannot reach the phone then please ask someone near you to help you now.
"""


def test_check_fails_a_long_sentence_and_a_row_with_no_picture_naming_their_lines(project: Path) -> None:
    leaflet = project / "leaflets" / "liver.yaml"
    write(leaflet, MINIMAL_LEAFLET + EASY_READ)
    lines = leaflet.read_text().splitlines()
    no_picture = lines.index("    - text: Call your nurse.") + 1
    long_sentence = next(i for i, line in enumerate(lines, 1) if "cannot reach the phone" in line)
    result = run_cli("check", "--json", "leaflets/liver.yaml", cwd=project)
    assert result.returncode == 1
    record = json.loads(result.stdout)["leaflets"][0]
    problems = {(p["rule"], p["line"]) for p in record["easy_read"]["problems"]}
    assert ("picture", no_picture) in problems
    assert ("sentence-length", long_sentence) in problems
    assert record["passed"] is False
    printed = run_cli("check", "leaflets/liver.yaml", cwd=project)
    assert f"leaflets/liver.yaml:{no_picture}:" in printed.stdout.replace("\n", "")


def test_easy_read_sentence_length_is_not_judged_in_a_language_written_without_spaces(project: Path) -> None:
    # Forty-odd Chinese characters: split at spaces, one "word", which passed "at most 15 words".
    rows = """\
easy_read:
  rows:
    - picture: openmoji:hospital
      alt: 一家医院
      text: 如果您的皮肤或眼睛变黄并且感到非常不舒服或者发烧超过三十八度请马上打电话给医院。
"""
    leaflet = MINIMAL_LEAFLET.replace("title: Looking after your liver", "title: 照顾您的肝脏\nlanguage: zh-Hans")
    write(project / "leaflets" / "liver.yaml", leaflet + rows)
    result = run_cli("check", "--json", "leaflets/liver.yaml", cwd=project)
    easy_read = json.loads(result.stdout)["leaflets"][0]["easy_read"]
    assert easy_read["scores"]["words"] is None and easy_read["scores"]["average_sentence_length"] is None
    assert not any(p["rule"] == "sentence-length" for p in easy_read["problems"])
    printed = " ".join(run_cli("check", "leaflets/liver.yaml", cwd=project).stdout.split())
    assert "sentence length not judged: Chinese (Simplified) is written without spaces between words" in printed


def test_a_hard_word_needs_its_explanation(project: Path) -> None:
    rows = EASY_READ.replace("Call your nurse.", "You may have a haemorrhage.")
    write(project / "leaflets" / "liver.yaml", MINIMAL_LEAFLET + rows)
    record = json.loads(run_cli("check", "--json", cwd=project).stdout)["leaflets"][0]
    assert any(p["rule"] == "hard-word" and "haemorrhage" in p["message"] for p in record["easy_read"]["problems"])
    explained = rows + "  words:\n    - word: haemorrhage\n      meaning: a lot of bleeding.\n"
    write(project / "leaflets" / "liver.yaml", MINIMAL_LEAFLET + explained)
    record = json.loads(run_cli("check", "--json", cwd=project).stdout)["leaflets"][0]
    assert not any(p["rule"] == "hard-word" for p in record["easy_read"]["problems"])


def test_an_unknown_openmoji_name_is_an_error_at_its_line(project: Path) -> None:
    leaflet = project / "leaflets" / "liver.yaml"
    write(leaflet, MINIMAL_LEAFLET + EASY_READ.replace("openmoji:telephone", "openmoji:telefone"))
    line = next(i for i, text in enumerate(leaflet.read_text().splitlines(), 1) if "telefone" in text)
    result = run_cli("build", "leaflets/liver.yaml", "--format", "easy-read", cwd=project)
    assert result.returncode == 1
    assert f"leaflets/liver.yaml:{line}:" in result.stderr and "no OpenMoji picture called 'telefone'" in result.stderr
    assert "'telephone'" in result.stderr
    assert not (project / "output" / "liver.easy-read.pdf").exists()


def test_a_leaflet_without_an_easy_read_version_gets_no_easy_read_file(project: Path) -> None:
    result = run_cli("build", "leaflets/liver.yaml", "--format", "easy-read", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "no easy-read file" in result.stderr
    assert not (project / "output" / "liver.easy-read.pdf").exists()
