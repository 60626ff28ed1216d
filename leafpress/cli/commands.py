"""The command line: thin wiring of the pipeline stages, in the manner of MkDocs and click."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from leafpress import __version__
from leafpress.cli.terminal import TerminalConsole, UserPath
from leafpress.core.days import TODAY_VARIABLE
from leafpress.core.errors import LeafpressError, LeafpressErrors
from leafpress.core.runtime import collect_garbage_less_often
from leafpress.formats import FORMAT_NAMES, FORMATS, chosen_formats
from leafpress.source.project import find_root, open_project, refuse_link_out

# Each command imports the stages it uses when it runs (the build machinery, the review list,
# the preview server): `leafpress --help` and `leafpress status` start in a fraction of the time.
if TYPE_CHECKING:
    from leafpress.core.project import Project

err = TerminalConsole(stderr=True, highlight=False, soft_wrap=True)
# --jobs for every build and check, when the command line does not say (a CI runner's share of cores).
JOBS_VARIABLE = "LEAFPRESS_JOBS"


def _build_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by ``leafpress`` (build everything) and ``leafpress build FILE...``."""
    command = click.option(
        "--output",
        "-o",
        "output",
        type=UserPath(file_okay=False, path_type=Path),
        default=Path("output"),
        show_default=True,
        help="Folder the PDFs are written to.",
    )(command)
    command = click.option(
        "--format",
        "-f",
        "formats",
        multiple=True,
        type=click.Choice(FORMAT_NAMES),
        help="Output format; give it more than once for several (default: 'formats' in leafpress.yaml, else standard).",
    )(command)
    command = click.option(
        "--strict",
        is_flag=True,
        help="Fail (exit 1) when a leaflet misses its readability targets or a PDF is not PDF/UA-1 compliant.",
    )(command)
    command = click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        envvar=JOBS_VARIABLE,
        show_envvar=True,
        help="Leaflets built at once, each in its own process.  [default: the number of cores]",
    )(command)
    command = click.option("--force", is_flag=True, help="Rebuild every leaflet, changed or not.")(command)
    command = click.option("--clean", is_flag=True, help="Remove the outputs of leaflets that were deleted.")(command)
    return command


def _open_project_or_exit() -> Project:
    """The project of the current folder or the nearest parent holding leafpress.yaml; when that is
    a parent, the command moves there (so output/ is the project's) and says so."""
    root = find_root(Path.cwd())
    if root != Path.cwd().resolve():
        err.print(f"project: {root}", markup=False)
        os.chdir(root)
    try:
        return open_project(root)
    except (LeafpressError, LeafpressErrors) as exc:
        err.print(exc.render(), markup=False)
        sys.exit(1)


def _without_clashes(sources: list[Path], project: Project) -> tuple[list[Path], int]:
    """``sources`` less those whose output name, in any format or proof, another leaflet takes
    (each reported, before anything is built); and how many were left out."""
    from leafpress.build.write import ACCESSIBILITY_REPORT_SUFFIX, READABILITY_PROOF_SUFFIX, output_clashes

    suffixes = (*(spec.suffix for spec in FORMATS.values()), READABILITY_PROOF_SUFFIX, ACCESSIBILITY_REPORT_SUFFIX)
    clashes = output_clashes(sources, suffixes, project.leaflet_files())
    for clash in clashes:
        err.print(clash.render(), markup=False)
    refused = {clash.location.path for clash in clashes}
    return [source for source in sources if source not in refused], len(clashes)


def run_build(
    files: tuple[Path, ...],
    output: Path,
    formats: tuple[str, ...] = (),
    strict: bool = False,
    jobs: int | None = None,
    force: bool = False,
    clean: bool = False,
) -> int:
    """Build ``files`` (every leaflet when empty) in ``formats`` (default: the project's), skipping
    unchanged ones; 0 when none failed."""
    from leafpress.build.batch import build_all
    from leafpress.cli.progress import ConsoleReporter

    project = _open_project_or_exit()
    sources = list(files) or project.leaflet_files()
    if not files:
        for nested in project.leaflets_in_subfolders():
            err.print(
                f"{nested}: not built: only leaflets directly in {project.leaflet_dir.name}/ are — "
                f"move it there, or name it: leafpress build {nested}",
                markup=False,
            )
    if not sources and not clean:
        err.print(
            f"No leaflets found in {project.leaflet_dir}. Add a .yaml file there, "
            "or name leaflet files: leafpress build FILE...",
            markup=False,
        )
        return 1

    def readability(source: Path) -> bool:
        """One readability line per built leaflet; with --strict, a miss fails the leaflet."""
        from leafpress.cli.build_summary import print_build_summary  # textstat loads only when a leaflet is built

        return print_build_summary(source, project, err, strict) or not strict

    sources, clashes = _without_clashes(sources, project)
    try:
        chosen = chosen_formats(project, formats)
    except LeafpressError as exc:
        err.print(exc.render(), markup=False)
        return 1
    # --strict checks unchanged leaflets too: it is a gate that every leaflet must pass.
    summary = build_all(
        project,
        sources,
        output,
        ConsoleReporter(err),
        formats=chosen,
        jobs=jobs,
        force=force,
        clean=clean,
        leaflet_check=readability,
        check_unchanged=strict,
        strict=strict,
    )
    return 1 if clashes else summary.exit_code


def run_status(files: tuple[Path, ...], *, as_json: bool, as_csv: bool, today: str | None) -> int:
    """Print the review status of ``files`` (every leaflet when empty); 1 when any is overdue or broken."""
    from leafpress.checks import status as review_status
    from leafpress.core import days

    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both")
    project = _open_project_or_exit()
    try:
        on = days.parse_day(today, "--today") if today else days.today()
    except LeafpressError as exc:
        raise click.BadParameter(f"{exc.message} — {exc.hint}", param_hint="--today") from None
    rows, broken = [], 0
    for source in list(files) or project.leaflet_files():
        try:
            refuse_link_out(source, project.root)
            rows.append(review_status.leaflet_status(source, project.config, on))
        except (LeafpressError, LeafpressErrors) as exc:
            err.print(exc.render(), markup=False)
            broken += 1
    rows = review_status.sort_by_due_date(rows)
    if broken and not rows:
        return 1  # every file named is in error: the errors alone, not an empty list beside them
    if as_json:
        click.echo(review_status.as_json(rows))
    elif as_csv:
        click.echo(review_status.as_csv(rows), nl=False)
    else:
        # Piped into a file, the table keeps its full width rather than the 80-column default.
        TerminalConsole(highlight=False, width=None if sys.stdout.isatty() else 160).print(
            review_status.as_table(rows, on)
        )
    overdue = sum(row.state == "overdue" for row in rows)
    if overdue and not (as_json or as_csv):
        err.print(f"[red]{overdue} leaflet(s) overdue for review.[/]")
    return 1 if overdue or broken else 0


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leafpress")
@_build_options
@click.pass_context
def cli(
    ctx: click.Context, output: Path, formats: tuple[str, ...], strict: bool, jobs: int | None, force: bool, clean: bool
) -> None:
    """Turn YAML leaflets into accessible, printable PDF leaflets.

    With no command, builds every leaflet in leaflets/ into output/.
    """
    if ctx.invoked_subcommand is None:
        ctx.exit(run_build((), output, formats, strict, jobs, force, clean))
    given = [opt for opt, name in _given_options(ctx)]
    if given and ctx.invoked_subcommand != "build":
        # Silently ignoring them would build or check something other than what was asked.
        raise click.UsageError(
            f"{', '.join(given)} before '{ctx.invoked_subcommand}' does not apply to it — give options after "
            f"the command: leafpress {ctx.invoked_subcommand} --help lists its own"
        )


def _given_options(ctx: click.Context) -> list[tuple[str, str]]:
    """(option as typed, parameter name) of each option given on the command line to ``ctx``."""
    return [
        (param.opts[0], param.name)
        for param in ctx.command.params
        if isinstance(param, click.Option)
        and param.name
        and ctx.get_parameter_source(param.name) not in (None, ParameterSource.DEFAULT, ParameterSource.ENVIRONMENT)
    ]


def _with_options_before(ctx: click.Context) -> dict[str, Any]:
    """The build options of ``ctx``, with those given before the command filling in
    (``leafpress --format text build x.yaml``): formats from both are built, and an option given
    on both sides takes the command's own value."""
    options = dict(ctx.params)
    parent = ctx.parent
    if parent is None:
        return options
    own = {name for _, name in _given_options(ctx)}
    for _, name in _given_options(parent):
        if name == "formats":
            options[name] = tuple(dict.fromkeys((*parent.params[name], *options[name])))
        elif name not in own:
            options[name] = parent.params[name]
    return options


@cli.command()
@click.argument("files", nargs=-1, type=UserPath(path_type=Path))
@_build_options
@click.pass_context
def build(ctx: click.Context, files: tuple[Path, ...], **_: Any) -> None:
    """Build the named leaflet FILES (default: every leaflet in leaflets/)."""
    options = _with_options_before(ctx)
    sys.exit(
        run_build(
            files,
            options["output"],
            options["formats"],
            options["strict"],
            options["jobs"],
            options["force"],
            options["clean"],
        )
    )


@cli.command()
@click.argument("files", nargs=-1, type=UserPath(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the list as CSV, for spreadsheets.")
@click.option("--today", metavar="YYYY-MM-DD", help=f"Check as of this day (default: today, or ${TODAY_VARIABLE}).")
def status(files: tuple[Path, ...], as_json: bool, as_csv: bool, today: str | None) -> None:
    """List each leaflet's review state, soonest due first; exit 1 when any is overdue."""
    sys.exit(run_status(files, as_json=as_json, as_csv=as_csv, today=today))


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default lets only this computer in.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
def preview(host: str, port: int) -> None:
    """Serve a live preview: every leaflet's printed pages and readability, updated on each save."""
    from leafpress.preview import serve  # the web server loads only for this command

    sys.exit(serve(find_root(Path.cwd()), host, port))


@cli.command()
@click.argument("files", nargs=-1, type=UserPath(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document (for CI) instead of tables.")
@click.option(
    "--output",
    "-o",
    "output",
    type=UserPath(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="The build's output folder: its PDFs are checked when they are up to date, and the proofs and "
    "accessibility reports are written there.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    envvar=JOBS_VARIABLE,
    show_envvar=True,
    help="Processes to use: PDFs built at once when some are out of date, and leaflets checked at once "
    "(from 16 leaflets).  [default: the number of cores]",
)
def check(files: tuple[Path, ...], as_json: bool, output: Path, jobs: int | None) -> None:
    """Check the readability and accessibility of FILES (default: every leaflet): what to fix, where.

    Judges the PDFs a build would write now: those in OUTPUT when built from the current inputs,
    otherwise built for the check. Exits 1 when any leaflet misses a target or has a problem.
    Writes OUTPUT/<name>.readability.html and OUTPUT/<name>.accessibility.html.
    """
    project = _open_project_or_exit()
    sources = list(files) or project.leaflet_files()
    if not sources:
        err.print(f"No leaflets found in {project.leaflet_dir}.", markup=False)
        sys.exit(1)
    sources, clashes = _without_clashes(sources, project)
    from leafpress.cli.check_report import run_check  # textstat loads only for this command

    code = run_check(sources, project, output, as_json, TerminalConsole(highlight=False, soft_wrap=False), err, jobs)
    sys.exit(1 if clashes else code)


def main() -> None:
    collect_garbage_less_often()
    cli(prog_name="leafpress")
