"""Words as text fidelity compares them: whole words of any script, without sentence punctuation."""

from __future__ import annotations

from leafpress.pdf.text_layer import words_in, words_of


def test_a_danda_ends_a_word_as_a_full_stop_does() -> None:
    # Hindi, Nepali, Punjabi and Bengali end sentences with a danda: "word।" is the word "word".
    assert words_of("ਇਲਾਜ ਚੁਣੇਗਾ।") == ["ਇਲਾਜ", "ਚੁਣੇਗਾ"]
    assert words_of("छान्नुहुन्छ॥ unwell.") == ["छान्नुहुन्छ", "unwell"]


def test_vowel_signs_and_joiners_stay_inside_their_word() -> None:
    assert words_of("ফোন বেশি") == ["ফোন", "বেশি"]
    assert words_of("ශ්\u200dරී ලංකා") == ["ශ්\u200dරී", "ලංකා"]


def test_a_chinese_sentence_broken_over_lines_after_an_english_line_comes_back_whole() -> None:
    # pdftotext's lines: an English label, then a Chinese sentence wrapped between two characters.
    text = "About this\n如果皮肤变黄\n请立即拨打急救电话。\n今すぐ999\nに電話\n"
    found = words_in(text)
    assert "如果皮肤变黄请立即拨打急救电话" in found  # not only "this如果皮肤变黄请立即拨打急救电话"
    assert "今すぐ999に電話" in found  # a number beside Japanese is still joined to it
    assert {"about", "this"} <= found
