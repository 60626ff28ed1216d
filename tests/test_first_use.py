"""A first build by a new user: each test is a defect found by trying leafpress afresh."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import MINIMAL_LEAFLET, run_cli, write


def test_a_warning_is_printed_once_however_many_formats_are_built(project: Path) -> None:
    # A reference that no body cites: a warning for the leaflet, not for each format of it.
    leaflet = MINIMAL_LEAFLET.replace(" [@nice-liver].", ".")
    write(project / "leaflets" / "liver.yaml", leaflet)
    result = run_cli("build", "--jobs", "1", "--format", "text", "--format", "html", cwd=project)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "is never cited" in line]
    assert len(warnings) == 1, result.stderr
    assert "leaflets/liver.yaml" in warnings[0] and "[@nice-liver]" in warnings[0]
    assert (project / "output" / "liver.txt").is_file() and (project / "output" / "liver.html").is_file()


def test_a_language_tag_cldr_does_not_know_builds_with_english_rules(project: Path) -> None:
    # "xx" is a well-formed tag with no CLDR data: Babel raises its own error, which crashed the
    # readability line and stopped the whole batch with a traceback.
    write(
        project / "leaflets" / "other.yaml", MINIMAL_LEAFLET.replace("code: TST-001\n", "code: TST-002\nlanguage: xx\n")
    )
    result = run_cli("build", "--jobs", "1", "--format", "text", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert "no labels catalogue for language 'xx'" in result.stderr
    assert "readability leaflets/other.yaml" in result.stderr and "readability leaflets/liver.yaml" in result.stderr
    assert "Your liver cleans your blood." in (project / "output" / "other.txt").read_text(encoding="utf-8")
    assert (project / "output" / "liver.txt").is_file()


def test_exporting_for_translation_into_an_unknown_language_is_a_located_error(project: Path) -> None:
    result = run_cli("translations", "export", "leaflets/liver.yaml", "--to", "xx", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "leaflets/liver.yaml:1:1: unknown language 'xx' — give a language tag such as cy or pl" in result.stderr
    assert not list(project.glob("*.xlf"))


def test_a_citation_key_is_not_scored_as_words_the_reader_reads(project: Path) -> None:
    # "[@smith-2021]" prints as "[1]": the same leaflet without its citations must score the same,
    # and the hardest sentences must show the sentence as read, not "unwell ." or the key.
    uncited = MINIMAL_LEAFLET.replace(" [@smith-2021].", ".").replace(" [@nice-liver].", ".")
    write(project / "leaflets" / "uncited.yaml", uncited)
    result = run_cli("check", "--json", "leaflets/liver.yaml", "leaflets/uncited.yaml", cwd=project)
    cited, plain = json.loads(result.stdout)["leaflets"]
    assert cited["scores"] == plain["scores"] and cited["words"] == plain["words"], result.stderr
    shown = json.dumps(cited["hard_sentences"])
    assert "you feel very unwell." in shown and "@" not in shown and " ." not in shown


def test_a_last_review_in_the_future_is_refused_by_build_and_status(project: Path) -> None:
    # "2030" typed for "2025" made a leaflet look reviewed, and not due, for years.
    write(project / "leaflets" / "kidney.yaml", MINIMAL_LEAFLET.replace("2024-03-15", "2024-06-01"))
    line = next(i for i, text in enumerate(MINIMAL_LEAFLET.splitlines(), 1) if "last_reviewed" in text)
    on = {"LEAFPRESS_TODAY": "2024-05-30"}
    built = run_cli("build", "--jobs", "1", "--format", "text", cwd=project, env=on)
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert f"leaflets/kidney.yaml:{line}:3: last_reviewed 2024-06-01 is in the future" in built.stderr
    assert not (project / "output" / "kidney.txt").exists() and (project / "output" / "liver.txt").is_file()
    status = run_cli("status", cwd=project, env=on)
    assert status.returncode == 1 and f"leaflets/kidney.yaml:{line}:3: last_reviewed" in status.stderr
    # A day ahead is allowed (a reviewer in a time zone already on tomorrow); the day itself too.
    assert run_cli("status", cwd=project, env={"LEAFPRESS_TODAY": "2024-05-31"}).returncode == 0


def test_an_email_address_that_is_not_one_is_refused_at_its_line(project: Path) -> None:
    # "nurses.example.org" (no @) was printed on the leaflet as the address to write to.
    leaflet = MINIMAL_LEAFLET.replace("approved_by:\n", "contact:\n  email: nurses.example.org\napproved_by:\n")
    write(project / "leaflets" / "liver.yaml", leaflet)
    line = leaflet.splitlines().index("  email: nurses.example.org") + 1
    result = run_cli("build", "--format", "text", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        f"leaflets/liver.yaml:{line}:3: 'contact.email' has an unusable value 'nurses.example.org' — "
        "write one whole e-mail address, for example nurses@example.org"
    ) in result.stderr
    assert not (project / "output" / "liver.txt").exists()
    # The project's own address too; a real one builds.
    write(project / "leafpress.yaml", "organisation:\n  email: info at example.org\n")
    assert "leafpress.yaml:2:3: 'organisation.email' has an unusable value" in run_cli("status", cwd=project).stderr
    write(project / "leafpress.yaml", "organisation:\n  email: info@example.org\n")
    write(project / "leaflets" / "liver.yaml", leaflet.replace("nurses.example.org", "nurses@example.org"))
    assert run_cli("build", "--format", "text", cwd=project).returncode == 0
    assert "nurses@example.org" in (project / "output" / "liver.txt").read_text(encoding="utf-8")


def test_a_leaflet_in_a_subfolder_is_named_not_silently_left_out(project: Path) -> None:
    # A clinic filing leaflets by speciality (leaflets/cardio/) got no PDF and no word why.
    write(project / "leaflets" / "cardio" / "heart.yaml", MINIMAL_LEAFLET.replace("TST-001", "TST-002"))
    (project / "leaflets" / "images").mkdir()
    result = run_cli("build", "--format", "text", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (
        "leaflets/cardio/heart.yaml: not built: only leaflets directly in leaflets/ are — "
        "move it there, or name it: leafpress build leaflets/cardio/heart.yaml"
    ) in result.stderr
    assert (project / "output" / "liver.txt").is_file() and not (project / "output" / "heart.txt").exists()
    # Named, it builds, and nothing is said about it.
    named = run_cli("build", "--format", "text", "leaflets/cardio/heart.yaml", cwd=project)
    assert named.returncode == 0 and "not built" not in named.stderr, named.stderr
    assert (project / "output" / "heart.txt").is_file()
