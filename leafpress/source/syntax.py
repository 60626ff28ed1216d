"""Where a YAML syntax error really starts, when PyYAML notices it only lines later.

Two slips in hand-written leaflets are found late: a quote left open runs on to the next quote
on some later line, and text not indented under ``body: |`` leaves the block empty and reads as
keys further down. The tokens read before the error show both.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

# How close to the error a runaway quote must end for it to be the cause.
_NEAR_LINES = 2


@dataclass(frozen=True)
class Fault:
    line: int
    column: int
    message: str
    hint: str


def earlier_fault(source: str, error_line: int) -> Fault | None:
    """The fault that starts before ``error_line`` (1-based), when the tokens show one."""
    tokens: list[yaml.Token] = []
    try:
        for token in yaml.scan(source):
            tokens.append(token)
            if token.start_mark.line + 1 > error_line:
                break
    except yaml.YAMLError:
        pass  # the error itself: the tokens before it are what is needed
    for token in reversed(tokens):
        if not isinstance(token, yaml.ScalarToken):
            continue
        start, end = token.start_mark.line + 1, token.end_mark.line + 1
        if token.style in ('"', "'") and start < end and end >= error_line - _NEAR_LINES and start < error_line:
            return Fault(
                start,
                token.start_mark.column + 1,
                f"a quote ({token.style}) opened here is not closed on this line, so the text runs on to line {end}",
                "close the quote on this line, or put long text in a block ('key: |' and the text indented below)",
            )
        if token.style in ("|", ">") and not token.value.strip() and start < error_line:
            lines = source.splitlines()
            following = next((n for n in range(start + 1, len(lines) + 1) if lines[n - 1].strip()), None)
            if following is not None and following <= error_line:
                return Fault(
                    following,
                    1,
                    f"the text after '{token.style}' on line {start} is not indented, so the block is empty",
                    "indent every line of the text further than the key above it (for example 6 spaces)",
                )
    return None
