"""Mutations of valid leaflet files, and one pipeline run that may only end in a PDF or a clean error.

Shared by the hypothesis tests (tests/test_properties.py) and the bulk fuzzer (bench/fuzz.py).
A mutation is what a hand editor does by mistake (a lost line, a tab, a stray quote, a
misspelt key), what someone hostile tries (aliases, tags, HTML, addresses of local files),
and plain noise (random bytes, truncation).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from leafpress.build.pipeline import build_leaflet, prepare
from leafpress.core.errors import LeafpressError, LeafpressErrors
from leafpress.core.project import Project
from leafpress.render.html import render_html

# Fragments that mean something to YAML, Markdown, HTML, Jinja or the file system.
TOKENS = [
    "\t",
    "  ",
    ": ",
    "- ",
    "-",
    "#",
    "'",
    '"',
    "|",
    ">",
    "{",
    "}",
    "[",
    "]",
    "&a ",
    "*a",
    "<<: *a",
    "!!python/name:os.system",
    "!!binary",
    "? ",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "\x00",
    "\ufeff",
    "\u202e",
    "é",
    "ŵ",
    "ي",
    "\r",
    "\r\n",
    "<script>alert(1)</script>",
    '<img src="file:///etc/passwd" onerror="x()">',
    "<iframe src=//x>",
    "![](/etc/passwd)",
    "![alt](../../../../etc/passwd)",
    "[x](file:///etc/passwd)",
    "[x](javascript:alert(1))",
    "{{ 7*7 }}",
    "{% raw %}",
    "2023-02-30",
    "2024-13-01",
    "9999-99-99",
    "1e999",
    "0x1F",
    "~",
    "null",
    "yes",
    "no",
    "title:",
    "sections:",
    "heading:",
    "body: |",
    "image:",
    "src: /dev/urandom",
    "alt: image",
    "callout: red",
    "review:",
    "last_reviewed: 2024-01-01",
    "next_review: 2099-01-01",
    "summary: []",
    "sections: []",
    "x" * 300,
    "9" * 5000,
]


def mutate(text: str, rng: random.Random) -> bytes:
    """``text`` with one to four random edits; the result may not even be UTF-8."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        if not lines:
            lines = [""]
        kind = rng.randrange(11)
        i = rng.randrange(len(lines))
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif kind == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 3:
            cut = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:cut] + rng.choice(TOKENS) + lines[i][cut:]
        elif kind == 4:
            lines[i] = lines[i][: rng.randint(0, len(lines[i]))]
        elif kind == 5:
            lines[i] = " " * rng.choice([0, 1, 3, 5, 8]) + lines[i].lstrip()
        elif kind == 6:
            lines[i] = lines[i].replace(":", rng.choice(["", " :", "::", ":\t"]), 1)
        elif kind == 7:
            word = lines[i].strip().split(":")[0].lstrip("- ")
            if len(word) > 2:
                k = rng.randrange(len(word) - 1)
                lines[i] = lines[i].replace(word, word[:k] + word[k + 1] + word[k] + word[k + 2 :], 1)
        elif kind == 8:
            lines.insert(i, lines[i].split(":")[0] + ": " + rng.choice(TOKENS))
        elif kind == 9:
            lines = lines[: i + 1]
        else:
            lines[i] = rng.choice(TOKENS) + lines[i]
    data = "\n".join(lines).encode("utf-8")
    if rng.random() < 0.08:
        spot = rng.randrange(len(data) + 1)
        data = data[:spot] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 4))) + data[spot:]
    return data


@dataclass
class Outcome:
    """How one run ended: ``built`` or ``error``. Anything else is raised, as a traceback would be."""

    kind: str
    message: str = ""


def run_once(source: Path, project: Project, output_dir: Path, pdf: bool) -> Outcome:
    """Take ``source`` through the pipeline: up to the HTML, or (``pdf``) all the way to a written PDF."""
    if pdf:
        result = build_leaflet(source, project, output_dir)
        for error in result.errors:
            if "internal error" in error.message:
                raise AssertionError(f"{source}: {error.render()}")
            _check_shape(error)
        if result.ok:
            assert result.output is not None and result.output.read_bytes().startswith(b"%PDF")
            return Outcome("built")
        return Outcome("error", result.errors[0].render())
    try:
        document = prepare(source, project)
        render_html(document, project)
    except LeafpressErrors as exc:
        for error in exc.errors:
            _check_shape(error)
        return Outcome("error", exc.render())
    except LeafpressError as exc:
        _check_shape(exc)
        return Outcome("error", exc.render())
    return Outcome("built")


def _check_shape(error: LeafpressError) -> None:
    """Every error must read ``path:line:column: message — hint``."""
    assert error.location.line >= 1 and error.location.column >= 1, str(error)
    assert error.message and error.hint, str(error)
