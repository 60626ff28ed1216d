"""Only a leaflet with a word too long for a narrow line is marked to let words break (it costs time)."""

from __future__ import annotations

import pytest

from leafpress.render.pdf import mark_long_words


@pytest.mark.parametrize(
    ("html", "marked"),
    [
        ('<html lang="en"><body><p>A gastroenterologist will see you.</p></body></html>', False),
        (
            '<html lang="cy"><body><h1>Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch</h1></body></html>',
            True,
        ),
        ('<html lang="de" class="x"><body><h2>Donaudampfschifffahrtsgesellschaft</h2></body></html>', True),
        # Chinese breaks between any two characters: a long run is not a long word.
        (
            '<html lang="zh"><body><p>如果您的皮肤或眼睛变黄并且感到非常不舒服请立即拨打急救电话</p></body></html>',
            False,
        ),
        # Only the text counts: not a style sheet, nor an address in an attribute.
        (
            '<html><head><style>.averyveryveryverylongname{}</style></head><body><a href="/abcdefghijklmnopqrstuvwxyz">'
            "here</a></body></html>",
            False,
        ),
    ],
)
def test_a_leaflet_is_marked_only_when_its_text_has_a_word_of_20_letters(html: str, marked: bool) -> None:
    result = mark_long_words(html)
    assert ("long-words" in result.split(">", 1)[0]) is marked
    assert result.replace(' class="long-words"', "").replace("long-words ", "") == html
