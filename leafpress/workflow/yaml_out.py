"""Writing a leaflet's data back as YAML people can read and edit (drafts, imported translations)."""

from __future__ import annotations

from typing import Any

import yaml

from leafpress.source.load import WrittenFloat, WrittenInt


class _LeafletDumper(yaml.SafeDumper):
    """Block style throughout; text with line breaks as a ``|`` block, as people write bodies."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value.rstrip("\n") + "\n", style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _written(dumper: yaml.SafeDumper, value: WrittenInt | WrittenFloat) -> yaml.ScalarNode:
    """A number read from a leaflet goes back as it was written (``version: 1.10``)."""
    kind = "int" if isinstance(value, int) else "float"
    return dumper.represent_scalar(f"tag:yaml.org,2002:{kind}", value.written)


_LeafletDumper.add_representer(str, _text)
_LeafletDumper.add_representer(WrittenInt, _written)
_LeafletDumper.add_representer(WrittenFloat, _written)


def dump_leaflet(data: dict[str, Any], header: str = "") -> str:
    """``data`` as YAML, keys in the order given, with ``header`` as a comment on top."""
    text = yaml.dump(data, Dumper=_LeafletDumper, sort_keys=False, allow_unicode=True, width=100)
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comment + text
