"""The audio format: the leaflet read aloud as an MP3, by an offline speech engine.

For people who cannot read print or prefer to listen. The voice is synthetic: espeak-ng
(Debian's ``espeak-ng``; British English ``en-gb``, Welsh ``cy`` and many more), encoded to
MP3 by LAME (``lame``); nothing goes over the network. It reads the title and the
organisation, then every section in order with a pause between, list items one by one
(numbered lists with their numbers), terms in the leaflet's own pronunciation (``say:``),
and the end matter. The ID3 tags carry the title, organisation, version and review date, and
one chapter per section (CHAP frames under a CTOC), so listeners can skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path
from typing import TYPE_CHECKING

from leafpress.core.errors import NotApplicable
from leafpress.formats.base import Format, RenderContext

if TYPE_CHECKING:  # the outline and XML escaping load only when audio is made (listing formats stays quick)
    from leafpress.enrich.document import Document
    from leafpress.enrich.outline import Outline, OutlineSection
    from leafpress.enrich.reading import Group

# espeak-ng voices by primary language subtag, where the voice is not named by the subtag itself.
VOICES = {"en": "en-gb"}
WORDS_PER_MINUTE = 150  # a little slower than espeak-ng's 175: clearer for health information
SECTION_PAUSE_MS = 1200
# Seconds one section may take to speak or the whole book to encode (leaflets are size-limited).
TIMEOUT = 300


def _program(name: str, package: str) -> str:
    program = shutil.which(name)
    if program is None:
        raise RuntimeError(f"{name} not found: install {package} (scripts/setup-system.sh)")
    return program


def voice_for(language: str) -> str:
    """The espeak-ng voice for a BCP 47 tag, or NotApplicable naming the language."""
    primary = language.split("-")[0].lower()
    voice = VOICES.get(primary, primary)
    listed = subprocess.run(
        [_program("espeak-ng", "espeak-ng"), f"--voices={voice}"], capture_output=True, text=True, timeout=30
    ).stdout
    if not any(line.split()[1:2] == [voice] for line in listed.splitlines()[1:]):
        raise NotApplicable(f"no speech voice for {language}")
    return voice


# A web address is said as its site ("nhs.uk"): its path, read letter by letter, means nothing
# to a listener, and the printed leaflet and the web page carry it in full.
_WORDS = re.compile(r"(\s+)")
_LEADING, _TRAILING = "(\"'<", ".,;:!?)\"'>"


def _site(word: str) -> str:
    """``word`` with a web address (``https://…`` or ``www.…``) said as its site; anything else as it is."""
    opening = word[: len(word) - len(word.lstrip(_LEADING))]
    bare = word[len(opening) :].rstrip(_TRAILING)
    lower = bare.lower()
    for prefix in ("https://", "http://"):
        if lower.startswith(prefix):
            bare, lower = bare[len(prefix) :], lower[len(prefix) :]
            break
    else:
        if not lower.startswith("www."):
            return word
    if lower.startswith("www."):
        bare = bare[4:]
    host = bare.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return opening + (host or bare) + word[len(word.rstrip(_TRAILING)) :]


def _spoken(text: str, pronunciations: dict[str, str]) -> str:
    """``text`` as SSML character data, each term said the leaflet's way ("JAWN-diss" → "jawndiss")."""
    from xml.sax.saxutils import escape  # here: it loads urllib.request, which listing formats need not

    text = text.replace("[Picture: ", "Picture: ").replace("]", "").replace("[", "")
    text = "".join(_site(part) for part in _WORDS.split(text))
    for term, say in pronunciations.items():
        # Whole words only: a term must not change the middle of a longer word.
        text = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", say.replace("-", "").lower(), text)
    return escape(text)


def section_ssml(groups: list[Group], doc: Outline, language: str) -> str:
    """One section (or the opening) as SSML: a pause after every line, a longer one after headings."""
    from xml.sax.saxutils import escape

    parts = []
    for group in groups:
        for line in group:
            words = _spoken(line.marker.removeprefix("- ") + line.text, doc.pronunciations)
            pause = 700 if line.kind in ("title", "heading", "subheading", "urgent") else 400
            parts.append(f'<s>{words}</s><break time="{pause}ms"/>')
    return f'<speak xml:lang="{escape(language)}">{"".join(parts)}</speak>'


def _speak(ssml: str, voice: str, folder: Path, name: str) -> tuple[bytes, int]:
    """The PCM samples espeak-ng makes of ``ssml``, and their rate."""
    path = folder / f"{name}.wav"
    subprocess.run(
        [_program("espeak-ng", "espeak-ng"), "-m", "-v", voice, "-s", str(WORDS_PER_MINUTE), "-w", str(path)],
        input=ssml.encode("utf-8"),
        capture_output=True,
        timeout=TIMEOUT,
        check=True,
    )
    with wave.open(str(path), "rb") as sound:
        if sound.getsampwidth() != 2 or sound.getnchannels() != 1:
            raise RuntimeError("espeak-ng gave audio other than 16-bit mono")
        return sound.readframes(sound.getnframes()), sound.getframerate()


def chapters(doc: Outline, say_label: str) -> list[tuple[str, list[Group]]]:
    """One (title, groups) per section; the title and organisation open the first."""
    from leafpress.enrich.reading import front_groups, section_groups

    opening = [*front_groups(doc, logo=False)]
    sections: list[OutlineSection] = list(doc.sections)
    result = []
    for index, section in enumerate(sections):
        groups = section_groups(section, say_label)
        result.append((section.heading, (opening if index == 0 else []) + groups))
    return result


def tag(path: Path, document: Document, marks: list[tuple[str, int, int]]) -> None:
    """ID3v2.4 tags: title, organisation, version, date, language, and a chapter per section."""
    from mutagen.id3 import CHAP, COMM, CTOC, ID3, TDRC, TIT2, TLAN, TPE1, TPUB, TXXX, CTOCFlags

    leaflet = document.leaflet
    tags = ID3()
    tags.add(TIT2(encoding=3, text=document.title))
    tags.add(TPE1(encoding=3, text=document.organisation.name))
    tags.add(TPUB(encoding=3, text=document.organisation.name))
    tags.add(TDRC(encoding=3, text=document.last_reviewed.isoformat()))
    tags.add(TXXX(encoding=3, desc="version", text=leaflet.version))
    if leaflet.code:
        tags.add(TXXX(encoding=3, desc="code", text=leaflet.code))
    tags.add(TXXX(encoding=3, desc="next review", text=document.review_due_date.isoformat()))
    tags.add(TLAN(encoding=3, text=document.language))
    tags.add(COMM(encoding=3, lang="eng", desc="", text="Synthetic speech (espeak-ng), made by leafpress."))
    ids = [f"chapter-{number}" for number in range(1, len(marks) + 1)]
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text=document.title)],
        )
    )
    for element_id, (title, start, end) in zip(ids, marks, strict=True):
        tags.add(CHAP(element_id=element_id, start_time=start, end_time=end, sub_frames=[TIT2(encoding=3, text=title)]))
    tags.save(str(path), v2_version=4)


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    from leafpress.enrich.outline import outline

    document = context.document
    voice = voice_for(document.language)
    doc = outline(document)
    with tempfile.TemporaryDirectory(prefix="leafpress-audio-") as folder_name:
        folder = Path(folder_name)
        pcm = bytearray()
        marks: list[tuple[str, int, int]] = []
        rate = 22050
        # One process at a time: a build's jobs each take one core (--jobs says how many).
        for number, (title, groups) in enumerate(chapters(doc, document.labels["say_it"])):
            samples, rate = _speak(section_ssml(groups, doc, document.language), voice, folder, f"part-{number}")
            start = len(pcm) // 2 * 1000 // rate
            pcm += samples + bytes(2 * rate * SECTION_PAUSE_MS // 1000)
            marks.append((title, start, len(pcm) // 2 * 1000 // rate))
        mp3 = folder / "leaflet.mp3"
        subprocess.run(_encoder_command(rate, mp3), input=bytes(pcm), capture_output=True, timeout=TIMEOUT, check=True)
        tag(mp3, document, marks)
        return mp3.read_bytes(), []


def _encoder_command(rate: int, mp3: Path) -> list[str]:
    """LAME reading raw 16-bit mono PCM at ``rate`` from its standard input (no WAV file written
    first), writing ``mp3``."""
    return [
        _program("lame", "lame"),
        "--quiet",
        *("-r", "-s", f"{rate / 1000:g}", "--signed", "--little-endian", "--bitwidth", "16", "-m", "m"),
        # 64 kbit/s and -q 7 (LAME's faster search, half the encoding time) sound the same for
        # synthetic speech; no ReplayGain analysis (a fifth of the encoding time): a player's
        # loudness hint that speech at one level does not need.
        *("-b", "64", "-q", "7", "--noreplaygain"),
        "-",
        str(mp3),
    ]


FORMAT = Format(
    "audio",
    "MP3 read aloud by synthetic speech (espeak-ng), with a chapter per section.",
    render,
    suffix=".mp3",
    kind="audio",
    min_font_pt=0.0,
    order=90,
)
