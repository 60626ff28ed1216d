"""Stage 1, load: read a YAML file into plain data, remembering where every value came from.

PyYAML keeps the last of two duplicate keys silently and expands aliases without limit,
so the document is composed into nodes and walked here instead of being constructed
by ``yaml.safe_load``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from leafpress.errors import LeafpressError, Location, excerpt_at

MAX_FILE_BYTES = 1_000_000
# Each node visited counts, so an alias "bomb" is refused long before it eats memory.
MAX_NODES = 200_000

Key = tuple[str | int, ...]


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
        if self.count > MAX_NODES:
            raise self.error(
                node,
                f"the file expands to more than {MAX_NODES:,} values",
                "remove repeated aliases (*name); leaflet files should not need them",
            )
        self.loaded.positions.setdefault(key, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self.walk_mapping(node, key)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, (*key, index)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            self.loaded.block_scalars.add(key)
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError) as exc:
            if node.tag.endswith(":timestamp"):
                message = f"'{node.value}' is not a real date ({exc})"
                raise self.error(node, message, "check the day and month") from None
            raise self.error(node, f"this value cannot be read: {exc}", "check the value") from None

    def walk_mapping(self, node: yaml.MappingNode, key: Key) -> dict[str, Any]:
        self.constructor.flatten_mapping(node)  # resolve "<<" merge keys
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, "a key must be plain text", "write the key as a single word")
            name = str(self.constructor.construct_object(key_node))
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


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file, refusing binary, oversized and unreadable files clearly."""
    where = Location(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LeafpressError(
                where, f"the file is {size:,} bytes, over the limit of {max_bytes:,}", "split it or shrink it"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LeafpressError(where, "no such file", "check the path") from None
    except IsADirectoryError:
        raise LeafpressError(where, "this is a folder, not a leaflet file", "give a .yaml file") from None
    except OSError as exc:
        raise LeafpressError(where, f"cannot read the file ({exc.strerror})", "check its permissions") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LeafpressError(
            Location(path, line, column),
            "the file is not UTF-8 text",
            "save it as UTF-8 in your editor (\"Save with encoding\")",
        ) from None


def load_yaml(path: Path, what: str = "leaflet") -> Loaded:
    """Load one YAML mapping from ``path``; ``what`` names it in messages."""
    source = read_text(path)
    loaded = Loaded(path=path, source=source, data=None)
    if not source.strip():
        raise LeafpressError(Location(path), "the file is empty", f"write a {what} in it, or remove the file")
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # an unclosed quote: point at where it opened
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise LeafpressError(
            Location(path, line, column),
            f"YAML syntax error: {problem}",
            _syntax_hint(source, line, problem),
            excerpt_at(source, line, column),
        ) from None
    except yaml.YAMLError as exc:
        raise LeafpressError(Location(path), f"YAML error: {exc}", "check the file's layout") from None
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
