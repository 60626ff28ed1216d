"""Stage 4, render HTML: lay the enriched document out through the Jinja templates."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import jinja2

from leafpress.core.errors import LeafpressError, Location
from leafpress.core.project import THEME_DIR, Project
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


@lru_cache(maxsize=8)
def _environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader(
        [
            _ContainedLoader([str(d) for d in template_dirs]),
            jinja2.PrefixLoader({THEME_PREFIX: _ContainedLoader([str(THEME_DIR / "templates")])}),
        ]
    )
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        # An undefined variable is a mistake in the template, never an empty string.
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


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
