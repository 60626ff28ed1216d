"""Stage 2, validate: check loaded YAML against a pydantic model, with messages a person can act on."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from leafpress.core.errors import LeafpressError, LeafpressErrors
from leafpress.source.load import Loaded

ModelT = TypeVar("ModelT", bound=BaseModel)

_KIND_NAMES = {dict: "a set of keys", list: "a list", str: "text", int: "a number", float: "a number", bool: "yes/no"}
_MISSING_HINTS = {
    "alt": "add 'alt:' saying what the picture shows, for readers who cannot see it",
    "heading": "add a 'heading:' line: every section needs one",
    "review": "add 'review:' and, indented below it, 'last_reviewed:' with the date of the last review",
    "last_reviewed": "add 'last_reviewed:' with the date of the last review, as YYYY-MM-DD",
}
_TOO_LONG_HINTS = {
    "title": "keep the title to a few words and put the rest in 'subtitle' or the first section",
    "subtitle": "keep the subtitle to one short line and put the rest in the first section",
    "heading": "keep a heading to a few words and put the rest in the text below it",
}
_PATTERN_HINTS = {
    "code": "use letters, digits, '-', '.' or '_', for example LIV-004",
    "language": "use a language tag such as en-GB, cy, pl or ar",
    "url": "write the full address, starting with https://",
    "email": "write one whole e-mail address, for example nurses@example.org",
    "allowed_hosts": "write just the host name, such as images.example.org (no https://, no path)",
    "key": "use letters, digits, '-', '_', '.' or ':', for example nice-ablation",
    "doi": "write the DOI alone, starting with 10., for example 10.5306/wjco.v11.i10.761",
    "pmid": "write the PubMed ID as digits only, for example 33200074",
}


def validate(loaded: Loaded, model: type[ModelT]) -> ModelT:
    """Return ``loaded.data`` as ``model``, or raise every problem with its file position."""
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        raw = exc.errors()
        # "unknown key 'titel' — did you mean 'title'?" already says that 'title' is missing.
        suggested = {
            (*_clean(e["loc"])[:-1], _near(model, _clean(e["loc"]))) for e in raw if e["type"] == "extra_forbidden"
        }
        errors = [
            _to_error(loaded, model, e) for e in raw if not (e["type"] == "missing" and _clean(e["loc"]) in suggested)
        ]
        errors.sort(key=lambda e: (e.location.line, e.location.column))
        if len(errors) == 1:
            raise errors[0] from None
        raise LeafpressErrors(errors) from None


def _clean(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The error's path into the data, without pydantic's validator names."""
    return tuple(part for part in loc if not isinstance(part, str) or not part.startswith("function-"))


def _near(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """The allowed key closest to the unknown key at ``loc``, if one is close."""
    near = difflib.get_close_matches(str(loc[-1]), _fields_at(model, loc[:-1]), n=1, cutoff=0.6)
    return near[0] if near else None


def _describe(value: Any) -> str:
    return _KIND_NAMES.get(type(value), type(value).__name__)


def _to_error(loaded: Loaded, model: type[BaseModel], error: ErrorDetails) -> LeafpressError:
    loc = _clean(error["loc"])
    name = _dotted(loc)
    kind = error["type"]
    value = error.get("input")
    location = loaded.location(loc)
    ctx = error.get("ctx") or {}

    if kind == "missing":
        field = loc[-1]
        parent = _dotted(loc[:-1]) or "the file"
        return LeafpressError(
            location, f"'{field}' is missing from {parent}", _MISSING_HINTS.get(str(field), f"add a '{field}:' line")
        )
    if kind == "extra_forbidden":
        near = _near(model, loc)
        allowed = ", ".join(sorted(_fields_at(model, loc[:-1])))
        hint = f"did you mean '{near}'?" if near else f"allowed keys here: {allowed}"
        return LeafpressError(location, f"unknown key '{loc[-1]}'", hint)
    if kind in ("too_short", "string_too_short") and isinstance(value, list | str):
        hint = "write at least one entry" if isinstance(value, list) else "write the text, or remove the line"
        return LeafpressError(location, f"'{name}' is empty", hint)
    if kind == "string_too_long" and isinstance(value, str):
        return LeafpressError(
            location,
            f"'{name}' has {len(value):,} characters, more than {ctx.get('max_length'):,}",
            _TOO_LONG_HINTS.get(str(loc[-1]), "split it into shorter sections"),
        )
    if kind == "too_long" and isinstance(value, list):
        hint = (
            "a leaflet this long is hard to take in: split it into several leaflets"
            if loc[-1] == "sections"
            else "keep it short: readers take in a few points at a time"
        )
        return LeafpressError(location, f"'{name}' has {len(value)} entries, more than {ctx.get('max_length')}", hint)
    if kind == "literal_error":
        return LeafpressError(location, f"'{name}' cannot be {value!r}", f"use one of: {ctx.get('expected')}")
    if kind == "string_pattern_mismatch":
        field = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
        hint = _PATTERN_HINTS.get(field, "check the spelling")
        return LeafpressError(location, f"'{name}' has an unusable value {value!r}", hint)
    if kind.startswith("date"):
        return LeafpressError(location, f"'{name}' is not a date: {value!r}", "write dates as YYYY-MM-DD")
    if kind in ("model_type", "dict_type"):
        return LeafpressError(
            location,
            f"'{name}' should be a set of keys, not {_describe(value)}",
            "put its keys on the lines below, indented",
        )
    if kind == "list_type":
        return LeafpressError(
            location,
            f"'{name}' should be a list, not {_describe(value)}",
            "put each entry on its own line starting with '- '",
        )
    if kind in ("string_type", "int_type", "int_parsing", "float_type", "float_parsing", "bool_type"):
        wanted = {"string_type": "text", "bool_type": "yes or no"}.get(kind, "a whole number")
        return LeafpressError(
            location, f"'{name}' should be {wanted}, not {_describe(value)}", "check the value on this line"
        )
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return LeafpressError(location, f"'{name}' is out of range: {error['msg'].lower()}", "check the number")
    message, _, hint = error["msg"].removeprefix("Value error, ").partition(" — ")
    if name and not message.startswith(str(loc[-1])):
        message = f"{name}: {message}"
    return LeafpressError(location, message, hint or "check this entry")


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at ``loc`` inside ``model``, for "did you mean" hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return []
        current = _inner_model(current.model_fields[part].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """Unwrap Optional, list and Annotated down to a model class, if there is one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None
