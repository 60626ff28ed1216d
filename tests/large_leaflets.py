"""Valid leaflets as large as the documented limits allow, each filled in a different way.

Each fills the file up to just under ``MAX_FILE_BYTES`` while keeping every field within its own
limit (``leafpress.core.model``), so each must build; what differs is what the bytes become on
the page: hard line breaks, list items, long prose, references, terms, sections.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from leafpress.core.config import MAX_FILE_BYTES, MAX_FILE_LINES
from leafpress.core.model import MAX_BODY_CHARS, MAX_SECTIONS

GENERATE = Path(__file__).resolve().parent.parent / "generate.py"


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_bytes: int


def run_measured(*args: str, cwd: Path, timeout: float = 120) -> Measured:
    """``generate.py ARGS`` in a fresh process: exit code, output, wall time and the peak resident
    memory of that process alone (wait4), leafpress's worker processes included.

    A process still running after ``timeout`` seconds is killed and raises TimeoutError: a
    runaway shows as what it is.
    """
    started = time.monotonic()
    # Files, not pipes: the process is waited for with wait4 (for its memory), so nothing may
    # block on a full pipe meanwhile.
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(
            [sys.executable, str(GENERATE), *args], cwd=cwd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL
        )
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                process.kill()
                os.wait4(process.pid, 0)
                process.returncode = -9
                raise TimeoutError(f"leafpress {' '.join(args)} ran past {timeout:.0f} s")
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        return Measured(
            process.returncode, stdout.read(), stderr.read(), time.monotonic() - started, usage.ru_maxrss * 1024
        )


HEAD = """\
title: A very long leaflet
code: BIG-001
version: "1.0"
summary:
  - This leaflet is as long as the limits allow.
approved_by:
  name: Dr Ann Lee
  role: Consultant
  date: 2024-03-20
review:
  last_reviewed: 2024-03-15
"""
# Room kept free under the byte limit for the head and the YAML around each body.
MARGIN = 2_000
MARGIN_LINES = 20


def _fill(piece: Callable[[int], str], budget: int, line_budget: int = MAX_FILE_LINES) -> list[str]:
    """Pieces ``piece(0)``, ``piece(1)``… until the next would pass ``budget`` characters or
    ``line_budget`` lines."""
    pieces: list[str] = []
    used = lines = 0
    while used + len(piece(len(pieces))) <= budget and lines + piece(len(pieces)).count("\n") <= line_budget:
        pieces.append(piece(len(pieces)))
        used += len(pieces[-1])
        lines += pieces[-1].count("\n")
    return pieces


def _room(text: str, max_bytes: int, max_lines: int) -> tuple[int, int]:
    """Bytes and lines still free in a file that starts with ``text``."""
    return max_bytes - len(text.encode()) - MARGIN, max_lines - text.count("\n") - MARGIN_LINES


def _indented(text: str) -> str:
    return "".join(f"      {line}\n" if line else "\n" for line in text.split("\n"))


def sections_of(
    body_piece: Callable[[int], str], max_bytes: int = MAX_FILE_BYTES, max_lines: int = MAX_FILE_LINES
) -> str:
    """A leaflet whose sections hold bodies of ``body_piece``s, filling the file to ``max_bytes``
    and ``max_lines``."""
    text = HEAD + "sections:\n"
    for number in range(1, MAX_SECTIONS + 1):
        room, lines = _room(text, max_bytes, max_lines)
        # Each body line is indented by six spaces in the file: keep the body within its limit.
        body = "".join(_fill(body_piece, min(MAX_BODY_CHARS - 100, room * 2 // 3), lines - 2)).strip()
        if not body:
            break
        text += f"  - heading: Part {number}\n    body: |\n" + _indented(body)
    return text


def hard_line_breaks(max_bytes: int = MAX_FILE_BYTES, max_lines: int = MAX_FILE_LINES) -> str:
    """Bodies of short lines, each ending in a hard line break (a backslash)."""
    return sections_of(lambda index: f"Line {index} here\\\n", max_bytes, max_lines)


def list_items(max_bytes: int = MAX_FILE_BYTES, max_lines: int = MAX_FILE_LINES) -> str:
    return sections_of(lambda index: f"- Item {index}\n", max_bytes, max_lines)


def long_prose(max_bytes: int = MAX_FILE_BYTES, max_lines: int = MAX_FILE_LINES) -> str:
    """Paragraphs of ordinary sentences: the most words a leaflet can hold."""
    sentence = "Your liver cleans your blood and stores energy for later. "

    def paragraph(index: int) -> str:
        return sentence * 6 + ("\n\n" if index % 2 else "")

    return sections_of(paragraph, max_bytes, max_lines)


def many_sections(max_bytes: int = MAX_FILE_BYTES, max_lines: int = MAX_FILE_LINES) -> str:
    """The most sections, each with a heading and a body as long as the file allows."""
    per_section = (max_bytes - len(HEAD) - MARGIN) // MAX_SECTIONS
    sentence = "Drink water, rest and take your medicine as your nurse told you. "
    body = (sentence * (per_section // len(sentence) - 1)).strip()
    text = HEAD + "sections:\n"
    for number in range(1, MAX_SECTIONS + 1):
        text += f"  - heading: Part {number}\n    body: {body}\n"
    return text


def references(max_bytes: int = MAX_FILE_BYTES, max_lines: int = MAX_FILE_LINES) -> str:
    """One short section citing as many references as the file can hold, every one cited."""
    entry = (
        "  - key: ref-{0}\n    authors: [Smith J]\n    title: Liver care {0}\n    publisher: Press\n    year: 2021\n"
    )
    room, lines = _room(HEAD, max_bytes, max_lines)
    entries = _fill(lambda index: entry.format(index), room * 4 // 5, lines)
    citations = _fill(lambda index: f"Fact [@ref-{index}]. ", MAX_BODY_CHARS - 100)
    body = "".join(citations[: len(entries)]).strip()
    text = HEAD + "sections:\n  - heading: Facts\n    body: " + body + "\n"
    return text + "references:\n" + "".join(entries)


def terms(max_bytes: int = MAX_FILE_BYTES, max_lines: int = MAX_FILE_LINES) -> str:
    entry = "  - term: word{0}\n    meaning: A plain meaning of word {0}.\n    pronunciation: WURD-{0}\n"
    room, lines = _room(HEAD, max_bytes, max_lines)
    entries = _fill(lambda index: entry.format(index), room - 200, lines)
    return HEAD + "sections:\n  - heading: Words\n    body: Some words.\nterms:\n" + "".join(entries)


LARGE_LEAFLETS: dict[str, Callable[[int, int], str]] = {
    "hard-line-breaks": hard_line_breaks,
    "list-items": list_items,
    "long-prose": long_prose,
    "many-sections": many_sections,
    "references": references,
    "terms": terms,
}
