"""Each command loads only what it uses: `--help` and `status` start without the build machinery.

Start-up time itself is measured by bench/run.py; these tests pin down the cause, module by module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINIMAL_LEAFLET, REPO, write

_REPORT_MODULES = (
    "import runpy, sys, json\n"
    "sys.argv = ['leafpress', *json.loads(sys.argv[1])]\n"
    "try:\n"
    "    runpy.run_module('leafpress', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n"
)


def _modules_loaded(args: list[str], cwd: Path) -> tuple[set[str], str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", _REPORT_MODULES, json.dumps(args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    marker = result.stderr.rindex("MODULES ")
    return set(json.loads(result.stderr[marker + len("MODULES ") :])), result.stdout


def test_help_loads_no_models_build_machinery_or_engines(tmp_path: Path) -> None:
    loaded, out = _modules_loaded(["--help"], tmp_path)
    assert "--format" in out and "large-print" in out  # the format names are still listed
    for heavy in ("pydantic", "yaml", "markdown_it", "weasyprint", "pikepdf", "textstat", "leafpress.build.batch"):
        assert heavy not in loaded, heavy
    # Listing the formats loads no format's own machinery (each imports it when it renders).
    for heavy in ("lxml", "xml.sax", "urllib.request", "mimetypes", "leafpress.enrich.outline"):
        assert heavy not in loaded, heavy


def test_status_reads_leaflets_without_the_build_machinery(tmp_path: Path) -> None:
    write(tmp_path / "leaflets" / "one.yaml", MINIMAL_LEAFLET)
    loaded, out = _modules_loaded(["status", "--json"], tmp_path)
    assert json.loads(out)[0]["file"].endswith("one.yaml")
    assert "pydantic" in loaded  # it does validate the leaflets
    for heavy in (
        "weasyprint",
        "pikepdf",
        "textstat",
        "markdown_it",
        "leafpress.build.batch",
        "leafpress.render.html",
        "jinja2",
    ):
        assert heavy not in loaded, heavy


def test_the_pdf_engine_loads_its_libraries_without_running_the_compiler(tmp_path: Path) -> None:
    """cffi looks every library name the loader does not know up with ``ctypes.util.find_library``,
    which runs gcc and ld; WeasyPrint tries several names per library. Loaded through leafpress,
    the libraries load by the names the loader knows, and no compiler runs."""
    tools = tmp_path / "bin"
    tools.mkdir()
    ran = tmp_path / "ran"
    for tool in ("gcc", "cc", "ld"):
        (tools / tool).write_text(f"#!/bin/sh\necho {tool} >> {ran}\nexit 1\n", encoding="utf-8")
        (tools / tool).chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"}

    def load(code: str) -> str:
        ran.unlink(missing_ok=True)
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0 and not result.stdout, result.stdout + result.stderr
        return ran.read_text(encoding="utf-8") if ran.exists() else ""

    assert "gcc" in load("import weasyprint"), "WeasyPrint alone searches with the compiler: the test sees it"
    assert load("import leafpress.render.pdf; import weasyprint.text.ffi as ffi; assert ffi.pango") == ""


def test_a_parallel_builds_own_process_prints_the_readability_line_without_the_pdf_engine(tmp_path: Path) -> None:
    """With --jobs 2 the workers build; the command's own process only scores readability for the
    line it prints, and stays free for them (it loads no PDF engine or check machinery)."""
    for name in ("one", "two"):
        write(tmp_path / "leaflets" / f"{name}.yaml", MINIMAL_LEAFLET.replace("TST-001", f"TST-{name}"))
    loaded, _ = _modules_loaded(["build", "--jobs", "2"], tmp_path)
    assert (tmp_path / "output" / "one.pdf").is_file() and (tmp_path / "output" / "two.pdf").is_file()
    assert "textstat" in loaded  # the readability line was scored here
    for heavy in ("weasyprint", "pikepdf", "leafpress.checks.runner", "leafpress.render.pdf"):
        assert heavy not in loaded, heavy


def test_the_command_collects_garbage_at_its_own_pace(tmp_path: Path) -> None:
    from leafpress.core.runtime import YOUNG_OBJECTS_BEFORE_COLLECTING

    probe = (
        "import gc, runpy, sys\n"
        "sys.argv = ['leafpress', '--help']\n"
        "before = gc.get_threshold()[0]\n"
        "try:\n"
        "    runpy.run_module('leafpress', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(f'\\nTHRESHOLD {before} {gc.get_threshold()[0]}')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    before, after = result.stderr.rsplit("THRESHOLD ", 1)[1].split()
    assert (int(before), int(after)) == (700, YOUNG_OBJECTS_BEFORE_COLLECTING)
