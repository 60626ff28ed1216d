"""Words as text fidelity compares them: whole words of any script, without sentence punctuation."""

from __future__ import annotations

from leafpress.pdf.text_layer import words_of


def test_a_danda_ends_a_word_as_a_full_stop_does() -> None:
    # Hindi, Nepali, Punjabi and Bengali end sentences with a danda: "word।" is the word "word".
    assert words_of("ਇਲਾਜ ਚੁਣੇਗਾ।") == ["ਇਲਾਜ", "ਚੁਣੇਗਾ"]
    assert words_of("छान्नुहुन्छ॥ unwell.") == ["छान्नुहुन्छ", "unwell"]


def test_vowel_signs_and_joiners_stay_inside_their_word() -> None:
    assert words_of("ফোন বেশি") == ["ফোন", "বেশি"]
    assert words_of("ශ්\u200dරී ලංකා") == ["ශ්\u200dරී", "ලංකා"]
