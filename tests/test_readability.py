"""Readability: honest scores on the text a patient reads, and what to fix, through the real CLI."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from textstat.textstat import textstatistics

from leafpress.checks.readability.extract import extract
from leafpress.checks.readability.scoring import Counts, Scorer, language_support
from leafpress.checks.readability.sentences import prepare_for_textstat, split_sentences
from leafpress.checks.readability.syllables import SyllableCounter, syllable_corrections, textstat_syllables
from leafpress.core.model import Leaflet
from leafpress.source.load import load_yaml
from leafpress.source.project import open_project
from leafpress.source.validate import validate
from tests.conftest import REPO, example_output, run_cli, write

EXAMPLES = sorted((REPO / "leaflets").glob("*.yaml"))
ENGLISH_EXAMPLES = [p for p in EXAMPLES if str(load_yaml(p).data.get("language", "en-GB")).startswith("en")]
FORMULAS = ("flesch_reading_ease", "flesch_kincaid_grade", "smog_index", "gunning_fog", "coleman_liau_index")

LEAFLET_HEAD = """\
title: {title}
language: {language}
sections:
"""
LEAFLET_TAIL = """\
review:
  last_reviewed: 2025-01-10
"""

JARGON = (
    LEAFLET_HEAD.format(title="Hepatic metastases", language="en-GB")
    + """\
  - heading: Your prognosis
    body: |
      Metastatic carcinoma of the hepatic parenchyma frequently necessitates consideration of palliative
      chemotherapy administered intravenously, subsequently monitored by your oncologist.
      Abdominal discomfort and nausea are commonly experienced consequences of hepatic metastases.
      Individuals should endeavour to facilitate communication regarding symptoms prior to appointments.
"""
    + LEAFLET_TAIL
)


def leaflet_with(body: str, title: str = "Test leaflet", language: str = "en-GB") -> str:
    indented = "\n".join("      " + line if line else "" for line in body.splitlines())
    return (
        LEAFLET_HEAD.format(title=title, language=language)
        + f"  - heading: About this\n    body: |\n{indented}\n"
        + LEAFLET_TAIL
    )


def check_json(project: Path, *files: str) -> tuple[int, dict]:
    result = run_cli("check", "--json", *files, cwd=project)
    assert result.stdout, result.stderr
    return result.returncode, json.loads(result.stdout)


def test_list_of_six_items_without_full_stops_is_six_sentences(tmp_path: Path) -> None:
    body = "You may have:\n\n- pain in your side\n- tiredness\n- itchy skin\n- hiccups\n- a swollen tummy\n- fever\n"
    write(tmp_path / "leaflets" / "six.yaml", leaflet_with(body))
    code, data = check_json(tmp_path)
    section = data["leaflets"][0]["sections"][0]
    # "You may have:" plus six items; textstat alone sees one sentence of 15 words.
    assert section["sentences"] == 7
    assert section["words"] == 15
    assert textstatistics().sentence_count(body) == 1


def test_jargon_leaflet_misses_grade_target_and_lists_plain_words(tmp_path: Path) -> None:
    write(tmp_path / "leaflets" / "jargon.yaml", JARGON)
    code, data = check_json(tmp_path)
    assert code == 1
    record = data["leaflets"][0]
    assert record["meets_targets"] is False
    assert record["scores"]["flesch_kincaid_grade"] > 6
    grade_target = next(t for t in record["targets"] if t["name"] == "flesch_kincaid_grade")
    assert grade_target["met"] is False
    suggestions = {w["word"].lower(): w["suggestion"] for w in record["words_to_replace"]}
    assert suggestions["oncologist"] == "cancer doctor"
    assert suggestions["prognosis"] == "outlook"
    assert suggestions["palliative"] == "care to ease symptoms"
    assert suggestions["nausea"] == "feeling sick"
    lines = {w["word"].lower(): w["line"] for w in record["words_to_replace"]}
    assert (lines["prognosis"], lines["palliative"], lines["oncologist"], lines["nausea"]) == (4, 6, 7, 8)
    # The table view says the same, and exits 1 too.
    table = run_cli("check", cwd=tmp_path)
    assert table.returncode == 1
    assert "MISS" in table.stdout and "oncologist → cancer doctor" in table.stdout


def test_explained_terms_are_not_flagged(tmp_path: Path) -> None:
    body = (
        "Pain in your tummy (abdomen) is common. The abdomen can swell.\n"
        "You may hear the word prognosis. It means your outlook.\n"
    )
    text = leaflet_with(body).replace("review:", "terms:\n  - term: prognosis\n    meaning: outlook\nreview:")
    write(tmp_path / "leaflets" / "plain.yaml", text)
    _, data = check_json(tmp_path)
    assert data["leaflets"][0]["words_to_replace"] == []


def test_project_word_list_adds_and_drops_words(tmp_path: Path) -> None:
    write(tmp_path / "leaflets" / "x.yaml", leaflet_with("Your oncologist will see you. You can phone the ward.\n"))
    write(tmp_path / "words" / "plain_words.yaml", "oncologist: ~\nward: hospital room\n")
    _, data = check_json(tmp_path)
    assert [(w["word"], w["suggestion"]) for w in data["leaflets"][0]["words_to_replace"]] == [
        ("ward", "hospital room")
    ]


def test_abbreviations_and_decimals_do_not_break_sentences() -> None:
    text = "Take 2.5 ml of syrup, e.g. with food, as Dr. Shah said. Then rest etc. Vomiting. Call us."
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == [
        "Take 2.5 ml of syrup, e.g. with food, as Dr. Shah said.",
        "Then rest etc.",
        "Vomiting.",
        "Call us.",
    ]
    assert textstatistics().sentence_count(text) != 4  # what textstat alone makes of it
    assert prepare_for_textstat(sentences[0]) == "Take 25 ml of syrup, eg with food, as Dr Shah said."


def test_headings_are_units_left_out_of_sentence_measures(tmp_path: Path) -> None:
    body = "# What to expect\nThe nurse will see you first. Then you see the doctor.\n"
    write(tmp_path / "leaflets" / "h.yaml", leaflet_with(body))
    _, data = check_json(tmp_path)
    section = data["leaflets"][0]["sections"][0]
    assert (section["sentences"], section["words"]) == (2, 11)


def _units(path: Path) -> dict[str, list[str]]:
    loaded = load_yaml(path)
    sections = extract(loaded, validate(loaded, Leaflet))
    return {s.heading: [u.text for u in s.units if u.scored] for s in sections}


@pytest.mark.parametrize("path", ENGLISH_EXAMPLES, ids=lambda p: p.stem)
def test_scores_match_textstat_on_the_same_units(path: Path, examples_built: Path, tmp_path: Path) -> None:
    """Per leaflet and per section, ``check --json`` gives textstat's scores on the extracted units;
    the only differences are the documented syllable corrections and textstat dropping
    sentences of two words or fewer."""
    # Checked after a build, as a user does: the build's output (and its record) copied, not the checkout's.
    output = example_output(examples_built, path.stem, tmp_path)
    _, data = check_json(REPO, str(path.relative_to(REPO)), "--output", str(output))
    record = data["leaflets"][0]
    corrected = set(record["syllable_corrections"])
    units_by_section = _units(path)
    textstat = textstatistics()
    textstat.set_lang("en_GB")
    plain_scorer = Scorer(language_support("en-GB"), corrections={})
    for section in record["sections"]:
        units = units_by_section[section["heading"]]
        joined = " ".join(prepare_for_textstat(u) for u in units)
        # The same words and sentences as textstat finds on these units (it drops short ones).
        assert section["words"] == textstat.lexicon_count(joined)
        short = sum(textstat.lexicon_count(prepare_for_textstat(u)) <= 2 for u in units)
        assert section["sentences"] == len(units)
        assert textstat.sentence_count(joined) == max(1, len(units) - short)
        words = set(re.findall(r"[\w']+", joined.lower()))
        counts = sum((plain_scorer.count(u) for u in units), Counts())
        assert counts.syllables == textstat.syllable_count(joined)
        for name in FORMULAS:
            ours = plain_scorer.raw_scores(counts)[name]
            if not short:
                assert ours == pytest.approx(getattr(textstat, name)(joined), abs=1e-9), name
            if name not in section["scores"]:  # shown only for text long enough, as docs/readability.md says
                assert name in section["too_short_to_score"], (section["heading"], name)
            elif not words & corrected:
                shown = max(0.0, ours) if name != "flesch_reading_ease" else ours
                assert section["scores"][name] == pytest.approx(shown, abs=0.006), (section["heading"], name)
    assert any(s["sentences"] for s in record["sections"])


def test_syllable_corrections_change_only_corrected_words() -> None:
    project = open_project(REPO)
    scorer = Scorer(language_support("en-GB"), syllable_corrections(REPO))
    plain = Scorer(language_support("en-GB"), corrections={})
    sentence = "A colonoscopy checks your bowel, and paracetamol eases pain."
    assert scorer.count(sentence).syllables - plain.count(sentence).syllables == (
        5 - textstat_syllables("colonoscopy", "en_GB")
    ) + (5 - textstat_syllables("paracetamol", "en_GB"))
    same = "Your nurse will check your blood."
    assert scorer.count(same) == plain.count(same)
    assert project.config.readability.flesch_kincaid_grade == 6


def known_counts() -> list[tuple[str, int]]:
    lines = (REPO / "tests" / "data" / "syllable_counts.txt").read_text(encoding="utf-8").splitlines()
    return [(word, int(count)) for word, count in (line.split() for line in lines if line and line[0] != "#")]


def test_syllable_counts_of_medical_and_british_words() -> None:
    words = known_counts()
    assert len(words) >= 100
    counter = SyllableCounter("en_GB")
    wrong = {word: (counter.count(word), count) for word, count in words if counter.count(word) != count}
    assert wrong == {}
    # Without the corrections textstat gets many of them wrong, as the issue measured.
    raw = {word for word, count in words if textstat_syllables(word, "en_GB") != count}
    assert {"colonoscopy", "haemoglobin", "anaemia", "paracetamol"} <= raw


NO_NETWORK = """
import socket, sys
from pathlib import Path

def refuse(*args, **kwargs):
    raise AssertionError("the network was used")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
import nltk
nltk.download = refuse

from leafpress.source.project import open_project
from leafpress.checks.readability import readability_report

report = readability_report(Path(sys.argv[1]), open_project(Path(sys.argv[2])))
assert report.scores["flesch_kincaid_grade"] > 0, report.scores
print("scored", report.counts.words, "words offline")

# The control: textstat's own loader would have gone to the internet for cmudict.
from textstat.backend.utils._get_cmudict import get_cmudict
try:
    get_cmudict("en_US")
except (AssertionError, LookupError):
    print("textstat alone would download")
"""


def test_scoring_never_touches_the_network(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = tmp_path / "offline.py"
    script.write_text(NO_NETWORK, encoding="utf-8")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "NLTK_DATA": str(tmp_path / "no-nltk-data"),
        "PYTHONPATH": str(REPO),
    }
    result = subprocess.run(
        [sys.executable, str(script), str(EXAMPLES[0]), str(REPO)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "words offline" in result.stdout
    assert "textstat alone would download" in result.stdout


def test_welsh_gets_language_neutral_lix_and_rix_not_english_formulas(tmp_path: Path) -> None:
    # 2 sentences of 9 and 7 words; over six letters: esbonio, eilaidd, Gofynnwch, gennych, gwestiynau.
    body = "Mae'r daflen hon yn esbonio beth yw canser eilaidd. Gofynnwch i'ch nyrs os oes gennych gwestiynau.\n"
    write(tmp_path / "leaflets" / "cy.yaml", leaflet_with(body, title="Canser eilaidd", language="cy"))
    code, data = check_json(tmp_path)
    record = data["leaflets"][0]
    assert set(record["scores"]) == {"lix", "rix"}
    assert record["scores"]["lix"] == pytest.approx(16 / 2 + 100 * 5 / 16, abs=0.06)
    assert record["scores"]["rix"] == pytest.approx(5 / 2, abs=0.06)
    assert record["language"] == "cy"
    assert "no readability formulas for Welsh" in record["formulas_note"] and "LIX" in record["formulas_note"]
    assert record["sentences"] == 2
    targets = {t["name"]: t for t in record["targets"]}
    assert all(targets[name]["met"] is None for name in ("flesch_kincaid_grade", "smog_index", "flesch_reading_ease"))
    assert targets["longest_sentence"]["target"] == 25 and targets["longest_sentence"]["met"] is True
    assert code == 0
    table = run_cli("check", cwd=tmp_path)
    assert "no readability formulas for Welsh" in " ".join(table.stdout.split())
    assert "LIX" in table.stdout and "Longest sentence" in table.stdout


def test_a_welsh_sentence_over_25_words_misses_the_cymraeg_clir_rule(tmp_path: Path) -> None:
    long_sentence = " ".join(["gair"] * 26) + ".\n"
    text = leaflet_with(long_sentence, title="Canser eilaidd", language="cy").replace(
        "review:", "readability:\n  max_sentence_words: 40\nreview:"
    )
    write(tmp_path / "leaflets" / "cy.yaml", text)
    code, data = check_json(tmp_path)
    targets = {t["name"]: t for t in data["leaflets"][0]["targets"]}
    assert targets["longest_sentence"]["value"] == 26 and targets["longest_sentence"]["met"] is False
    assert targets["average_sentence_length"]["met"] is True  # 26 ≤ 40: only the Welsh rule catches it
    assert code == 1


# One sentence of 46 Chinese characters, and Thai written as Thai is, with spaces only between
# phrases: split at spaces, each "sentence" is one to three "words" long.
UNSPACED = {
    "zh-Hans": "如果您的皮肤或眼睛变黄并且感到非常不舒服或者发烧超过三十八度"
    "请立即拨打急救电话或者前往最近的医院急诊室。\n\n多喝水。\n",
    "th": "หากผิวหรือตาของคุณเปลี่ยนเป็นสีเหลืองและรู้สึกไม่สบายมากหรือมีไข้สูงกว่าสามสิบแปดองศาให้โทรเรียกรถพยาบาลทันที\n\nดื่มน้ำมากๆ\n",
}


@pytest.mark.parametrize("language", UNSPACED)
def test_a_language_written_without_spaces_is_not_scored_in_words(tmp_path: Path, language: str) -> None:
    write(tmp_path / "leaflets" / "x.yaml", leaflet_with(UNSPACED[language], title="标题 หัวข้อ", language=language))
    code, data = check_json(tmp_path)
    record = data["leaflets"][0]
    # Before, the long sentence counted as a word or two and passed "at most 20 words a sentence".
    assert record["scored"] is False and record["words_counted"] is False and record["meets_targets"] is True
    assert all(target["value"] is None and target["met"] is None for target in record["targets"])
    assert record["words"] is None and record["average_sentence_length"] is None
    assert record["sentences"] == 2 and record["letters_per_sentence"] > 20
    assert "written without spaces between words" in record["formulas_note"]
    checklist = {item["key"]: item for item in record["checklist"]["items"]}
    assert checklist["short_sections"]["met"] is None  # a section is not "short" for being a few phrases
    longest, shortest = record["hard_sentences"]  # longest first, by characters
    assert len(longest["text"]) > 40 > len(shortest["text"]) and longest["words"] is None
    assert code == 0  # not scored is neither met nor missed
    table = " ".join(run_cli("check", cwd=tmp_path).stdout.split())
    assert "not scored" in table and "characters each on average; words are not counted" in table
    built = run_cli("build", "--strict", "-f", "text", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "readability leaflets/x.yaml: not scored — " in built.stderr and "meets targets" not in built.stderr
    proof = (tmp_path / "output" / "x.readability.html").read_text(encoding="utf-8")
    assert "Not scored: no readability target could be judged." in proof and "Meets every" not in proof
    assert "<p>2 sentences, " in proof and " characters each on average.</p>" in proof
    assert " words, 2 sentences" not in proof


def test_korean_is_written_with_spaces_and_its_sentence_length_is_judged(tmp_path: Path) -> None:
    body = "피부가 노랗게 변하고 몸이 매우 안 좋으면 바로 119에 전화하세요.\n"
    write(tmp_path / "leaflets" / "ko.yaml", leaflet_with(body, title="간 건강", language="ko"))
    code, data = check_json(tmp_path)
    record = data["leaflets"][0]
    assert record["scored"] is True and record["words_counted"] is True and record["words"] == 10
    (length,) = [t for t in record["targets"] if t["name"] == "average_sentence_length"]
    assert length["value"] == 10 and length["met"] is True
    assert code == 0


def test_scoring_in_threads_gives_each_language_its_own_results() -> None:
    # textstat keeps one global language; leafpress passes the language on every call instead.
    from concurrent.futures import ThreadPoolExecutor

    import textstat

    texts = {
        "en-GB": "Your liver cleans your blood and stores energy for later.",
        "de-DE": "Die Leber reinigt das Blut und speichert Energie für später.",
        "cy": "Mae eich afu yn glanhau eich gwaed ac yn storio egni.",
        "es": "El hígado limpia la sangre y guarda energía para después.",
    }

    def score(tag: str) -> dict[str, float]:
        scorer = Scorer(language_support(tag))
        return scorer.scores(scorer.count(texts[tag]))

    alone = {tag: score(tag) for tag in texts}
    before = getattr(textstat.textstat, "_lang", None)
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(score, [tag for tag in texts for _ in range(25)]))
    assert together == [alone[tag] for tag in texts for _ in range(25)]
    assert getattr(textstat.textstat, "_lang", None) == before
    assert alone["de-DE"]["flesch_reading_ease"] != alone["es"]["flesch_reading_ease"]


def test_german_gets_its_own_flesch_only() -> None:
    support = language_support("de-DE")
    assert support.formulas == ("flesch_reading_ease",)
    assert "German" in (support.note or "")


def test_leaflet_can_override_project_targets(tmp_path: Path) -> None:
    text = JARGON.replace(
        "review:", "readability:\n  flesch_kincaid_grade: 30\n  smog_index: 30\n  flesch_reading_ease: ~\nreview:"
    )
    write(tmp_path / "leaflets" / "jargon.yaml", text)
    write(tmp_path / "leafpress.yaml", "readability:\n  max_sentence_words: 40\n")
    code, data = check_json(tmp_path)
    targets = {t["name"]: t for t in data["leaflets"][0]["targets"]}
    assert targets["flesch_kincaid_grade"]["target"] == 30
    assert "flesch_reading_ease" not in targets
    assert targets["average_sentence_length"]["target"] == 40
    assert code == 0, data


def test_bad_leaflet_is_reported_and_others_still_checked(tmp_path: Path) -> None:
    write(tmp_path / "leaflets" / "a-bad.yaml", "title: [unclosed\n")
    write(tmp_path / "leaflets" / "b-good.yaml", leaflet_with("Your nurse will help you.\n"))
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert re.search(r"leaflets/a-bad\.yaml:\d+:\d+: ", result.stderr)
    assert "Test leaflet" in result.stdout
    code, data = check_json(tmp_path)
    assert [r["passed"] for r in data["leaflets"]] == [False, True]


class _Proof(HTMLParser):
    """Collects the highlights of a proof page: marked words, hard and long sentences, reasons."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, set[str]]] = []
        self.marks: list[str] = []
        self.hard: list[str] = []
        self.text: list[str] = []
        self.external: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag in ("link", "script", "img", "iframe") or (attributes.get("src") or "").startswith("http"):
            self.external.append(tag)
        self.stack.append((tag, classes))
        if tag == "mark" and "word" in classes:
            self.marks.append("")
        if "hard" in classes:
            self.hard.append("")

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if any("why" in classes for _, classes in self.stack):
            return  # the reason given after a highlight
        if any(tag == "mark" and "word" in classes for tag, classes in self.stack):
            self.marks[-1] += data
        if any("hard" in classes for _, classes in self.stack):
            self.hard[-1] += data


def test_proof_page_shows_highlights_with_reasons(tmp_path: Path) -> None:
    write(tmp_path / "leaflets" / "jargon.yaml", JARGON)
    run_cli("check", cwd=tmp_path)
    page = tmp_path / "output" / "jargon.readability.html"
    proof = _Proof()
    proof.feed(page.read_text(encoding="utf-8"))
    text = " ".join(" ".join(proof.text).split())
    assert proof.lang == "en"
    assert proof.external == []  # self-contained: opens from disk with no server or network
    assert {"oncologist", "palliative", "nausea"} <= {m.lower() for m in proof.marks}
    assert "(plainer: cancer doctor)" in text
    assert any("Metastatic carcinoma of the hepatic parenchyma" in h for h in proof.hard)
    assert re.search(r"\[line 6: hard to read: grade \d+\.\d, reading age \d+", text)
    assert "Misses" in text and "Flesch–Kincaid grade" in text
    assert "Scores for Your prognosis" in page.read_text(encoding="utf-8")


def test_build_prints_a_readability_line_and_strict_fails(tmp_path: Path) -> None:
    write(tmp_path / "leaflets" / "jargon.yaml", JARGON)
    normal = run_cli(cwd=tmp_path)
    assert normal.returncode == 0, normal.stderr
    line = next(line for line in normal.stderr.splitlines() if line.startswith("readability"))
    assert "leaflets/jargon.yaml" in line and "misses targets" in line and "Flesch–Kincaid grade" in line
    assert (tmp_path / "output" / "jargon.pdf").is_file()
    assert "leafpress check leaflets/jargon.yaml" in line
    strict = run_cli("build", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert "FAILS targets (--strict)" in strict.stderr


def test_an_unchanged_proof_page_is_left_and_a_changed_one_written_again(tmp_path: Path) -> None:
    """The proof page is written again only when what it shows could differ: the leaflet's text or the
    project's templates (a second check of the same leaflet leaves the file it wrote)."""
    write(tmp_path / "leaflets" / "jargon.yaml", JARGON)
    page = tmp_path / "output" / "jargon.readability.html"
    run_cli("check", cwd=tmp_path)
    first = page.read_bytes()
    page.touch()
    written = page.stat().st_mtime_ns
    run_cli("check", cwd=tmp_path)
    assert page.read_bytes() == first and page.stat().st_mtime_ns == written  # left as it was

    leaflet = tmp_path / "leaflets" / "jargon.yaml"
    leaflet.write_text(leaflet.read_text(encoding="utf-8").replace("Metastatic", "Spreading"), encoding="utf-8")
    run_cli("check", cwd=tmp_path)
    assert "Spreading" in page.read_text(encoding="utf-8") and page.read_bytes() != first

    shown = page.read_bytes()
    own = tmp_path / "templates" / "readability.html.j2"
    theme = REPO / "leafpress" / "theme" / "templates" / "readability.html.j2"
    write(own, theme.read_text(encoding="utf-8").replace("</body>", "<p>Proofed by our editors</p></body>"))
    run_cli("check", cwd=tmp_path)
    assert "Proofed by our editors" in page.read_text(encoding="utf-8") and page.read_bytes() != shown
