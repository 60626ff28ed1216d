"""Commands for the charity's workflow: ``import`` from Word, ``translations`` exchange, ``audit``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from leafpress.cli.commands import _open_project_or_exit, cli, err
from leafpress.cli.terminal import TerminalConsole, UserPath
from leafpress.core.errors import LeafpressError, LeafpressErrors, shown_path


def _fail(exc: LeafpressError | LeafpressErrors) -> None:
    err.print(exc.render(), markup=False)
    sys.exit(1)


@cli.command("import")
@click.argument("docx", type=UserPath(path_type=Path))
@click.option(
    "--output",
    "-o",
    "output",
    type=UserPath(dir_okay=False, path_type=Path),
    default=None,
    help="The leaflet file to write.  [default: leaflets/<name of the Word file>.yaml]",
)
def import_word(docx: Path, output: Path | None) -> None:
    """Turn a Word leaflet (.docx) into a leafpress YAML draft, then check it."""
    from leafpress.core.days import today
    from leafpress.source.load import file_limits
    from leafpress.workflow.word import check_docx, draft_yaml, import_docx, slug

    project = _open_project_or_exit()
    try:
        check_docx(docx)  # what was given comes first: a YAML file named by mistake is "not a Word document"
    except LeafpressError as exc:
        _fail(exc)
    target = output or project.leaflet_dir / f"{slug(docx.stem)}.yaml"
    if target.exists():
        err.print(
            f"{shown_path(target)} already exists: give another name with --output, or remove it first", markup=False
        )
        sys.exit(1)
    if not target.resolve().is_relative_to(project.root):
        err.print(
            f"{shown_path(target)} is outside the project {project.root}: write the leaflet inside it", markup=False
        )
        sys.exit(1)
    try:
        with file_limits(project.config.limits):  # the draft is checked as the project's leaflets are
            draft = import_docx(docx, target, today())
    except (LeafpressError, LeafpressErrors) as exc:
        _fail(exc)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(draft_yaml(draft, docx.name), encoding="utf-8")
    err.print(f"wrote {shown_path(target)} (a draft) from {docx.name}", markup=False)
    for image in draft.images:
        err.print(f"  saved picture {shown_path(image)}", markup=False)
    if draft.todos:
        err.print(f"[yellow]{len(draft.todos)} thing(s) to finish (marked TODO in the file):[/]")
        for todo in draft.todos:
            err.print(f"  - {todo}", markup=False)
    from leafpress.cli.check_report import run_check

    err.print(f"Checking {shown_path(target)}:", markup=False)
    run_check([target], project, project.root / "output", False, TerminalConsole(highlight=False), err)


@cli.group()
def translations() -> None:
    """Hand leaflets to translators as XLIFF, and bring their translations back."""


@translations.command("export")
@click.argument("leaflet", type=UserPath(path_type=Path))
@click.option("--to", "language", required=True, metavar="LANG", help="The language to translate into, e.g. cy.")
@click.option(
    "--output",
    "-o",
    "output",
    type=UserPath(dir_okay=False, path_type=Path),
    default=None,
    help="The XLIFF file to write.  [default: <leaflet name>.<LANG>.xlf in the current folder]",
)
def export_translation(leaflet: Path, language: str, output: Path | None) -> None:
    """Write an XLIFF 2.0 file of LEAFLET's text for translation into LANG."""
    from leafpress.source.load import file_limits
    from leafpress.workflow.xliff import export_xliff

    project = _open_project_or_exit()
    try:
        with file_limits(project.config.limits):
            data = export_xliff(leaflet, language, project.root)
    except (LeafpressError, LeafpressErrors) as exc:
        _fail(exc)
        return
    target = output or Path(f"{leaflet.stem}.{language}.xlf")
    target.write_bytes(data)
    err.print(
        f"wrote {shown_path(target)}: send it to the translator, then run: leafpress translations import {target}"
    )


@translations.command("import")
@click.argument("xliff", type=UserPath(path_type=Path))
def import_translation(xliff: Path) -> None:
    """Write or update the translation held in the translated XLIFF file."""
    from leafpress.core.days import today
    from leafpress.source.load import file_limits
    from leafpress.workflow.xliff import import_xliff

    project = _open_project_or_exit()
    try:
        with file_limits(project.config.limits):  # the source leaflet and the translation it updates
            imported = import_xliff(xliff, project.root, today())
    except (LeafpressError, LeafpressErrors) as exc:
        _fail(exc)
        return
    verb = "wrote" if imported.created else "updated"
    err.print(f"{verb} {shown_path(imported.path)} ({imported.units} units)", markup=False)
    if imported.same_as_source:
        shown = ", ".join(imported.same_as_source[:8]) + (" …" if len(imported.same_as_source) > 8 else "")
        err.print(
            f"{shown_path(xliff)}: warning: {len(imported.same_as_source)} of {imported.units} units are word for "
            f"word the source text ({shown}) — check with the translator that they were translated",
            style="yellow",
            markup=False,
        )
    if imported.created:
        err.print("It is a draft: have it reviewed by someone who reads the language, then approve it.")


@cli.command()
@click.argument("files", nargs=-1, type=UserPath(path_type=Path))
@click.option(
    "--output",
    "-o",
    "output",
    type=UserPath(file_okay=False, path_type=Path),
    default=Path("output") / "audit",
    show_default=True,
    help="Folder the report and CSV files are written to.",
)
def audit(files: tuple[Path, ...], output: Path) -> None:
    """Write the evidence pack for a quality audit: an HTML report and CSV files for the whole range."""
    from leafpress.core.days import today
    from leafpress.source.load import file_limits
    from leafpress.workflow.audit import REPORT_NAME, gather, write_pack

    project = _open_project_or_exit()
    sources = list(files) or project.leaflet_files()
    if not sources:
        err.print(f"No leaflets found in {project.leaflet_dir}.", markup=False)
        sys.exit(1)
    try:
        on = today()
    except LeafpressError as exc:
        _fail(exc)
        return
    with file_limits(project.config.limits):
        pack = gather(project, sources, project.root / "output", output, on)
    written = write_pack(pack, output)
    summary = pack.summary
    leaflets = f"{summary['leaflets']} leaflet{'' if summary['leaflets'] == 1 else 's'}"
    err.print(
        f"wrote {shown_path(output / REPORT_NAME)} and {len(written) - 1} CSV files: "
        f"{leaflets}, {summary['overdue']} overdue, {summary['due_soon']} due soon, "
        f"{summary['failing_checks']} failing checks",
        markup=False,
    )
