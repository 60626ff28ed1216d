"""Language of parts: the organisation's details in the leaflet's language, or tagged with their own."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from tests.conftest import MINIMAL_LEAFLET, languages_in_structure, run_cli, write

CONFIG = """\
language: en-GB
organisation:
  name: Northway Cancer Support
  address: 12 Harbour Street, Northway NW1 4AB
  phone: 0300 123 4567 (free, Monday to Friday)
  feedback: Tell us what you think of this leaflet.
  quality_mark:
    statement: Our information is checked by experts.
  translations:
    cy:
      name: Cymorth Canser Northway
      feedback: Dywedwch wrthym beth yw eich barn am y daflen hon.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("organisation")
    write(root / "leafpress.yaml", CONFIG)
    write(root / "leaflets" / "welsh.yaml", MINIMAL_LEAFLET.replace("code: TST-001", "code: TST-001\nlanguage: cy"))
    result = run_cli("build", "leaflets/welsh.yaml", "--format", "standard", "--format", "html", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_translated_details_are_printed_and_untranslated_ones_carry_their_language_in_html(built: Path) -> None:
    html = (built / "welsh.html").read_text(encoding="utf-8")
    assert "Cymorth Canser Northway" in html and "Northway Cancer Support" not in html
    assert "Dywedwch wrthym" in html
    assert '<span lang="en-GB" dir="ltr">12 Harbour Street, Northway NW1 4AB</span>' in html
    assert '<p lang="en-GB" dir="ltr">Our information is checked by experts.</p>' in html
    assert 'lang="en-GB" dir="ltr">Cymorth' not in html  # the Welsh name is not marked English


def test_english_details_in_a_welsh_pdf_have_lang_en_in_the_structure(built: Path) -> None:
    with pikepdf.open(built / "welsh.pdf") as pdf:
        assert str(pdf.Root.Lang) == "cy"
    languages = [language for _, language in languages_in_structure(built / "welsh.pdf")]
    # The address, the phone line and the quality-mark statement stay English.
    assert languages.count("en-GB") >= 3


def test_a_translation_with_an_unknown_key_is_an_error_at_its_line(tmp_path: Path) -> None:
    write(tmp_path / "leafpress.yaml", CONFIG + "      slogan: Gyda chi\n")
    write(tmp_path / "leaflets" / "welsh.yaml", MINIMAL_LEAFLET)
    result = run_cli("build", "leaflets/welsh.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "leafpress.yaml:13:" in result.stderr and "slogan" in result.stderr
