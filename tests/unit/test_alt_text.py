"""Alt text that tells a screen-reader user nothing is refused; a real description in any script is not."""

from __future__ import annotations

import pytest

from leafpress.enrich.images import ImageProblem, check_alt

SRC = "images/how-cancer-spreads.svg"


@pytest.mark.parametrize(
    "alt",
    [
        "",
        "   ",
        "image",
        "Photo 2",
        "how-cancer-spreads.svg",
        "images/how-cancer-spreads.svg",
        "liver-scan.png",  # another file's name
        "IMG_2034",
        "DSC-0042",
        "PXL_20260301_101500",
        "Screenshot 2026-03-01",
        ".",
        "-",
        "1",
        "...",
    ],
)
def test_alt_text_that_describes_nothing_is_refused(alt: str) -> None:
    with pytest.raises(ImageProblem):
        check_alt(alt, SRC)


@pytest.mark.parametrize(
    "alt",
    [
        "Diagram in three steps: a cancer grows, cells break away, a new tumour grows in the liver",
        "A nurse putting a thin tube into a vein in the back of a hand",
        "肝脏的位置示意图",
        "رسم يوضح مكان الكبد",
        "Image of the liver under the ribs on the right",  # starts with a word of the list, says more
        "CT scanner: a large ring with a bed",
    ],
)
def test_a_description_in_any_script_is_accepted(alt: str) -> None:
    check_alt(alt, SRC)
