"""What the audio format hands to the speech engine: web addresses said as their site, terms the leaflet's way."""

from __future__ import annotations

from leafpress.formats.audio import _spoken


def test_a_web_address_is_said_as_its_site_and_the_sentence_keeps_its_full_stop() -> None:
    said = _spoken("Available from: https://www.ncbi.nlm.nih.gov/books/NBK553118/. Or (www.nhs.uk/liver).", {})
    assert said == "Available from: ncbi.nlm.nih.gov. Or (nhs.uk)."


def test_text_that_is_not_a_web_address_is_left_alone() -> None:
    text = "Take 2.5 mg, e.g. at 9.30am. Email help@northway.example or call 0300 123 4567."
    assert _spoken(text, {}) == text


def test_a_pronunciation_changes_whole_words_only() -> None:
    said = _spoken("Metastasis is not metastasises.", {"Metastasis": "meh-TASS-tuh-sis"})
    assert said == "mehtasstuhsis is not metastasises."


def test_markup_in_the_text_is_escaped_for_ssml() -> None:
    assert _spoken('<break time="9s"/> & more', {}) == '&lt;break time="9s"/&gt; &amp; more'
