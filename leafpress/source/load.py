"""Stage 1, load: read a YAML file into plain data, remembering where every value came from.

PyYAML keeps the last of two duplicate keys silently and expands aliases without limit,
so the document is composed into nodes and walked here instead of being constructed
by ``yaml.safe_load``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from leafpress.core.config import MAX_FILE_BYTES, MAX_FILE_LINES, Limits
from leafpress.core.errors import LeafpressError, Location, excerpt_at
from leafpress.core.files import FileTooLarge, NotRegularFile, read_regular
from leafpress.source.bounds import first_excess
from leafpress.source.syntax import earlier_fault

# Each node visited counts, so an alias "bomb" is refused long before it eats memory.
MAX_NODES = 200_000
# PyYAML composes nested lists and mappings recursively; a leaflet never nests this deep.
MAX_DEPTH = 40
# Plain YAML types only: a "!!python/..." or custom tag is refused, never constructed.
ALLOWED_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
}

_DEPTH_HINT = "check the indentation: a leaflet needs only a few levels"
_EXPANSION_HINT = "remove repeated aliases (*name) and '<<' merges; leaflet files should not need them"

Key = tuple[str | int, ...]

# libyaml's parser (when PyYAML has it) composes the same nodes, marks included, several times faster.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Loaded:
    """A YAML document as plain data, with the line and column of every key and value."""

    path: Path
    source: str
    data: Any
    positions: dict[Key, tuple[int, int]] = field(default_factory=dict)
    # For block scalars (``body: |``) the text starts on the line after the marker.
    block_scalars: set[Key] = field(default_factory=set)

    def location(self, key: Key) -> Location:
        """The closest known location for ``key``, walking up to its parents."""
        while key and key not in self.positions:
            key = key[:-1]
        line, column = self.positions.get(key, (1, 1))
        return Location(self.path, line, column)

    def text_line(self, key: Key) -> int:
        """The line on which the text of the value at ``key`` starts."""
        line = self.location(key).line
        return line + 1 if key in self.block_scalars else line

    def text_location(self, key: Key, line_offset: int = 0, needle: str = "") -> Location:
        """Where ``needle`` is, on line ``line_offset`` of the text at ``key`` (for Markdown in a body)."""
        lines = self.source.splitlines()
        line = min(self.text_line(key) + line_offset, max(len(lines), 1))
        # A folded or quoted text may not keep its lines: look for the needle nearby.
        for candidate in (*range(line, len(lines) + 1), *range(self.text_line(key), line)):
            if needle and 0 < candidate <= len(lines) and needle in lines[candidate - 1]:
                return Location(self.path, candidate, lines[candidate - 1].index(needle) + 1)
        return self.location(key) if line_offset == 0 else Location(self.path, line, 1)


class WrittenInt(int):
    """A YAML whole number that keeps how it was written (``010``), for a field that wants text."""

    written: str


class WrittenFloat(float):
    """A YAML number that keeps how it was written: ``version: 1.10`` is "1.10", not "1.1"."""

    written: str


def written_number(value: float, text: str) -> WrittenInt | WrittenFloat:
    number = WrittenInt(value) if isinstance(value, int) else WrittenFloat(value)
    number.written = text
    return number


class _Walker:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.count = 0
        self.constructor = yaml.SafeLoader("")  # used only to turn scalars into values

    def error(self, node: yaml.Node, message: str, hint: str = "") -> LeafpressError:
        mark = node.start_mark
        return LeafpressError(Location(self.loaded.path, mark.line + 1, mark.column + 1), message, hint)

    def walk(self, node: yaml.Node, key: Key) -> Any:
        self.count += 1
        if len(key) > MAX_DEPTH:
            raise self.error(
                node,
                f"the file nests more than {MAX_DEPTH} levels deep",
                _DEPTH_HINT,
            )
        if self.count > MAX_NODES:
            raise self.error(
                node,
                f"the file expands to more than {MAX_NODES:,} values",
                _EXPANSION_HINT,
            )
        self.loaded.positions.setdefault(key, (node.start_mark.line + 1, node.start_mark.column + 1))
        self.check_tag(node)
        if isinstance(node, yaml.MappingNode):
            return self.walk_mapping(node, key)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, (*key, index)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            self.loaded.block_scalars.add(key)
        return self.scalar(node)

    def check_tag(self, node: yaml.Node) -> None:
        if node.tag not in ALLOWED_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise self.error(
                node, f"the tag '{tag}' is not allowed", "remove it: leaflets hold plain text, numbers, dates and lists"
            )

    def scalar(self, node: yaml.Node) -> Any:
        try:
            value = self.constructor.construct_object(node, deep=True)
            if type(value) in (int, float) and isinstance(node, yaml.ScalarNode):
                return written_number(value, node.value)
            return value
        except (yaml.constructor.ConstructorError, ValueError, OverflowError) as exc:
            if node.tag.endswith(":timestamp"):
                message = f"'{node.value}' is not a real date ({exc})"
                raise self.error(node, message, "check the day and month") from None
            raise self.error(node, f"this value cannot be read: {exc}", "check the value") from None

    def walk_mapping(self, node: yaml.MappingNode, key: Key) -> dict[str, Any]:
        try:
            self.constructor.flatten_mapping(node)  # resolve "<<" merge keys
        except yaml.constructor.ConstructorError as exc:
            raise self.error(
                node, f"a '<<' merge cannot be used here: {exc.problem}", "write the keys out in full"
            ) from None
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, "a key must be plain text", "write the key as a single word")
            self.check_tag(key_node)
            name = str(self.scalar(key_node))
            if name in seen:
                raise self.error(
                    key_node,
                    f"duplicate key '{name}' (first given on line {seen[name]})",
                    "keep one of them; YAML would silently drop the first",
                )
            seen[name] = key_node.start_mark.line + 1
            child = (*key, name)
            self.loaded.positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[name] = self.walk(value_node, child)
        return result


def source_digest(source: str) -> str:
    """The SHA-256 of a leaflet's text: its provenance in every PDF built from it."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


# The files read while ``recording_reads`` is active, with their SHA-256: an incremental build
# depends on all of them (a translation on its source, a leaflet on label catalogues).
_reads: ContextVar[dict[str, str] | None] = ContextVar("leafpress_reads", default=None)


# The project's limits on a leaflet file (its config may raise or lower them), for every leaflet
# file read while one is prepared: a translation's source and the siblings that may list it too.
_file_limits: ContextVar[tuple[int, int]] = ContextVar(
    "leafpress_file_limits", default=(MAX_FILE_BYTES, MAX_FILE_LINES)
)


@contextmanager
def file_limits(limits: Limits) -> Iterator[None]:
    """Leaflet files loaded inside the block are held to the project's ``limits``."""
    token = _file_limits.set((limits.max_file_bytes, limits.max_file_lines))
    try:
        yield
    finally:
        _file_limits.reset(token)


def max_file_bytes() -> int:
    """The byte limit on a leaflet file in force here (see :func:`file_limits`)."""
    return _file_limits.get()[0]


@contextmanager
def recording_reads() -> Iterator[dict[str, str]]:
    """Collect every file ``read_text`` reads inside the block (path → SHA-256); a recording
    around this one gets them too."""
    outer = _reads.get()
    reads: dict[str, str] = {}
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)
        if outer is not None:
            outer.update(reads)


@contextmanager
def reads_unrecorded() -> Iterator[None]:
    """Read inside the block without making the files a dependency of what is being built.

    For an index read once and shared by many leaflets (which sibling lists which translations):
    the leaflet that happens to build it first does not depend on every file in it.
    """
    token = _reads.set(None)
    try:
        yield
    finally:
        _reads.reset(token)


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file, refusing binary, oversized and unreadable files clearly."""
    where = Location(path)
    unread = Location.whole_file(path)  # nothing was read: there is no line to point at

    def too_big(size: int) -> LeafpressError:
        return LeafpressError(
            where,
            f"the file is {size:,} bytes, over the limit of {max_bytes:,}",
            "split it into smaller leaflets, or raise limits.max_file_bytes in leafpress.yaml",
        )

    try:
        raw = read_regular(path, max_bytes)
    except FileTooLarge as exc:
        raise too_big(exc.size) from None
    except NotRegularFile:
        # A device, pipe or kernel file (/dev/urandom, a FIFO, /proc/kmsg) may never end.
        raise LeafpressError(unread, "this is not a regular file", "give a .yaml file") from None
    except FileNotFoundError:
        raise LeafpressError(unread, "no such file", "check the path") from None
    except IsADirectoryError:
        raise LeafpressError(unread, "this is a folder, not a leaflet file", "give a .yaml file") from None
    except OSError as exc:
        raise LeafpressError(unread, f"cannot read the file ({exc.strerror})", "check its permissions") from None
    if (reads := _reads.get()) is not None:
        reads[str(path.resolve())] = hashlib.sha256(raw).hexdigest()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LeafpressError(
            Location(path, line, column),
            "the file is not UTF-8 text",
            'save it as UTF-8 in your editor ("Save with encoding")',
        ) from None


def _compose(source: str) -> yaml.Node | None:
    """The node tree of ``source``: libyaml's fast parser for good files, and PyYAML's own
    for bad ones, whose messages the syntax hints are written against."""
    try:
        return yaml.compose(source, Loader=_COMPOSER)
    except yaml.YAMLError:
        return yaml.compose(source, Loader=yaml.SafeLoader)


def _refuse_excess(loaded: Loaded) -> None:
    """Refuse nesting and expansion that composing would crash on or spend minutes on."""
    excess = first_excess(loaded.source, _COMPOSER, MAX_DEPTH, MAX_NODES)
    if excess is None:
        return
    where = Location(loaded.path, excess.line, excess.column)
    if excess.too_deep:
        raise LeafpressError(
            where,
            f"the file nests more than {MAX_DEPTH} levels deep",
            _DEPTH_HINT,
        )
    raise LeafpressError(
        where,
        f"the file expands to more than {MAX_NODES:,} values",
        _EXPANSION_HINT,
    )


def _refuse_too_many_lines(path: Path, source: str, max_lines: int) -> None:
    """Refuse a file longer than ``max_lines`` at its first line past the limit."""
    end = -1
    for _ in range(max_lines):
        end = source.find("\n", end + 1)
        if end < 0:
            return
    if source[end + 1 :].strip():
        raise LeafpressError(
            Location(path, max_lines + 1, 1),
            f"the file is {len(source.splitlines()):,} lines long, over the limit of {max_lines:,}",
            "split it into smaller leaflets, or raise limits.max_file_lines in leafpress.yaml",
        )


def load_yaml(path: Path, what: str = "leaflet", max_bytes: int | None = None, max_lines: int | None = None) -> Loaded:
    """Load one YAML mapping from ``path``; ``what`` names it in messages.

    The limits default to those in force (:func:`file_limits`), else the documented defaults.
    """
    limit_bytes, limit_lines = _file_limits.get()
    max_bytes = limit_bytes if max_bytes is None else max_bytes
    max_lines = limit_lines if max_lines is None else max_lines
    source = read_text(path, max_bytes)
    _refuse_too_many_lines(path, source, max_lines)
    loaded = Loaded(path=path, source=source, data=None)
    if not source.strip():
        raise LeafpressError(Location(path), "the file is empty", f"write a {what} in it, or remove the file")
    _refuse_excess(loaded)
    try:
        node = _compose(source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # an unclosed quote: point at where it opened
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(part for part in (exc.problem, exc.context) if part) or "invalid YAML"
        fault = earlier_fault(source, line)
        if fault is not None:
            raise LeafpressError(
                Location(path, fault.line, fault.column),
                f"YAML syntax error: {fault.message}",
                fault.hint,
                excerpt_at(source, fault.line, fault.column),
            ) from None
        raise LeafpressError(
            Location(path, line, column),
            f"YAML syntax error: {_plain_problem(problem)} ({problem})",
            _syntax_hint(source, line, problem),
            excerpt_at(source, line, column),
        ) from None
    except yaml.reader.ReaderError as exc:
        before = source[: exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        raise LeafpressError(
            Location(path, line, column),
            f"the file holds a control character (#x{exc.character:04x})",
            "remove it: it was probably pasted in from another program",
        ) from None
    except yaml.YAMLError as exc:
        raise LeafpressError(Location(path), f"YAML error: {exc}", "check the file's layout") from None
    except RecursionError:
        raise LeafpressError(
            Location(path), "the file nests lists or keys too deeply to read", "check the brackets and indentation"
        ) from None
    if node is None:
        raise LeafpressError(Location(path), "the file holds no content", f"write a {what} in it")
    if not isinstance(node, yaml.MappingNode):
        mark = node.start_mark
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        raise LeafpressError(
            Location(path, mark.line + 1, mark.column + 1),
            f"the file holds {kind}, not a {what}",
            "start with keys such as 'title:' at the left margin",
        )
    loaded.data = _Walker(loaded).walk(node, ())
    return loaded


# PyYAML's words for the usual slips, in words an editor knows.
_PLAIN_PROBLEMS = (
    ("quoted scalar", "a quote is opened but never closed"),
    ("'\\t'", "a tab is used where YAML needs spaces"),
    ("expected <block end>", "this line is not lined up with the lines above it"),
    ("mapping values are not allowed", "a ': ' is in a place YAML does not expect one"),
    ("could not find expected ':'", "a line is missing the ':' after its key"),
    ("expected ',' or ']'", "a list in [brackets] is not closed"),
    ("expected ',' or '}'", "a set of keys in {braces} is not closed"),
    ("found undefined alias", "an alias (*name) is used with no anchor (&name) before it"),
)


def _plain_problem(problem: str) -> str:
    return next((plain for words, plain in _PLAIN_PROBLEMS if words in problem), "the layout cannot be read")


def _syntax_hint(source: str, line: int, problem: str) -> str:
    lines = source.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in text or "tab" in problem:
        return "indent with spaces, not tabs"
    if "quot" in problem or "scalar" in problem:
        return "close the quote, or put long text in a block ('key: |' and the text indented below)"
    if "indent" in problem or "mapping values" in problem:
        return "check the indentation: nested keys need the same number of spaces; put text with ': ' in quotes"
    return "check the indentation and quotes on this line and the one above"
