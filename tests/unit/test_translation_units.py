"""Translation units: finding the blocks of a body, putting translations back, spotting stale units."""

from __future__ import annotations

import datetime as dt

from leafpress.core.model import Leaflet
from leafpress.source.units import body_blocks, replace_blocks, stale_units, translation_units, unit_hash
from leafpress.workflow.word import parse_date, split_reference

BODY = """Your liver cleans your blood. It also
stores energy.

- It makes bile [@smith-2021].
- It fights
  infection.

## What to do

1. Rest.
2. Drink water.

> Ask us anything."""


def test_each_paragraph_list_item_and_heading_is_one_block_with_its_prefix() -> None:
    blocks = body_blocks(BODY)
    assert [(b.kind, b.prefix) for b in blocks] == [
        ("paragraph", ""),
        ("list item", "- "),
        ("list item", "- "),
        ("heading", "## "),
        ("list item", "1. "),
        ("list item", "2. "),
        ("paragraph", "> "),
    ]
    assert blocks[2].text == "It fights\ninfection."


def test_translated_blocks_go_back_in_place_keeping_the_markdown_around_them() -> None:
    translated = replace_blocks(
        BODY, {0: "Mae eich iau yn glanhau eich gwaed.", 2: "Mae'n ymladd haint.", 6: "Gofynnwch."}
    )
    assert translated.splitlines() == [
        "Mae eich iau yn glanhau eich gwaed.",
        "",
        "- It makes bile [@smith-2021].",
        "- Mae'n ymladd haint.",
        "",
        "## What to do",
        "",
        "1. Rest.",
        "2. Drink water.",
        "",
        "> Gofynnwch.",
    ]


def leaflet(body: str, units: dict[str, str] | None = None) -> Leaflet:
    return Leaflet.model_validate(
        {
            "title": "Liver",
            "sections": [{"heading": "About", "body": body}],
            "review": {"last_reviewed": dt.date(2025, 1, 1)},
            "translated_units": units or {},
        }
    )


def test_only_the_changed_unit_is_stale_and_rewrapping_is_no_change() -> None:
    source = leaflet(BODY)
    made_from = {unit.id: unit.hash for unit in translation_units(source)}
    translation = leaflet("Cyfieithiad.", made_from)
    assert stale_units(source, translation) == []
    rewrapped = leaflet(BODY.replace("It also\nstores energy.", "It also stores\nenergy."))
    assert stale_units(rewrapped, translation) == []
    changed = leaflet(BODY.replace("Drink water.", "Drink plenty of water."))
    assert stale_units(changed, translation) == ["sections.0.body.5"]
    # A translation made by hand records nothing, so nothing can be judged stale.
    assert stale_units(changed, leaflet("Cyfieithiad.")) == []
    assert unit_hash("a  b\nc") == unit_hash("a b c")


def test_dates_as_leaflets_write_them() -> None:
    assert parse_date("12 March 2025") == dt.date(2025, 3, 12)
    assert parse_date("March 2028.") == dt.date(2028, 3, 1)
    assert parse_date("2024-07-01") == dt.date(2024, 7, 1)
    assert parse_date("01/07/2024") == dt.date(2024, 7, 1)
    assert parse_date("31 February 2024") is None
    assert parse_date("soon") is None


def test_references_are_split_only_when_their_shape_is_clear() -> None:
    assert split_reference("1. Smith J, Jones K. Liver care. London: Example Press; 2021.") == {
        "authors": ["Smith J", "Jones K"],
        "title": "Liver care",
        "year": 2021,
        "place": "London",
        "publisher": "Example Press",
    }
    web = split_reference("NHS. Jaundice. 2023. Available from: https://www.nhs.uk/x [Accessed 2 May 2024]")
    assert web is not None and web["organisation"] == "NHS" and web["accessed"] == dt.date(2024, 5, 2)
    # A web page without the date it was read, or text with no year, is left for an editor.
    assert split_reference("NHS. Jaundice. 2023. https://www.nhs.uk/x") is None
    assert split_reference("A leaflet from the clinic") is None


def test_a_table_is_one_unit_that_goes_back_with_its_rows_on_their_lines() -> None:
    body = "Take them as shown:\n\n| Time | Dose |\n| --- | ---: |\n| 8am | 2 tablets |\n\n- Ask us."
    blocks = body_blocks(body)
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "Take them as shown:"),
        ("table", "| Time | Dose |\n| --- | ---: |\n| 8am | 2 tablets |"),
        ("list item", "Ask us."),
    ]
    welsh = "| Amser | Dos |\n| --- | ---: |\n| 8am | 2 dabled |"
    translated = replace_blocks(body, {1: welsh, 2: "Gofynnwch i ni."})
    assert translated.splitlines() == [
        "Take them as shown:",
        "",
        "| Amser | Dos |",
        "| --- | ---: |",
        "| 8am | 2 dabled |",
        "",
        "- Gofynnwch i ni.",
    ]
    units = translation_units(leaflet(body))
    table = next(unit for unit in units if unit.text == blocks[1].text)
    assert "keep each row on its own line" in table.note
