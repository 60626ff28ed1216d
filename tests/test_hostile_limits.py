"""Hostile leaflets that once crashed, hung or exhausted the machine (issue 13, part B).

Each is rebuilt from its description and run through the real CLI in a fresh process, so a
segfault or a runaway shows as what it is; the time and peak memory of the process are measured.
The good leaflet beside it must still build.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leafpress.core.errors import LeafpressError
from leafpress.source.load import load_yaml
from tests.conftest import MINIMAL_LEAFLET, run_cli, write
from tests.large_leaflets import Measured, run_measured

MAX_SECONDS = 60
MAX_RSS_BYTES = 500 * 1024 * 1024


def assert_refused_alone(run: Measured, leaflet: str, says: str, project: Path) -> list[str]:
    """The hostile leaflet is refused at a line and column; the good one still built."""
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.startswith(f"leaflets/{leaflet}:") and says in line]
    assert lines, run.stderr
    location = lines[0].split(": ", 1)[0].split(":")
    assert len(location) == 3 and all(part.isdigit() for part in location[1:]), lines[0]
    assert (project / "output" / "liver.pdf").is_file(), run.stderr
    assert not (project / "output" / f"{Path(leaflet).stem}.pdf").exists()
    assert run.seconds < MAX_SECONDS
    return lines


def deep_brackets(size: int = 99_990) -> str:
    half = size // 2
    return "title: " + "[" * half + "]" * half + "\n"


def nested_leaflet(project: Path) -> None:
    """The issue's 100 KB of ``[``: within the largest file the config may allow, so the depth check decides."""
    write(project / "leafpress.yaml", "limits:\n  max_file_bytes: 100000\n")
    write(project / "leaflets" / "nested.yaml", deep_brackets())


def merge_bomb(levels: int = 8, width: int = 8) -> str:
    """Each anchor merges the one before it ``width`` times: under 600 bytes, 8**8 values."""
    lines = ["a0: &a0 {k0: 1, k1: 2, k2: 3, k3: 4}"]
    for level in range(1, levels + 1):
        merged = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} {{<<: [{merged}], z{level}: 1}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_deep_nesting_is_refused_where_it_crosses_the_limit_and_the_batch_builds(project: Path, jobs: str) -> None:
    nested_leaflet(project)
    run = run_measured("build", "--jobs", jobs, cwd=project)
    [line] = assert_refused_alone(run, "nested.yaml", "nests more than 40 levels deep", project)
    # "title: " is 7 characters; the 41st bracket below the top level is the one too many.
    assert line.startswith("leaflets/nested.yaml:1:48: ")
    assert "--jobs 1" not in run.stderr


@pytest.mark.parametrize("command", ["check", "status"])
def test_deep_nesting_never_crashes_check_or_status(project: Path, command: str) -> None:
    nested_leaflet(project)
    run = run_measured(command, cwd=project)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and run.returncode != -11
    assert "leaflets/nested.yaml:1:48: the file nests more than 40 levels deep" in run.stderr + run.stdout


def test_a_merge_key_bomb_is_refused_fast(project: Path) -> None:
    bomb = merge_bomb()
    assert len(bomb.encode()) < 700
    write(project / "leaflets" / "bomb.yaml", bomb)
    run = run_measured("build", "--jobs", "1", cwd=project)
    [line] = assert_refused_alone(run, "bomb.yaml", "expands to more than 200,000 values", project)
    assert run.peak_bytes < MAX_RSS_BYTES


def hostile_siblings(project: Path) -> None:
    """A FIFO, a link to /dev/zero and a 2 MB file, all named *.yaml, beside the good leaflet."""
    leaflets = project / "leaflets"
    os.mkfifo(leaflets / "pipe.yaml")
    (leaflets / "zero.yaml").symlink_to("/dev/zero")
    (leaflets / "huge.yaml").write_text("title: x\n" + "# padding\n" * 200_000, encoding="utf-8")


@pytest.mark.parametrize("command", [("build", "--jobs", "1"), ("build", "--jobs", "2"), ("check",), ("status",)])
def test_pipes_devices_and_huge_files_beside_a_leaflet_never_stall_the_others(
    project: Path, command: tuple[str, ...]
) -> None:
    hostile_siblings(project)
    run = run_measured(*command, cwd=project)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert run.seconds < MAX_SECONDS and run.peak_bytes < MAX_RSS_BYTES
    assert "leaflets/pipe.yaml:" in run.stderr and "leaflets/huge.yaml:" in run.stderr, run.stderr
    assert "leaflets/zero.yaml:" in run.stderr
    if command[0] == "build":
        assert (project / "output" / "liver.pdf").is_file(), run.stderr
    if command[0] == "status":
        assert "leaflets/liver.yaml" in run.stdout and "Looking after your liver" in run.stdout, run.stdout


def test_a_leaflet_named_on_the_command_line_beside_a_pipe_builds(project: Path) -> None:
    """The translation lookup reads the siblings of the leaflet built: a pipe among them is skipped."""
    hostile_siblings(project)
    run = run_measured("build", "leaflets/liver.yaml", cwd=project)
    assert run.returncode == 0, run.stderr
    assert (project / "output" / "liver.pdf").is_file()


@pytest.mark.parametrize(
    "where",
    [
        "translations:\n  - kmsg.yaml\n",
        "sections:\n  - heading: Picture\n    image:\n      src: kmsg.png\n      alt: A drawing of the liver\n"
        "    body: See the drawing.\n",
    ],
)
def test_a_link_to_a_kernel_file_never_hangs_a_build(project: Path, where: str) -> None:
    leaflets = project / "leaflets"
    (leaflets / "kmsg.yaml").symlink_to("/proc/kmsg")
    (leaflets / "kmsg.png").symlink_to("/proc/kmsg")
    if where.startswith("translations"):
        text = MINIMAL_LEAFLET + where
    else:
        text = MINIMAL_LEAFLET.replace("sections:\n", where, 1)
    write(leaflets / "other.yaml", text)
    run = run_measured("build", "--jobs", "1", cwd=project)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert run.seconds < MAX_SECONDS
    assert any(line.startswith("leaflets/other.yaml:") for line in run.stderr.splitlines()), run.stderr
    assert "leaflets/kmsg.yaml:1:1: " in run.stderr
    assert (project / "output" / "liver.pdf").is_file()
    assert not (project / "output" / "other.pdf").exists()


FIGURE = "  - heading: What your liver does\n    image:\n      src: {}\n      alt: A drawing of a liver\n"


def use_bomb(levels: int = 9, width: int = 10) -> str:
    """Each group draws the one before it ``width`` times: about 1 KB, 10**9 shapes."""
    groups = ['<g id="g0"><circle r="1"/></g>']
    for level in range(1, levels + 1):
        uses = "".join(f'<use href="#g{level - 1}"/>' for _ in range(width))
        groups.append(f'<g id="g{level}">{uses}</g>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><defs>'
        + "".join(groups)
        + f'</defs><use href="#g{levels}"/></svg>'
    )


def with_figure(image: str) -> str:
    return MINIMAL_LEAFLET.replace("  - heading: What your liver does\n", FIGURE.format(image))


def test_an_svg_use_bomb_is_refused_at_the_image_line(project: Path) -> None:
    write(project / "leaflets" / "bomb.svg", use_bomb())
    write(project / "leaflets" / "drawing.yaml", with_figure("bomb.svg"))
    run = run_measured("build", "--jobs", "1", cwd=project)
    [line] = assert_refused_alone(run, "drawing.yaml", "would draw more than 20,000 shapes", project)
    figure_line = with_figure("bomb.svg").splitlines().index("      src: bomb.svg") + 1
    assert line.startswith(f"leaflets/drawing.yaml:{figure_line}:")
    assert run.peak_bytes < MAX_RSS_BYTES


def test_an_svg_that_uses_itself_is_refused(project: Path) -> None:
    loop = '<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#a"/></g></svg>'
    write(project / "leaflets" / "loop.svg", loop)
    write(project / "leaflets" / "drawing.yaml", with_figure("loop.svg"))
    run = run_measured("build", "--jobs", "1", cwd=project)
    assert_refused_alone(run, "drawing.yaml", "has a <use> that draws itself", project)


def test_an_svg_with_a_few_clones_still_builds(project: Path) -> None:
    write(project / "leaflets" / "dots.svg", use_bomb(levels=2, width=5))
    write(project / "leaflets" / "liver.yaml", with_figure("dots.svg"))
    run = run_measured("build", "--jobs", "1", cwd=project)
    assert run.returncode == 0, run.stderr
    assert (project / "output" / "liver.pdf").is_file()


# Pieces of YAML that nest, alias, merge and break: the loader must answer every mix with
# data or a located error, quickly, whatever the order.
YAML_PIECES = st.sampled_from(
    [
        "[",
        "]",
        "{",
        "}",
        ", ",
        ": ",
        "- ",
        "\n",
        "\n  ",
        "\n    ",
        "&a ",
        "&b ",
        "*a",
        "*b",
        "<<: ",
        "<<: [*a, *a]",
        "'",
        '"',
        "|",
        ">",
        "? ",
        "!!str ",
        "!!python/object ",
        "key",
        "1.10",
        "2023-02-30",
        "\t",
        "#",
        "%YAML 1.1\n",
        "---\n",
        "\\x1b",
        "\u202e",
        "\x00",
        "é",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(YAML_PIECES, max_size=80), repeat=st.integers(min_value=1, max_value=400))
def test_the_loader_answers_any_mix_of_nesting_aliases_and_merges_with_data_or_a_located_error(
    pieces: list[str], repeat: int
) -> None:
    source = "title: " + "".join(pieces) * repeat
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(source, encoding="utf-8")
        started = time.monotonic()
        try:
            loaded = load_yaml(path)
        except LeafpressError as error:
            assert error.location.path == path and error.location.line >= 1 and error.location.column >= 1
        else:
            assert isinstance(loaded.data, dict)
        assert time.monotonic() - started < 5


def test_a_nul_in_an_image_path_is_a_located_error(project: Path) -> None:
    body = "  - heading: A picture\n    body: |\n      ![A liver](images/a%00b.png)\n"
    write(project / "leaflets" / "nul.yaml", MINIMAL_LEAFLET.replace("sections:\n", "sections:\n" + body, 1))
    result = run_cli("build", "--jobs", "1", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "internal error" not in result.stderr
    line = next(line for line in result.stderr.splitlines() if line.startswith("leaflets/nul.yaml:"))
    assert line.startswith("leaflets/nul.yaml:10:") and "holds a control character" in line, result.stderr
    assert (project / "output" / "liver.pdf").is_file()


def test_a_broken_link_in_styles_is_refused_at_the_stylesheet(project: Path) -> None:
    (project / "styles").mkdir()
    (project / "styles" / "brand.css").symlink_to(project / "missing.css")
    result = run_cli("build", "--jobs", "1", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "styles/brand.css:1:1: this stylesheet is not a regular file inside its folder" in result.stderr


def test_a_latin_1_byte_in_a_stylesheet_and_many_authors_build(project: Path) -> None:
    write(project / "styles" / "brand.css", "h1 { color: #1a1a1a; }\n")
    (project / "styles" / "brand.css").write_bytes(b'h1 { font-family: "Caf\xe9", serif; }\n')
    authors = "[" + ", ".join(f"Smith{index} J" for index in range(150)) + "]"
    write(project / "leaflets" / "liver.yaml", MINIMAL_LEAFLET.replace("[Smith J, Jones K]", authors))
    result = run_cli("build", "--jobs", "1", cwd=project)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert (project / "output" / "liver.pdf").is_file(), result.stderr


def test_an_unwritable_manifest_is_reported_and_every_leaflet_still_builds(project: Path) -> None:
    write(project / "leaflets" / "kidney.yaml", MINIMAL_LEAFLET.replace("TST-001", "TST-002"))
    # A folder where the manifest goes fails every write, even for root (as a full disk does).
    (project / "output" / ".leafpress-manifest.json").mkdir(parents=True)
    result = run_cli("build", "--jobs", "1", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert "output/.leafpress-manifest.json:1:1: cannot write the file" in result.stderr + result.stdout
    assert (project / "output" / "liver.pdf").is_file() and (project / "output" / "kidney.pdf").is_file()
