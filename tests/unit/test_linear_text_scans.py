"""Every regex run on leaflet text stays linear (issue 13, item 9): hostile runs that once took
minutes are scanned in well under a second, and ordinary text gives the same results as before."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from leafpress.checks.fidelity import _CITATION as FIDELITY_CITATION
from leafpress.checks.readability.sentences import prepare_for_textstat, split_sentences
from leafpress.enrich.addresses import keep_addresses
from leafpress.enrich.citations import CITATION
from leafpress.enrich.references import csl_name
from leafpress.workflow.word import _ACCESSED

# Each of these took from 2 s to minutes at this size before; linear code takes milliseconds.
SIZE = 100_000
BOUND_SECONDS = 2.0


def seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


HOSTILE: dict[str, Callable[[], object]] = {
    "hyphen run": lambda: prepare_for_textstat("a-" * SIZE),
    "respelt hyphen run": lambda: prepare_for_textstat("meh-TASS-" * (SIZE // 9)),
    "stops and marks": lambda: split_sentences("!?" * SIZE + "x"),
    "stops with quotes": lambda: prepare_for_textstat('."' * SIZE + "x"),
    "spaces before no bracket": lambda: prepare_for_textstat("a" + " \t" * SIZE + "x"),
    "open citations": lambda: CITATION.findall("[@" * SIZE),
    "open citations (fidelity)": lambda: FIDELITY_CITATION.sub(" ", "[@" * SIZE),
    "at signs in brackets": lambda: FIDELITY_CITATION.sub(" ", "[" + "@" * SIZE),
    "author of spaces": lambda: csl_name("a" + " " * SIZE + "x"),
    "address-like run": lambda: keep_addresses("a.b-" * SIZE),
    "accessed and spaces": lambda: _ACCESSED.search("accessed" + " \t\n" * SIZE),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_is_scanned_in_linear_time(name: str) -> None:
    assert seconds(HOSTILE[name]) < BOUND_SECONDS


def test_pronunciation_guides_are_still_left_out_of_the_score() -> None:
    assert prepare_for_textstat("Metastases (said meh-TASS-tuh-seez) spread.") == "Metastases spread."
    assert prepare_for_textstat("Jaundice, said JAWN-diss, turns skin yellow.") == "Jaundice, , turns skin yellow."
    # An ordinary hyphenated word is a word: kept.
    assert prepare_for_textstat("A well-known self-help group.") == "A well-known self-help group."
    assert prepare_for_textstat("He said follow-up is vital.") == "He said follow-up is vital."


def test_sentences_still_split_at_their_stops() -> None:
    text = 'Rest well. Drink water!" Call us? Yes… e.g. this.'
    assert [text[start:end] for start, end in split_sentences(text)][:3] == ["Rest well.", 'Drink water!"', "Call us?"]


def test_citations_and_names_still_read() -> None:
    assert CITATION.findall("See [@smith-2021; @nhs] and [@a].") == ["@smith-2021; @nhs", "@a"]
    assert FIDELITY_CITATION.sub("", "Bile [@smith-2021] helps.") == "Bile  helps."
    assert csl_name("van der Berg AB") == {"family": "van der Berg", "given": "A B"}
    match = _ACCESSED.search("NHS. Liver disease. [accessed 3 May 2024].")
    assert match is not None and match[1].strip() == "3 May 2024"
    assert '<span class="address" dir="ltr">nurses@' in str(keep_addresses("Email nurses@example.org today"))
