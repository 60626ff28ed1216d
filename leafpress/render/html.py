"""Stage 4, render HTML: lay the enriched document out through the Jinja templates."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sys
import traceback
import types
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.runtime
import jinja2.utils
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from leafpress import __version__
from leafpress.core.cache import cache_dir, mark_used, remove_unused
from leafpress.core.errors import LeafpressError, Location
from leafpress.core.project import THEME_DIR, Project
from leafpress.enrich.addresses import keep_addresses
from leafpress.enrich.document import Document

TEMPLATE_NAME = "leaflet.html.j2"


class _ContainedLoader(jinja2.FileSystemLoader):
    """Templates only from inside their folders: a symlink leading out (to /etc/passwd, say) is refused."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(folder).resolve()) for folder in self.searchpath):
            raise LeafpressError(
                Location(Path(filename)),
                f"template '{template}' leads outside its folder, to {real}",
                "put a copy of the template in templates/ instead of a link",
            )
        return source, filename, uptodate


# A project template can extend the built-in one by this prefix and override single blocks:
# {% extends "theme/leaflet.html.j2" %} (docs/templates.md lists the blocks).
THEME_PREFIX = "theme"


# Whose methods a template may call: plain values and Jinja's own helpers (loop.cycle, super()).
_CALLABLE_OWNERS = (
    str,
    Markup,
    list,
    tuple,
    dict,
    int,
    float,
    dt.date,
    dt.time,
    jinja2.runtime.LoopContext,
    jinja2.runtime.BlockReference,
    jinja2.utils.Cycler,
    jinja2.utils.Joiner,
)
# What a template may read of a path: its name, never the file (nor a parent folder to walk).
_PATH_ATTRIBUTES = frozenset({"name", "stem", "suffix"})


_attribute_verdicts: dict[tuple[type, str], bool] = {}
_MAX_ATTRIBUTE_VERDICTS = 4096


class LeafletSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed further: templates lay data out and can do nothing else.

    The sandbox already refuses underscore attributes (``cycler.__init__.__globals__``) and
    changing lists and dicts. On top of that a template may call only macros, Jinja's helpers,
    the functions leafpress passes it, and methods of plain values (``date.isoformat()``,
    ``dict.items()``): never a method of a data object (a pydantic model's ``parse_file``) or a
    path, and of a path it may read only the name.
    """

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Every rule here and in Jinja's sandbox judges the object's type and the attribute's
        # name only, so a verdict is kept for the pair: a proof page reads tens of thousands.
        key = (type(obj), attr)
        verdict = _attribute_verdicts.get(key)
        if verdict is None:
            verdict = not (isinstance(obj, PurePath) and attr not in _PATH_ATTRIBUTES) and super().is_safe_attribute(
                obj, attr, value
            )
            if len(_attribute_verdicts) < _MAX_ATTRIBUTE_VERDICTS:
                _attribute_verdicts[key] = verdict
        return verdict

    def is_safe_callable(self, obj: Any) -> bool:
        if not super().is_safe_callable(obj):
            return False
        helpers = (jinja2.runtime.Macro, jinja2.runtime.BlockReference, jinja2.runtime.LoopContext)
        if isinstance(obj, helpers) or any(obj is value for value in self.globals.values()):
            return True
        # The sandbox hands out str.format wrapped, to check what it formats.
        method = getattr(obj, "__wrapped__", obj)
        owner = getattr(method, "__self__", None)
        if isinstance(method, types.BuiltinMethodType | types.MethodType) and owner is not None:
            return isinstance(owner, _CALLABLE_OWNERS)
        # A function leafpress itself passed in the render context (the readability proof's helpers).
        return isinstance(obj, types.FunctionType) and (obj.__module__ or "").startswith("leafpress.")


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled once, kept in the user's cache: every process otherwise compiles the
    theme's templates before its first leaflet (18 ms for the main one). Jinja recompiles a template
    whose source changed; a cache that cannot be read or written is only not used."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable, or not what Jinja wrote: compile the template instead
            bucket.reset()
        if bucket.code is not None:
            mark_used(Path(self._get_cache_filename(bucket)))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)
        # Each checkout's templates are kept under their own paths (a CI runner makes many), and
        # each version of leafpress and Jinja in a folder of its own.
        remove_unused(Path(self.directory).parent, "templates-*/" + self.pattern.replace("%s", "*"))


def _compiled_templates(environment: jinja2.Environment) -> jinja2.BytecodeCache | None:
    """The cache for templates compiled by ``environment``. Its folder is named by what the compiled
    code depends on besides a template's source: the versions and the environment's settings."""
    settings = repr(
        (
            type(environment).__name__,
            environment.autoescape,
            environment.undefined.__name__,
            sorted(environment.extensions),
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.keep_trailing_newline,
            environment.newline_sequence,
            environment.optimized,
            environment.block_start_string,
            environment.variable_start_string,
            environment.comment_start_string,
            environment.line_statement_prefix,
        )
    )
    fingerprint = hashlib.sha256(settings.encode()).hexdigest()[:12]
    folder = cache_dir() / f"templates-{__version__}-jinja{jinja2.__version__}-{fingerprint}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _CompiledTemplates(str(folder))


@lru_cache(maxsize=8)
def _environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader(
        [
            _ContainedLoader([str(d) for d in template_dirs]),
            jinja2.PrefixLoader({THEME_PREFIX: _ContainedLoader([str(THEME_DIR / "templates")])}),
        ]
    )
    environment = LeafletSandbox(
        loader=loader,
        autoescape=True,
        # An undefined variable is a mistake in the template, never an empty string.
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.bytecode_cache = _compiled_templates(environment)
    environment.filters["keep_addresses"] = keep_addresses
    return environment


def template_environment(project: Project) -> jinja2.Environment:
    """The project's Jinja environment: its own templates first, then the built-in theme."""
    return _environment(tuple(project.template_dirs))


def render_html(document: Document, project: Project, template_name: str = TEMPLATE_NAME) -> str:
    """The leaflet as one HTML document, ready for WeasyPrint."""
    env = template_environment(project)
    try:
        template = env.get_template(template_name)
        return template.render(
            doc=document, leaflet=document.leaflet, org=document.organisation, labels=document.labels
        )
    except jinja2.TemplateSyntaxError as exc:
        where = Location(Path(exc.filename or exc.name or template_name), exc.lineno or 1, 1)
        raise LeafpressError(where, f"template syntax error: {exc.message}", "fix the template") from None
    except jinja2.TemplateNotFound as exc:
        raise LeafpressError(
            Location(Path(template_name)),
            f"template '{exc.name}' not found",
            "check templates/ and the names it includes",
        ) from None
    except jinja2.sandbox.SecurityError as exc:
        raise LeafpressError(
            _template_location(template_name),
            f"template refused: {exc}",
            "templates may only lay out the data they are given; see docs/security.md",
        ) from None
    except jinja2.UndefinedError as exc:
        raise LeafpressError(
            _template_location(template_name),
            f"template error: {exc.message}",
            "check the variable's spelling; see docs/templates.md for what templates get",
        ) from None


def _template_location(fallback: str) -> Location:
    """The innermost template frame of the exception being handled (Jinja rewrites tracebacks)."""
    found = Location(Path(fallback))
    for frame, line in traceback.walk_tb(sys.exc_info()[2]):
        filename = frame.f_code.co_filename
        if filename.endswith((".j2", ".html", ".jinja")):
            found = Location(Path(filename), line, 1)
    return found
