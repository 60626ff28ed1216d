"""What a new user runs into: numbers kept as written, options before the command, shared output
folders, other loopback addresses for the preview."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from leafpress.build.manifest import Entry, Manifest
from tests.conftest import GENERATE, MINIMAL_LEAFLET, run_cli, write


@pytest.mark.parametrize(("written", "shown"), [("1.10", "1.10"), ("2.0", "2.0"), ("3", "3"), ("010", "010")])
def test_an_unquoted_version_is_kept_as_written(project: Path, written: str, shown: str) -> None:
    write(project / "leaflets" / "liver.yaml", MINIMAL_LEAFLET.replace('version: "1.2"', f"version: {written}"))
    result = run_cli("status", "--json", cwd=project)
    assert json.loads(result.stdout)[0]["version"] == shown, result.stderr
    built = run_cli("build", "--format", "text", cwd=project)
    assert built.returncode == 0, built.stderr
    assert f"Version: {shown}" in (project / "output" / "liver.txt").read_text(encoding="utf-8")


def test_options_before_the_command_are_honoured(project: Path) -> None:
    result = run_cli("--format", "text", "--output", "out", "build", "leaflets/liver.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "out" / "liver.txt").exists()
    assert not (project / "output").exists() and not (project / "out" / "liver.pdf").exists()
    # Given on both sides, the command's own options win; formats from both are built.
    both = run_cli("--format", "text", "build", "--format", "html", "-o", "out2", cwd=project)
    assert both.returncode == 0, both.stderr
    assert sorted(p.name for p in (project / "out2").iterdir() if not p.name.startswith(".")) == [
        "liver.html",
        "liver.txt",
    ]


def entry(source: str) -> Entry:
    return Entry(source=source, format="standard", key="k" * 64, files={}, outputs=[Path(source).stem + ".pdf"])


def test_two_builds_saving_one_manifest_keep_both_entries(tmp_path: Path) -> None:
    first, second = Manifest.load(tmp_path), Manifest.load(tmp_path)
    first.record(entry("leaflets/a.yaml"))
    second.record(entry("leaflets/b.yaml"))
    first.save()
    second.save()
    second.forget("leaflets/a.yaml [standard]")  # a job this build retried and lost is its to forget
    second.save()
    names = set(json.loads((tmp_path / ".leafpress-manifest.json").read_text())["entries"])
    assert names == {"leaflets/b.yaml [standard]"}
    first.record(entry("leaflets/c.yaml"))
    first.save()
    # The first build still holds what it built itself; the other's entry is kept.
    names = set(json.loads((tmp_path / ".leafpress-manifest.json").read_text())["entries"])
    assert names == {"leaflets/a.yaml [standard]", "leaflets/b.yaml [standard]", "leaflets/c.yaml [standard]"}


def test_builds_running_at_once_into_one_folder_lose_no_manifest_entries(project: Path) -> None:
    names = [f"leaflet{number}" for number in range(4)]
    for number, name in enumerate(names):
        write(project / "leaflets" / f"{name}.yaml", MINIMAL_LEAFLET.replace("TST-001", f"TST-1{number}"))
    processes = [
        subprocess.Popen(
            [sys.executable, str(GENERATE), "build", f"leaflets/{name}.yaml", "--format", "text", "--jobs", "1"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in names
    ]
    for process in processes:
        assert process.wait(timeout=300) == 0, process.stderr.read() if process.stderr else ""
    entries = json.loads((project / "output" / ".leafpress-manifest.json").read_text())["entries"]
    assert {entry["source"] for entry in entries.values()} == {f"leaflets/{name}.yaml" for name in names}


def status_with_host(address: str, host: str) -> int:
    server = address.removeprefix("http://").rstrip("/")
    name, _, port = server.rpartition(":")
    connection = http.client.HTTPConnection(name.strip("[]"), int(port), timeout=30)
    connection.request("GET", "/", headers={"Host": host})
    return connection.getresponse().status


@pytest.mark.parametrize("host", ["127.0.0.2", "127.1"])
def test_the_preview_on_any_loopback_address_keeps_the_host_check(project: Path, host: str) -> None:
    process = subprocess.Popen(
        [sys.executable, str(GENERATE), "preview", "--port", "0", "--host", host],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"at (http://[^\s/]+/)", line)
        assert match, line
        address = match[1]
        port = address.rstrip("/").rpartition(":")[2]
        # A page elsewhere that points its own name at this address must not read the preview.
        assert status_with_host(address, f"evil.example:{port}") == 400
        assert status_with_host(address, f"{host}:{port}") == 200
        assert status_with_host(address, f"127.0.0.1:{port}") == 200
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_status_refuses_the_review_interval_build_refuses(project: Path) -> None:
    text = MINIMAL_LEAFLET.replace(
        "  last_reviewed: 2024-03-15\n", "  last_reviewed: 2024-03-15\n  next_review: 2030-01-01\n"
    )
    write(project / "leaflets" / "liver.yaml", text)
    write(project / "leaflets" / "kidney.yaml", MINIMAL_LEAFLET.replace("TST-001", "TST-002"))
    line = text.splitlines().index("  next_review: 2030-01-01") + 1
    message = f"leaflets/liver.yaml:{line}:3: next_review 2030-01-01 is more than 3 years after last_reviewed"
    built = run_cli("build", "--format", "text", cwd=project)
    status = run_cli("status", "--today", "2024-06-01", cwd=project)
    for result in (built, status):
        assert result.returncode == 1
        assert message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    # The other leaflet is still listed (and built), and the refused one is not called current.
    assert "kidney.yaml" in status.stdout and "liver.yaml" not in status.stdout


def test_a_command_run_inside_the_project_finds_its_config_in_a_parent_folder(project: Path) -> None:
    write(project / "leafpress.yaml", "organisation:\n  name: Riverside Liver Clinic\n")
    inside = project / "leaflets"
    result = run_cli("build", "liver.yaml", "--format", "text", cwd=inside)
    assert result.returncode == 0, result.stderr
    assert f"project: {project.resolve()}" in result.stderr.splitlines()
    text = (project / "output" / "liver.txt").read_text(encoding="utf-8")
    assert "Riverside Liver Clinic" in text and "Your organisation" not in text
    assert not (inside / "output").exists()
    # Every leaflet, from a folder deeper still; an explicit --output stays where it was typed.
    deeper = inside / "notes"
    deeper.mkdir()
    again = run_cli("--format", "text", "-o", "here", cwd=deeper)
    assert again.returncode == 0, again.stderr
    assert (deeper / "here" / "liver.txt").exists()
    status = run_cli("status", "liver.yaml", cwd=inside)
    assert status.returncode == 0 and "TST-001" in status.stdout
    # In the project folder itself nothing is said.
    assert "project:" not in run_cli("status", cwd=project).stderr


def test_overdue_policy_refuse_removes_the_earlier_unmarked_pdf_and_says_so(project: Path) -> None:
    write(project / "leafpress.yaml", "review:\n  overdue_policy: refuse\n")
    write(project / "leaflets" / "kidney.yaml", MINIMAL_LEAFLET.replace("TST-001", "TST-002"))
    assert run_cli("build", cwd=project, env={"LEAFPRESS_TODAY": "2025-01-01"}).returncode == 0
    assert (project / "output" / "liver.pdf").exists()
    # Years later the liver leaflet is overdue; the kidney one was reviewed since.
    kidney = MINIMAL_LEAFLET.replace("TST-001", "TST-002").replace("2024-03-15", "2029-01-01")
    write(project / "leaflets" / "kidney.yaml", kidney.replace("date: 2024-03-20", "date: 2029-01-02"))
    result = run_cli("build", cwd=project, env={"LEAFPRESS_TODAY": "2029-06-01"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "leaflets/liver.yaml:" in result.stderr and "'refuse'" in result.stderr
    assert "the earlier output/liver.pdf was removed" in result.stderr
    assert not (project / "output" / "liver.pdf").exists()
    assert (project / "output" / "kidney.pdf").exists()
    entries = json.loads((project / "output" / ".leafpress-manifest.json").read_text())["entries"]
    assert [entry["source"] for entry in entries.values()] == ["leaflets/kidney.yaml"]


def test_an_unclosed_quote_is_reported_where_it_opens(project: Path) -> None:
    text = MINIMAL_LEAFLET.replace("subtitle: A short guide", 'subtitle: "A short guide')
    write(project / "leaflets" / "liver.yaml", text)
    write(project / "leaflets" / "kidney.yaml", MINIMAL_LEAFLET.replace("TST-001", "TST-002"))
    result = run_cli("build", "--format", "text", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert 'leaflets/liver.yaml:2:11: YAML syntax error: a quote (") opened here is not closed' in result.stderr
    assert (project / "output" / "kidney.txt").exists()


def test_a_body_not_indented_under_its_block_is_reported_where_the_text_starts(project: Path) -> None:
    text = MINIMAL_LEAFLET.replace(
        "    body: |\n      Your liver cleans your blood. It also stores energy.\n",
        "    body: |\nYour liver cleans your blood. It also stores energy.\n",
    )
    write(project / "leaflets" / "liver.yaml", text)
    line = text.splitlines().index("Your liver cleans your blood. It also stores energy.") + 1
    result = run_cli("check", "leaflets/liver.yaml", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    expected = f"leaflets/liver.yaml:{line}:1: YAML syntax error: the text after '|' on line {line - 1} is not indented"
    assert expected in result.stderr + result.stdout
